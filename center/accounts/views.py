from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .roles import CENTER_STAFF, CITY_STAFF, ROLES, WARD_STAFF


@login_required
def home(request):
    """My page: who I am, my roles, where I can go next."""
    user = request.user
    return render(
        request,
        "accounts/home.html",
        {
            "roles": [ROLES[name] for name in sorted(user.role_names) if name in ROLES],
            "mfa_enabled": is_mfa_enabled(user, [Authenticator.Type.TOTP]),
            # The dashboard's own rule (center/dashboard/access.py) decides; this only
            # avoids showing a link that would answer 403.
            "sees_dashboard": user.is_superuser
            or user.has_role(CENTER_STAFF, CITY_STAFF)
            or (user.has_role(WARD_STAFF) and user.ward_id is not None),
        },
    )
