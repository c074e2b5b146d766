"""Organizations benchmark for `manage.py bench` (issue #6): the group directory with 2,000
groups, and the spaces' month availability view. One module per area."""

from . import bench_booking, bench_groups


def run(base_url: str, stdout) -> None:
    bench_groups.run(base_url, stdout)
    bench_booking.run(base_url, stdout)
