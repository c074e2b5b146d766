"""Print the current TOTP code of each demo staff account (demo sites only)."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from center.accounts.demo import DEMO_ACCOUNTS, demo_email


class Command(BaseCommand):
    help = "Print the current six-digit code of each demo staff account."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts exist only on demo sites (DEBUG on).")
        counter = int(time.time()) // 30
        remaining = 30 - int(time.time()) % 30
        for local_part, _name, _roles, _ward, secret in DEMO_ACCOUNTS:
            if secret:
                code = format_hotp_value(hotp_value(secret, counter))
                self.stdout.write(f"{demo_email(local_part):<40} {code}")
        self.stdout.write(f"(valid for about {remaining} more seconds)")
