"""Three-part templated mail: templates/emails/<name>-subject.txt, -body.txt, -body.html."""

from collections.abc import Mapping

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def render_templated_email(
    *, template: str, context: Mapping, language: str
) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a mail, rendered in the recipient's language."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}-subject.txt", context)
        text = render_to_string(f"emails/{template}-body.txt", context)
        html = render_to_string(f"emails/{template}-body.html", context)
    # A subject is one line: template newlines would break the header.
    subject = " ".join(subject.split())
    return subject, text, html


def send_templated_email(
    *,
    template: str,
    to: list[str],
    context: Mapping,
    language: str,
    headers: Mapping[str, str] | None = None,
    from_email: str | None = None,
) -> None:
    subject, text, html = render_templated_email(
        template=template, context=context, language=language
    )
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=dict(headers or {}),
    )
    message.attach_alternative(html, "text/html")
    message.send()
