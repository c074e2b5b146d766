from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_safe
from django.views.static import serve as static_serve

from .cache import public_cache

SITE_PAGES = {
    # template stem → shown in the sitemap and the footer
    "about": "core/pages/about",
    "access": "core/pages/access",
    "privacy": "core/pages/privacy",
    "accessibility": "core/pages/accessibility",
}


@require_GET
@public_cache
def home(request):
    return render(request, "core/home.html")


@require_GET
@public_cache
def site_page(request, page: str):
    """Long-form pages are written per language (`about.ja.html`, `about.en.html`): prose
    reads better translated as a whole than sentence by sentence through gettext."""
    language = "en" if (get_language() or "ja").startswith("en") else "ja"
    return render(
        request,
        [f"{SITE_PAGES[page]}.{language}.html", f"{SITE_PAGES[page]}.ja.html"],
        {"page": page, "retention_years": settings.CONSULTATION_RETENTION_FISCAL_YEARS},
    )


def coming_soon_view(*, title, summary, features):
    """A placeholder page for an area still being built: it says what is coming."""

    @require_GET
    @public_cache
    def view(request):
        return render(
            request,
            "core/coming_soon.html",
            {"title": title, "summary": summary, "features": features},
        )

    return view


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /en/admin/",
        "Disallow: /en/accounts/",
        "Disallow: /network/",
        "Disallow: /dashboard/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def health(request):
    """For the load balancer and for staff: database, cache and when a worker last ran."""
    from django.core.cache import cache
    from django.db import connection

    from .tasks import HEARTBEAT_CACHE_KEY

    status = {"database": "ok", "cache": "ok", "worker_last_seen": None}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        status["database"] = "error"
    try:
        status["worker_last_seen"] = cache.get(HEARTBEAT_CACHE_KEY)
    except Exception:
        status["cache"] = "error"
    healthy = status["database"] == "ok" and status["cache"] == "ok"
    return JsonResponse(status, status=200 if healthy else 503)


@require_GET
def bench_minimal(request):
    """The benchmark's yardstick: the cheapest Django response this server can give."""
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """Render without context processors: whatever broke the page may break them too."""
    try:
        template = loader.get_template("500.html")
        return HttpResponseServerError(template.render({"LANGUAGE_CODE": get_language()}))
    except Exception:
        return HttpResponseServerError(
            "<!doctype html><title>500</title><h1>500 Server Error / サーバーエラー</h1>",
        )


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


@require_safe
def serve_public_media(request, path: str):
    """A public upload from MEDIA_ROOT (photos, covers, PDFs), with caching headers.

    Django's `serve` joins the path safely (no escaping MEDIA_ROOT) and answers
    If-Modified-Since; stored names change when a file is replaced, so a day of caching
    is safe. Behind a web server that serves /media/ itself, set SERVE_PUBLIC_MEDIA=false.
    """
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    response["X-Content-Type-Options"] = "nosniff"
    return response
