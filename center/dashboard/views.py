from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from center.accounts.roles import CENTER_STAFF, CITY_STAFF, WARD_STAFF

DASHBOARD_ROLES = (CENTER_STAFF, CITY_STAFF, WARD_STAFF)


@login_required
def index(request):
    if not (request.user.is_superuser or request.user.has_role(*DASHBOARD_ROLES)):
        raise PermissionDenied
    return render(request, "dashboard/index.html")
