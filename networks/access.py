"""Who may enter the ward centers' network area, and which ward a user speaks for.

Shared by every network view (meetings, hearings, support requests, know-how). The rule:
ward staff, center staff, city staff and superusers enter; everybody else signed in gets a
plain 403 before any query about network data, so the answer never depends on what exists;
anonymous visitors go to the login page. Which *rows* a user may see is decided by the
selectors, with `user_ward_center` as the one definition of "my ward".
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from center.accounts.roles import CENTER_STAFF, CITY_STAFF, WARD_STAFF

NETWORK_ROLES = (WARD_STAFF, CENTER_STAFF, CITY_STAFF)


class LoginRequired(Exception):
    """Raised by `require_network_user` for anonymous visitors; the decorator turns it into
    the login redirect (a helper cannot return a response from inside a view)."""


def is_network_user(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_role(CENTER_STAFF, CITY_STAFF):
        return True
    # A ward staff account without a ward belongs nowhere: it sees nothing rather than all.
    return user.has_role(WARD_STAFF) and user.ward_id is not None


def is_center_side(user) -> bool:
    """Center staff, city staff and superusers see every ward; ward staff only their own."""
    return user.is_authenticated and (user.is_superuser or user.has_role(CENTER_STAFF, CITY_STAFF))


def is_center_staff(user) -> bool:
    """Those who act for the center (manage meetings, answer requests): not city staff."""
    return user.is_authenticated and (user.is_superuser or user.has_role(CENTER_STAFF))


def user_ward_center(user):
    """The WardCenter this user works for, or None (center side, or no ward set).

    Center-side users get None even when their account carries a ward, so that a selector
    which filters on "my ward" never narrows what the center sees by accident.
    """
    if not user.is_authenticated or is_center_side(user):
        return None
    if not user.has_role(WARD_STAFF) or user.ward_id is None:
        return None
    cached = getattr(user, "_network_ward_center", False)
    if cached is False:
        from .models import WardCenter

        cached = WardCenter.objects.select_related("ward").filter(ward_id=user.ward_id).first()
        user._network_ward_center = cached
    return cached


def require_network_user(request) -> None:
    """Raise unless the request comes from a network user.

    Anonymous → LoginRequired (the decorator/mixin redirects to login); any other signed-in
    user → PermissionDenied (403).
    """
    user = request.user
    if not user.is_authenticated:
        raise LoginRequired
    if not is_network_user(user):
        raise PermissionDenied


def network_user_required(view):
    """Decorator for function views: login redirect for anonymous, 403 for non-network users."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            require_network_user(request)
        except LoginRequired:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


class NetworkUserRequiredMixin:
    """The same gate for class-based views."""

    def dispatch(self, request, *args, **kwargs):
        try:
            require_network_user(request)
        except LoginRequired:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


def private_page(response):
    """Network pages carry one ward's or the network's working data: no shared cache, no
    copy kept by the browser."""
    response["Cache-Control"] = "private, no-store"
    return response
