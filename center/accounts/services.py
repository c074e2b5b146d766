from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from center.core.models import Ward

from .models import User
from .roles import ROLES, WARD_STAFF


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[str], ward: Ward | None = None) -> User:
    """Give `user` exactly these roles. Ward staff must belong to one ward; others to none."""
    roles = set(roles)
    unknown = roles - ROLES.keys()
    if unknown:
        raise ValidationError(_("Unknown role: %(role)s") % {"role": ", ".join(sorted(unknown))})
    if WARD_STAFF in roles and ward is None:
        raise ValidationError(_("Ward center staff must belong to a ward."))
    user.ward = ward if WARD_STAFF in roles else None
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    user.__dict__.pop("role_names", None)
    return user


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    name: str = "",
    roles: Iterable[str] = (),
    ward: Ward | None = None,
    verified: bool = False,
) -> User:
    """Create an account (staff use: demo data, invitations). Self sign-up goes through allauth."""
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(email=email, password=password, name=name)
    user_set_roles(user=user, roles=roles, ward=ward)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=verified)
    return user
