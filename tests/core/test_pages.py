import pytest
from django.test import override_settings
from django.urls import path as url_path

from center.core.models import SdgGoal, Ward


def test_the_18_wards_and_17_sdgs_are_loaded(db):
    wards = list(Ward.objects.in_order())
    assert len(wards) == 18
    assert (wards[0].name, wards[-1].name) == ("鶴見区", "瀬谷区")
    assert SdgGoal.objects.count() == 17


def test_japanese_is_served_without_prefix_and_english_under_en(client, db):
    ja = client.get("/about/")
    en = client.get("/en/about/")
    assert '<html lang="ja">' in ja.content.decode()
    assert '<html lang="en">' in en.content.decode()


@pytest.mark.parametrize("path", ["/about/", "/events/", "/privacy/"])
def test_language_switch_links_to_the_same_page(client, db, path):
    ja = client.get(path + "?page=2").content.decode()
    assert f'href="/en{path}?page=2"' in ja
    en = client.get("/en" + path).content.decode()
    assert f'href="{path}"' in en


def test_404_in_both_languages(client, db):
    ja = client.get("/no-such-page/")
    en = client.get("/en/no-such-page/")
    assert ja.status_code == en.status_code == 404
    assert "ページが見つかりません" in ja.content.decode()
    assert "Page not found" in en.content.decode()


def test_unknown_language_prefix_is_a_404_not_a_500(client, db):
    assert client.get("/fr/about/").status_code == 404
    assert client.get("/xx-yy/").status_code == 404


def test_403_in_both_languages(client, outsider):
    client.force_login(outsider)
    ja = client.get("/network/")
    en = client.get("/en/network/")
    assert ja.status_code == en.status_code == 403
    assert "アクセスできません" in ja.content.decode()
    assert "Access denied" in en.content.decode()


def _broken_view(request):
    raise RuntimeError("boom")


urlpatterns_with_error = [url_path("boom/", _broken_view)]


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("accept_language", "text"),
    [("ja", "サーバーエラー"), ("en", "Server error")],
)
def test_500_page_in_both_languages(client, db, accept_language, text):
    client.raise_request_exception = False
    response = client.get("/boom/", headers={"accept-language": accept_language})
    assert response.status_code == 500
    assert text in response.content.decode()


urlpatterns = urlpatterns_with_error
handler500 = "center.core.views.server_error"


@pytest.mark.parametrize(
    "query",
    [
        "?%ff%fe=%zz",
        "?page=<script>alert(1)</script>",
        "?business=" + "x" * 10000,
        "?a=%00%01",
        "?page=-1&page=abc",
    ],
)
def test_malformed_query_strings_never_give_a_500(client, db, query):
    for path in ["/", "/en/", "/events/", "/about/", "/search/"]:
        response = client.get(path + query)
        assert response.status_code < 500, path + query[:40]


def test_robots_and_sitemap(client, db):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots
    assert "Sitemap:" in robots
    sitemap = client.get("/sitemap.xml").content.decode()
    for path in ["/about/", "/en/about/", "/privacy/", "/consultation/"]:
        assert f"http://testserver{path}</loc>" in sitemap


def test_health_reports_the_database_and_the_worker(client, db):
    data = client.get("/health/").json()
    assert data["database"] == "ok"
    assert "worker_last_seen" in data


def test_every_page_has_one_h1_a_skip_link_and_landmarks(client, db):
    for path in ["/", "/en/", "/about/", "/consultation/", "/en/privacy/", "/accounts/login/"]:
        html = client.get(path).content.decode()
        assert html.count("<h1") == 1, path
        assert 'href="#main"' in html and 'id="main"' in html
        assert "<nav" in html and "<footer" in html


def test_privacy_page_states_the_retention_period(client, db, settings):
    settings.CONSULTATION_RETENTION_FISCAL_YEARS = 7
    assert "7" in client.get("/en/privacy/").content.decode()


def test_pages_carry_a_self_only_content_security_policy(client, db):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
