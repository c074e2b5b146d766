"""Magazine tasks: thin, they take ids and call the services.

- `build_magazine_pdf`: at-least-once, and harmless when repeated: a build for an older
  generation is skipped, and a second build of the current one replaces the file with an
  identical copy (see `publications/services/magazine.py`).
"""

from celery import shared_task

from .services.magazine import magazine_pdf_build

__all__ = ["build_magazine_pdf"]


@shared_task(
    name="publications.tasks_magazine.build_magazine_pdf",
    # A render that hangs must not hold a worker for ever: the soft limit raises inside
    # the render, and the build records the failure for staff to see and retry.
    soft_time_limit=300,
    time_limit=360,
)
def build_magazine_pdf(issue_id: int, generation: int) -> str:
    """Render and store the PDF of one issue for build `generation`."""
    return magazine_pdf_build(issue_id=issue_id, generation=generation)
