"""A stand-in app stats module for the dashboard's own tests: it reports what period it
was asked for, so the tests see the filters and the ward scope arrive."""

from center.core.stats import BusinessStats, Figure, Table

calls = []


def business_stats(period):
    calls.append(period)
    ward = period.ward.name if period.ward is not None else "横浜市全体"
    return [
        BusinessStats(
            business="consultation",
            figures=[
                Figure("received", "受付件数", 1234),
                Figure("days", "初回対応までの日数", 2.5, "日"),
                Figure("unknown", "測れない数", None),
            ],
            tables=[
                Table(
                    key="by_topic",
                    title="相談テーマ別",
                    columns=["テーマ", "件数"],
                    rows=[("子育て", 41), ("まちづくり", 17), ("=HYPERLINK(1)", 3)],
                ),
                Table(
                    key="by_month",
                    title="月別受付件数",
                    columns=["月", "件数"],
                    rows=[(m.strftime("%Y-%m"), i) for i, m in enumerate(period.months())],
                    chart="column",
                ),
            ],
        ),
        BusinessStats(
            business="ward-centers",
            figures=[Figure("ward", f"対象：{ward}", 18)],
        ),
        BusinessStats(business="no-such-business", figures=[Figure("x", "x", 1)]),
    ]
