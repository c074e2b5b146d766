"""Who sees the dashboard, and which slice.

Center staff, city staff and superusers see the whole city and may narrow it to a ward;
ward-center staff see their own ward's slice and nothing else (the ward filter is fixed
for them, whatever the query string says); everybody else signed in gets a 403, anonymous
visitors the login page.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from center.accounts.roles import CENTER_STAFF, CITY_STAFF, WARD_STAFF


@dataclass(frozen=True)
class DashboardScope:
    fixed_ward: object = None  # a Ward for ward staff; None: the user may choose

    @property
    def city_wide(self) -> bool:
        return self.fixed_ward is None


def dashboard_scope(user) -> DashboardScope:
    if user.is_superuser or user.has_role(CENTER_STAFF, CITY_STAFF):
        return DashboardScope()
    # A ward staff account without a ward belongs nowhere: it sees nothing rather than all.
    if user.has_role(WARD_STAFF) and user.ward_id is not None:
        return DashboardScope(fixed_ward=user.ward)
    raise PermissionDenied
