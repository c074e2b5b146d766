"""Load the demo data of every app: `<app>.demo.load()` where an app has one.

Idempotent: running it again keeps what is there and adds only what is missing.
"""

import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load demo data and demo accounts (never on a production site)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load even when DEBUG is off (test and staging servers only).",
        )
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print logins.")

    def handle(self, *args, allow_without_debug=False, quiet_logins=False, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: demo accounts have known passwords."
            )
        logins = []
        for app_config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                logins += module.load() or []
            self.stdout.write(f"Demo data: {app_config.verbose_name} ✓")
        if logins and not quiet_logins:
            self._print_logins(logins)

    def _print_logins(self, logins) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.WARNING("DEMO ONLY — these accounts have public passwords."))
        self.stdout.write(f"{'role':<22} {'email':<42} {'password':<18} TOTP secret")
        for login in logins:
            self.stdout.write(
                f"{login['role']:<22} {login['email']:<42} {login['password']:<18} "
                f"{login.get('totp_secret') or '-'}"
            )
        self.stdout.write(
            "Staff accounts need a TOTP code: add the secret to an authenticator app, "
            "or print the current codes with `.venv/bin/python manage.py demo_totp`."
        )
