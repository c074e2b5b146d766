"""allauth pages render in the site layout with the accessible error pattern.

Assertions read English pages (/en/...): the Japanese catalogue is being written elsewhere.
"""

import re
from html.parser import HTMLParser

import pytest

from tests.conftest import PASSWORD

LOGIN_URL = "/en/accounts/login/"
SIGNUP_URL = "/en/accounts/signup/"
RESET_URL = "/en/accounts/password/reset/"
TOTP_ACTIVATE_URL = "/en/accounts/2fa/totp/activate/"
SUMMARY_HEADING = "Please correct the following"


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]):
        self.tag = tag
        self.attrs = attrs
        self.children: list = []  # _Element or str

    def descendants(self):
        for child in self.children:
            if isinstance(child, _Element):
                yield child
                yield from child.descendants()

    def text(self) -> str:
        parts = [c.text() if isinstance(c, _Element) else c for c in self.children]
        return " ".join(" ".join(parts).split())


class _TreeBuilder(HTMLParser):
    """A forgiving tree of the page: enough to follow ids and attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = _Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _page(response) -> _Element:
    builder = _TreeBuilder()
    builder.feed(response.content.decode())
    builder.close()
    return builder.root


def _elements(response, tag=None, **attrs):
    """Elements named `tag` whose attributes include `attrs` (exact values; `for_` is `for`)."""
    wanted = {key.rstrip("_").replace("_", "-"): value for key, value in attrs.items()}
    return [
        element
        for element in _page(response).descendants()
        if (tag is None or element.tag == tag)
        and all(element.attrs.get(key) == value for key, value in wanted.items())
    ]


def _one(response, tag=None, **attrs):
    found = _elements(response, tag, **attrs)
    assert len(found) == 1, f"expected one <{tag or '*'} {attrs}>, found {len(found)}"
    return found[0]


def _contains(outer: _Element, inner: _Element) -> bool:
    return any(
        element.tag == inner.tag and element.attrs == inner.attrs for element in outer.descendants()
    )


def _error_summary(response):
    summary = _one(response, "div", role="alert")
    assert "error-summary" in summary.attrs["class"]
    assert SUMMARY_HEADING in _one(response, "h2", id=summary.attrs["aria-labelledby"]).text()
    return summary


def _without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


# Layout --------------------------------------------------------------------------------


def test_login_page_renders_in_japanese_inside_the_site_layout(client, db):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert _one(response, "html").attrs == {"lang": "ja"}
    _one(response, "a", href="#main")  # the skip link of templates/base.html
    assert _one(response, "main").attrs["id"] == "main"
    assert len(_elements(response, "h1")) == 1


def test_login_page_renders_in_english_with_one_heading(client, db):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert _one(response, "html").attrs == {"lang": "en"}
    _one(response, "a", href="#main")
    assert _one(response, "h1").text() == "Sign In"
    assert _one(response, "title").text().startswith("Sign In |")


@pytest.mark.parametrize(
    "url",
    [
        "/en/accounts/signup/",
        "/en/accounts/password/reset/",
        "/en/accounts/password/reset/done/",
        "/en/accounts/confirm-email/",
    ],
)
def test_every_entrance_page_has_the_site_layout_and_one_heading(client, db, url):
    response = client.get(url)

    assert response.status_code == 200
    _one(response, "a", href="#main")
    assert len(_elements(response, "h1")) == 1


@pytest.mark.parametrize(
    "url", ["/en/accounts/email/", "/en/accounts/password/change/", "/en/accounts/2fa/"]
)
def test_every_settings_page_has_one_heading_and_the_settings_menu(client, outsider, url):
    client.force_login(outsider)

    response = client.get(url)

    assert response.status_code == 200
    assert len(_elements(response, "h1")) == 1
    menu = _one(response, "nav", aria_label="Account settings")
    assert [a.attrs["href"] for a in menu.descendants() if a.attrs.get("aria-current")] == [url]


def test_login_fields_keep_their_labels_and_autocomplete(client, db):
    response = client.get(LOGIN_URL)

    email = _one(response, "input", name="login")
    password = _one(response, "input", name="password")
    assert email.attrs["autocomplete"] == "email"
    assert password.attrs["autocomplete"] == "current-password"
    _one(response, "label", for_=email.attrs["id"])
    _one(response, "label", for_=password.attrs["id"])
    # The help text (the "forgot password" link) is tied to the password input.
    help_text = _one(response, id=password.attrs["aria-describedby"])
    assert "Forgot your password?" in help_text.text()
    # No summary and no invalid marks on a page that has not failed.
    assert _elements(response, role="alert") == []
    assert _elements(response, aria_invalid="true") == []


# Errors --------------------------------------------------------------------------------


def test_failed_login_shows_the_error_summary_with_the_non_field_error(client, outsider):
    response = client.post(LOGIN_URL, {"login": outsider.email, "password": "wrong-password"})

    assert response.status_code == 200
    summary = _error_summary(response)
    assert "The email address and/or password you specified are not correct." in summary.text()
    assert not response.wsgi_request.user.is_authenticated


def test_login_without_a_password_marks_the_field_invalid_and_links_to_it(client, outsider):
    response = client.post(LOGIN_URL, {"login": outsider.email, "password": ""})

    password = _one(response, "input", name="password")
    assert password.attrs["aria-invalid"] == "true"
    summary = _error_summary(response)
    link = _one(response, "a", href=f"#{password.attrs['id']}")
    assert "This field is required." in link.text()
    assert _contains(summary, link)
    # The field that passed is not marked.
    assert "aria-invalid" not in _one(response, "input", name="login").attrs


def test_signup_with_mismatched_passwords_ties_the_error_to_the_field(client, db):
    response = client.post(
        SIGNUP_URL,
        {
            "email": "new-citizen@example.com",
            "password1": "a-long-enough-passphrase",
            "password2": "a-different-passphrase",
        },
    )

    assert response.status_code == 200
    password2 = _one(response, "input", name="password2")
    assert password2.attrs["aria-invalid"] == "true"
    error_ids = [i for i in password2.attrs["aria-describedby"].split() if i.endswith("_error")]
    assert error_ids == [f"{password2.attrs['id']}_error"]
    assert "You must type the same password each time." in _one(response, id=error_ids[0]).text()
    summary_link = _one(response, "a", href=f"#{password2.attrs['id']}")
    assert "You must type the same password each time." in summary_link.text()
    assert _contains(_error_summary(response), summary_link)
    # The help text stays tied as well, and autocomplete is preserved.
    password1 = _one(response, "input", name="password1")
    assert f"{password1.attrs['id']}_helptext" in password1.attrs["aria-describedby"]
    assert password1.attrs["autocomplete"] == "new-password"


def test_signup_form_has_no_field_for_roles_or_groups(client, db):
    response = client.get(SIGNUP_URL)

    names = {
        element.attrs.get("name")
        for tag in ("input", "select", "textarea")
        for element in _elements(response, tag)
    }
    assert names == {"csrfmiddlewaretoken", "email", "password1", "password2"}


def test_signup_ignores_posted_roles_and_staff_flags(client, db):
    from center.accounts.models import User

    client.post(
        SIGNUP_URL,
        {
            "email": "sneaky@example.com",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
            "groups": "center_staff",
            "roles": "center_staff",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )

    user = User.objects.get(email="sneaky@example.com")
    assert not user.groups.exists()
    assert not user.is_superuser
    assert not user.has_staff_role


# Enumeration ---------------------------------------------------------------------------


def test_password_reset_answers_the_same_for_unknown_and_known_addresses(
    client, outsider, mailoutbox
):
    known = client.post(RESET_URL, {"email": outsider.email}, follow=True)
    unknown = client.post(RESET_URL, {"email": "nobody@example.com"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    assert _without_csrf(known) == _without_csrf(unknown)
    assert [m.to for m in mailoutbox if "/password/reset/key/" in m.body] == [[outsider.email]]


def test_password_reset_sends_no_mail_to_an_unknown_address(client, db, mailoutbox):
    client.post(RESET_URL, {"email": "nobody@example.com"})

    assert mailoutbox == []


# MFA -----------------------------------------------------------------------------------


def test_totp_activation_shows_the_secret_as_labelled_text(client, staff_without_mfa):
    client.post(LOGIN_URL, {"login": staff_without_mfa.email, "password": PASSWORD})
    # Setting up MFA asks for the password again first.
    reauthenticate = client.get(TOTP_ACTIVATE_URL, follow=True)
    assert len(_elements(reauthenticate, "h1")) == 1
    client.post(reauthenticate.redirect_chain[-1][0], {"password": PASSWORD})

    response = client.get(TOTP_ACTIVATE_URL)

    assert response.status_code == 200
    assert len(_elements(response, "h1")) == 1
    secret_input = _one(response, "input", id="authenticator_secret")
    secret = secret_input.attrs["value"]
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret)
    # Readonly, not disabled: it can be focused, read aloud and copied.
    assert "readonly" in secret_input.attrs
    assert "disabled" not in secret_input.attrs
    assert _one(response, "label", for_="authenticator_secret").text() == "Authenticator secret"
    assert secret_input.attrs["aria-describedby"] == "authenticator_secret_helptext"
    _one(response, id="authenticator_secret_helptext")
    qr_alt = _one(response, "img").attrs["alt"]
    assert "QR code" in qr_alt
    assert secret not in qr_alt
