"""PDF builds of pamphlets and of the business-card center guide.

Queued through the outbox by services/pamphlets.py, so delivered at least once; the
revision number makes each build effectively once: a second delivery of a revision already
built, or a build overtaken by a newer edit, stores nothing.
"""

from celery import shared_task

from .services import pamphlets as services

__all__ = ["build_namecard_pdf", "build_pamphlet_pdf"]

# A 20-page pamphlet with photos renders in seconds; past this something is wrong, and the
# soft limit's exception marks the build failed so staff can rebuild.
SOFT_TIME_LIMIT = 300


@shared_task(
    name="publications.tasks_pamphlets.build_pamphlet_pdf",
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=SOFT_TIME_LIMIT + 60,
)
def build_pamphlet_pdf(pamphlet_id: int, revision: int) -> str:
    """Render and store one pamphlet's A4 PDF if `revision` is still the latest.

    No retries: a render that fails fails again the same way; the status says "failed"
    with the error, and staff rebuild from the admin once the cause is fixed."""
    return services.pamphlet_pdf_build(pamphlet_id=pamphlet_id, revision=revision)


@shared_task(
    name="publications.tasks_pamphlets.build_namecard_pdf",
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=SOFT_TIME_LIMIT + 60,
)
def build_namecard_pdf(card_id: int, revision: int) -> str:
    """Render and store the card PDF and the 10-up A4 sheet if `revision` is still the
    latest. Same failure handling as the pamphlets."""
    return services.namecard_pdf_build(card_id=card_id, revision=revision)
