"""Accounts, as AWS has them: every runtime resource belongs to one, and its 12-digit id is
the account part of the resource's ARNs (DESIGN.md decision 11).

Each user gets an account of their own the first time they need one; an operator may make
several users members of one account (a team, like IAM users in one AWS account) by changing
their membership on the admin page.
"""

from django.conf import settings
from django.db import models

# The account that held everything before accounts existed (every ARN said 000000000000); it
# is the first admin's, and the DEBUG-only test key acts in it.
DEFAULT_ACCOUNT_ID = "000000000000"


class Account(models.Model):
    id = models.CharField(primary_key=True, max_length=12)
    name = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.id} ({self.name})" if self.name else self.id


class Membership(models.Model):
    """The one account a user acts in: their own by default, a team's when an admin says so."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, related_name="membership", on_delete=models.CASCADE)
    account = models.ForeignKey(Account, related_name="members", on_delete=models.PROTECT)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account", "user"]

    def __str__(self) -> str:
        return f"{self.user} in {self.account_id}"
