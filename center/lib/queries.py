"""Several counts in one database round trip.

The dashboard asks each app for a dozen small counts over different tables; one query per
count would take the page past its query budget (issue #8: ≤ 30). `counts_in_one_query`
wraps each queryset as a scalar subquery of a single SELECT, which SQLite and PostgreSQL
both run as one statement.
"""

from django.db import connections
from django.db.models import QuerySet


def counts_in_one_query(using: str = "default", **querysets: QuerySet) -> dict[str, int]:
    """{"news": 3, "talent": 12} for counts_in_one_query(news=qs1, talent=qs2)."""
    if not querysets:
        return {}
    parts, params = [], []
    connection = connections[using]
    quote = connection.ops.quote_name
    for index, (name, queryset) in enumerate(querysets.items()):
        # values("pk") keeps the inner SELECT narrow; order_by() drops needless sorting.
        sql, inner_params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS c{index}) AS {quote(name)}")
        params.extend(inner_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {name: int(value) for name, value in zip(querysets, row, strict=True)}
