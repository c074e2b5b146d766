from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from center.lib.i18n import strip_language_prefix


class StaffMfaRequiredMiddleware:
    """Sends a staff-role user without TOTP to the MFA set-up page before any back-office page."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.BACK_OFFICE_PATH_PREFIXES)

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and strip_language_prefix(request.path_info).startswith(self.prefixes)
            and user.has_staff_role
            and not is_mfa_enabled(user, [Authenticator.Type.TOTP])
        ):
            messages.warning(
                request,
                _(
                    "Staff accounts must set up two-factor authentication before using "
                    "the back office. Scan the code with an authenticator app."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
