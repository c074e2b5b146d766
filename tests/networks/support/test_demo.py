import pytest

from consultations.models import Status
from networks import demo_support
from networks.models import Hearing, KnowHowArticle, KnowHowDocument, SupportRequest

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice_without_duplicates(center_staff, tsurumi_staff, naka_staff):
    demo_support.load()
    demo_support.load()
    assert Hearing.objects.count() == 6
    assert KnowHowArticle.objects.count() == 6
    assert KnowHowDocument.objects.count() == 1
    statuses = {
        (item.ward_center.ward.code, item.consultation.status)
        for item in SupportRequest.objects.select_related("consultation", "ward_center__ward")
    }
    assert ("tsurumi", Status.IN_PROGRESS) in statuses
    assert ("naka", Status.CLOSED) in statuses
    assert SupportRequest.objects.get(ward_center__ward__code="tsurumi").filed_by == tsurumi_staff
