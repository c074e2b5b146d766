from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "center.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from . import ratelimit
        from .roles import sync_role_permissions

        # A Redis outage must not turn every sign-in into a 500 (see ratelimit.py).
        ratelimit.install()

        # Later apps add permissions to the roles; their permission rows exist only after
        # their own migrations, so the roles are brought up to date after every migrate.
        post_migrate.connect(sync_role_permissions, dispatch_uid="accounts.sync_roles")
