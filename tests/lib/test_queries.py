"""counts_in_one_query: several counts over different tables in one round trip."""

from center.core.models import Ward
from center.lib.queries import counts_in_one_query


def test_several_counts_come_back_from_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = counts_in_one_query(
            wards=Ward.objects.all(),
            naka=Ward.objects.filter(code="naka"),
            none=Ward.objects.filter(code="atlantis"),
        )
    assert counts == {"wards": 18, "naka": 1, "none": 0}


def test_parameters_are_passed_safely(db):
    hostile = "naka') OR 1=1 --"
    assert counts_in_one_query(found=Ward.objects.filter(code=hostile)) == {"found": 0}


def test_no_querysets_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert counts_in_one_query() == {}
