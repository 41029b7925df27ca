"""Prepare an empty installation: roles, a first admin (printed, never a fixed password)."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the roles and, on an empty database, a first admin whose password is printed once."

    def handle(self, *args, **options) -> None:
        User = get_user_model()
        if User.objects.exists():
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@localhost", password)
        self.stdout.write(
            self.style.SUCCESS(
                "\nFirst admin created. Log in at http://127.0.0.1:8000/ with\n"
                f"    username: admin\n    password: {password}\n"
                "(change it on the admin page; this is shown only once)\n"
            )
        )
