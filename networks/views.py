from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from center.accounts.roles import CENTER_STAFF, CITY_STAFF, WARD_STAFF

NETWORK_ROLES = (WARD_STAFF, CENTER_STAFF, CITY_STAFF)


@login_required
def index(request):
    """The ward centers' shared area: signed-in ward, center and city staff only."""
    if not (request.user.is_superuser or request.user.has_role(*NETWORK_ROLES)):
        raise PermissionDenied
    return render(request, "networks/index.html")
