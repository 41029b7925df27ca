"""Which account a user acts in, created on first need."""

import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from accounts.models import DEFAULT_ACCOUNT_ID, Account, Membership


def _new_account_id() -> str:
    # Twelve digits, never the default account's zeros; collisions retry below.
    return str(secrets.randbelow(9 * 10**11) + 10**11)


def first_admin():
    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


def default_account() -> Account:
    """The account the DEBUG-only test key acts in: the first admin's (DEFAULT_ACCOUNT_ID on an
    installation that has no admin yet)."""
    admin = first_admin()
    if admin is not None:
        return account_for(admin)
    account, _ = Account.objects.get_or_create(pk=DEFAULT_ACCOUNT_ID, defaults={"name": "default"})
    return account


def account_for(user) -> Account:
    """The user's account; a user without one gets their own. The first admin is given the
    default account while nobody else holds it, so resources made before accounts stay theirs."""
    membership = Membership.objects.select_related("account").filter(user=user).first()
    if membership is not None:
        return membership.account
    for _ in range(5):
        try:
            with transaction.atomic():
                account = _own_account(user)
                Membership.objects.create(user=user, account=account)
                return account
        except IntegrityError:
            membership = Membership.objects.select_related("account").filter(user=user).first()
            if membership is not None:  # a concurrent request created it
                # The refused Membership(user=user) left itself (and its rolled-back account) on
                # the user object, where account_id_for reads: the one that exists replaces it.
                user.membership = membership
                return membership.account
    raise RuntimeError(f"could not create an account for {user}")


def _own_account(user) -> Account:
    admin = first_admin()
    if (
        admin is not None
        and admin.pk == user.pk
        and not Membership.objects.filter(account_id=DEFAULT_ACCOUNT_ID).exists()
    ):
        account, _ = Account.objects.get_or_create(pk=DEFAULT_ACCOUNT_ID, defaults={"name": "default"})
        return account
    return Account.objects.create(pk=_new_account_id(), name=user.get_username())


def account_id_for(user) -> str:
    """The user's account id. The membership comes with the user where the caller loaded it
    (``select_related("membership")``, as the Step Functions endpoint does), else in one query,
    and stays on the user object for the rest of the request."""
    try:
        return user.membership.account_id
    except Membership.DoesNotExist:
        return account_for(user).pk


def join(user, account: Account) -> None:
    """Make the user a member of the account (a team account); their resources stay behind in
    the account they leave."""
    membership, _ = Membership.objects.update_or_create(user=user, defaults={"account": account})
    user.membership = membership  # the account the user object answers from now on
