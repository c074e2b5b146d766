import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from center.accounts.roles import CENTER_STAFF, ROLES, WARD_STAFF
from center.accounts.services import user_set_roles
from tests.conftest import PASSWORD

PUBLIC_INDEXES = [
    "consultations:index",
    "events:index",
    "publications:news",
    "publications:stories",
    "publications:talent",
    "publications:magazine",
    "publications:newsletter",
    "organizations:index",
    "organizations:spaces",
    "core:signage",
    "core:home",
    "core:about",
    "core:access",
    "core:privacy",
    "core:accessibility",
    "publications:search",
]

# persona fixture → expected status for (admin index, network index, dashboard index)
EXPECTED = {
    "outsider": (403, 403, 403),
    "org_member": (403, 403, 403),
    "coordinator": (200, 403, 403),
    "center_staff": (200, 200, 200),
    "city_staff": (200, 200, 200),
    "tsurumi_staff": (403, 200, 200),
}


def test_roles_exist_as_groups_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


def test_center_staff_role_carries_its_declared_permissions(db):
    group = Group.objects.get(name=CENTER_STAFF)
    codenames = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert "core.view_auditevent" in codenames


@pytest.mark.parametrize("name", PUBLIC_INDEXES)
def test_public_pages_are_open_to_anonymous_visitors_in_both_languages(client, db, name):
    url = reverse(name)
    assert client.get(url).status_code == 200
    assert client.get(f"/en{url}").status_code == 200


@pytest.mark.parametrize("persona", EXPECTED)
def test_each_role_reaches_only_its_own_back_office(client, db, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    got = (
        client.get("/admin/", follow=True).status_code,
        client.get("/network/").status_code,
        client.get("/dashboard/").status_code,
    )
    assert got == EXPECTED[persona]
    for name in PUBLIC_INDEXES:
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("url", ["/admin/", "/network/", "/dashboard/", "/en/admin/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert "/accounts/login/" in response.redirect_chain[-1][0]


def test_admin_login_page_redirects_to_the_allauth_login(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_ward_staff_needs_a_ward(outsider):
    with pytest.raises(ValidationError):
        user_set_roles(user=outsider, roles=[WARD_STAFF], ward=None)


def test_unknown_role_is_refused(outsider):
    with pytest.raises(ValidationError):
        user_set_roles(user=outsider, roles=["mayor"])


def test_leaving_the_ward_staff_role_clears_the_ward(tsurumi_staff):
    user_set_roles(user=tsurumi_staff, roles=[])
    tsurumi_staff.refresh_from_db()
    assert tsurumi_staff.ward is None
    assert not tsurumi_staff.has_staff_role


# MFA ---------------------------------------------------------------------------------

BACK_OFFICE_URLS = [
    "/admin/",
    "/admin/accounts/user/",
    "/admin/core/auditevent/",
    "/en/admin/",
    "/dashboard/",
    "/network/",
]


@pytest.mark.parametrize("url", BACK_OFFICE_URLS)
def test_staff_without_mfa_cannot_reach_any_back_office_page(client, staff_without_mfa, url):
    client.force_login(staff_without_mfa)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("mfa_activate_totp"))


def test_staff_without_mfa_is_stopped_on_every_registered_admin_page(client, staff_without_mfa):
    from django.contrib import admin

    client.force_login(staff_without_mfa)
    urls = ["/admin/", "/admin/password_change/"]
    for model in admin.site._registry:
        meta = model._meta
        urls += [
            reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
            reverse(f"admin:{meta.app_label}_{meta.model_name}_add"),
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].endswith(reverse("mfa_activate_totp")), url


def test_staff_reaches_the_admin_once_totp_is_set_up(client, staff_without_mfa):
    client.force_login(staff_without_mfa)
    TOTP.activate(staff_without_mfa, "JBSWY3DPEHPK3PXP")
    assert client.get("/admin/").status_code == 200


def test_citizens_are_never_asked_for_mfa(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("accounts:home")).status_code == 200


def test_staff_sign_in_asks_for_the_totp_code(client, center_staff):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    response = client.post(
        "/en/accounts/login/", {"login": center_staff.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    import time

    code = format_hotp_value(hotp_value("JBSWY3DPEHPK3PXP", int(time.time()) // 30))
    response = client.post("/en/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


# Roles cannot be self-assigned ---------------------------------------------------------


def test_signup_never_grants_a_role(client, db):
    from center.accounts.models import User

    client.post(
        "/en/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a-long-passphrase-2026",
            "password2": "a-long-passphrase-2026",
            "groups": [Group.objects.get(name=CENTER_STAFF).pk],
            "is_superuser": "on",
        },
    )
    user = User.objects.get(email="new@example.com")
    assert not user.groups.exists()
    assert not user.is_superuser


def test_staff_cannot_change_their_own_roles_in_the_admin(client, center_staff):
    client.force_login(center_staff)
    page = client.get(f"/en/admin/accounts/user/{center_staff.pk}/change/")
    assert page.status_code == 200
    assert 'name="groups"' not in page.content.decode()


def test_center_staff_cannot_grant_the_center_staff_role(client, center_staff, outsider):
    client.force_login(center_staff)
    page = client.get(f"/en/admin/accounts/user/{outsider.pk}/change/").content.decode()
    center_group = Group.objects.get(name=CENTER_STAFF)
    groups_select = page.split('name="groups"', 1)[1].split("</select>", 1)[0]
    assert f'value="{center_group.pk}"' not in groups_select
    assert "coordinator" in groups_select
    assert 'name="is_superuser"' not in page
