"""Organizations benchmark for `manage.py bench` (issue #6): the group directory with 2,000
groups, and the spaces' month availability view. One module per area."""

from . import bench_groups, bench_spaces


def run(base_url: str, stdout) -> None:
    bench_groups.run(base_url, stdout)
    bench_spaces.run(base_url, stdout)
