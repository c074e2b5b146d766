"""The dashboard (/dashboard/), its CSV and the annual report PDF (事業報告書).

All three read the same filters and the same collected numbers, so the PDF and the CSV
always say what the page says. Never cached: numbers are per user's scope.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from center.core.fiscal import fiscal_year_label
from center.lib.pdf import pdf_response, render_pdf
from center.lib.spreadsheet import csv_response

from .access import dashboard_scope
from .charts import chart_alt, chart_data_uri
from .collect import collect
from .forms import DashboardFilterForm


def _dashboard_view(view):
    @wraps(view)
    @never_cache
    @login_required
    @require_GET
    def wrapper(request, *args, **kwargs):
        # Every filter is optional: a bare address is the current fiscal year, city-wide
        # (or the ward of a ward user).
        form = DashboardFilterForm(request.GET, scope=dashboard_scope(request.user))
        if not form.is_valid():
            return render(request, "dashboard/index.html", {"form": form}, status=400)
        return view(request, form, *args, **kwargs)

    return wrapper


def _report_context(form) -> dict:
    period = form.period()
    sections = collect(period)
    for section in sections:
        for table in section.tables:
            table.chart_uri = chart_data_uri(table)
            table.chart_alt = chart_alt(table) if table.chart_uri else ""
    year = form.selected_year()
    return {
        "form": form,
        "period": period,
        "sections": sections,
        "year": year,
        "year_label": fiscal_year_label(year),
        "quarter": form.selected_quarter(),
        "ward": period.ward,
        "generated_at": timezone.localtime(),
    }


@_dashboard_view
def index(request, form):
    context = _report_context(form)
    context["query"] = request.GET.urlencode()
    return render(request, "dashboard/index.html", context)


@_dashboard_view
def report_pdf(request, form):
    context = _report_context(form)
    pdf = render_pdf("pdf/dashboard/annual_report.html", context)
    name = _("Annual report %(year)s") % {"year": context["year_label"]}
    if context["ward"] is not None:
        name += f" {context['ward'].display_name}"
    return pdf_response(pdf, f"{name}.pdf")


@_dashboard_view
def report_csv(request, form):
    context = _report_context(form)
    rows = [
        [_("Annual report %(year)s") % {"year": context["year_label"]}],
        [_("Period"), context["period"].start, context["period"].end],
    ]
    if context["ward"] is not None:
        rows.append([_("Ward"), context["ward"].display_name])
    for section in context["sections"]:
        rows += [[], [section.label]]
        rows += [[figure.label, figure.value, figure.unit] for figure in section.figures]
        for table in section.tables:
            rows += [[], [table.title], table.columns, *table.rows]
    filename = f"annual-report-{context['year']}"
    if context["quarter"]:
        filename += f"-q{context['quarter']}"
    if context["ward"] is not None:
        filename += f"-{context['ward'].code}"
    return csv_response(rows, f"{filename}.csv")
