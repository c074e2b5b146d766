"""Sign-in is rate limited (allauth), in production settings as well as here."""

from django.conf import settings as django_settings

from center.settings import base


def test_production_settings_limit_failed_logins():
    assert "login_failed" in base.ACCOUNT_RATE_LIMITS
    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_repeated_failed_logins_for_one_account_are_refused(client, outsider, settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    for _ in range(5):
        response = client.post("/en/accounts/login/", {"login": outsider.email, "password": "no"})
        assert response.status_code == 200
    # The sixth try is refused even with the right password: the key is locked for a while.
    response = client.post(
        "/en/accounts/login/", {"login": outsider.email, "password": "correct-horse-battery-staple"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()


REDIS_DOWN = {
    "default": {
        "BACKEND": "center.lib.redis_cache.ReusingRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_people_can_still_sign_in_while_the_cache_is_down(client, outsider, settings):
    from tests.conftest import PASSWORD

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    settings.CACHES = REDIS_DOWN
    # A wrong password: the form says so (no 500)...
    response = client.post("/en/accounts/login/", {"login": outsider.email, "password": "no"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    # ...and the right one signs in.
    response = client.post("/en/accounts/login/", {"login": outsider.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(outsider.pk)


def test_a_password_reset_request_works_while_the_cache_is_down(client, outsider, settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    settings.CACHES = REDIS_DOWN
    response = client.post("/en/accounts/password/reset/", {"email": outsider.email})
    assert response.status_code == 302
