"""A new user's first requests at once: each may try to make the user's own account; the one
that loses the race acts in the account the winner made, as every later request does (two
StartExecution calls of a fresh key were once refused AccessDenied: the losing request's user
object kept the membership whose insert was refused, naming an account rolled back)."""

import pytest

from accounts.models import Membership
from accounts.services import account_for, account_id_for


@pytest.mark.django_db
def test_the_request_that_lost_the_race_acts_in_the_winners_account(monkeypatch, django_user_model):
    user = django_user_model.objects.create(username="racer")
    winner = account_for(django_user_model.objects.get(pk=user.pk))  # the other request, first
    real = Membership.objects.select_related
    looked: list[int] = []

    def missed_once(*fields):
        # This request looked before the winner's membership was there.
        looked.append(1)
        return Membership.objects.none() if len(looked) == 1 else real(*fields)

    monkeypatch.setattr(Membership.objects, "select_related", missed_once)
    assert account_for(user) == winner
    assert account_id_for(user) == winner.pk
    assert Membership.objects.filter(user=user).count() == 1
