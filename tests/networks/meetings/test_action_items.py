"""Ward staff update their own ward's action items on the site; another ward's, the
center's or a shared item they can only read; center staff update any."""

from networks.models import ActionItem

from .helpers import center_of, make_action_item


def url(item) -> str:
    return f"/en/network/actions/{item.pk}/"


def test_a_ward_marks_its_own_item_done(client, tsurumi_staff):
    item = make_action_item(owner=center_of("tsurumi"), title="区の活動件数を報告する")
    client.force_login(tsurumi_staff)
    assert 'id="action-item-status-form"' in client.get(url(item)).content.decode()
    response = client.post(url(item), {"status": "done"}, follow=True)
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE
    assert "The status was saved." in response.content.decode()


def test_a_shared_item_of_another_owner_is_read_only(client, tsurumi_staff):
    center_item = make_action_item(owner=None, all_wards=True, title="全区で集計する")
    naka_item = make_action_item(owner=center_of("naka"), all_wards=True, title="中区の共有")
    client.force_login(tsurumi_staff)
    for item in (center_item, naka_item):
        page = client.get(url(item)).content.decode()
        assert 'id="action-item-status-form"' not in page
        assert client.post(url(item), {"status": "done"}).status_code == 403
        item.refresh_from_db()
        assert item.status == ActionItem.Status.OPEN


def test_another_wards_own_item_stays_invisible(client, tsurumi_staff):
    item = make_action_item(owner=center_of("naka"), title="中区だけの課題")
    client.force_login(tsurumi_staff)
    assert client.post(url(item), {"status": "done"}).status_code == 404


def test_center_staff_update_any_item_and_a_bad_status_is_a_message(client, center_staff):
    item = make_action_item(owner=center_of("naka"), title="中区の課題")
    client.force_login(center_staff)
    response = client.post(url(item), {"status": "finished?"}, follow=True)
    assert "Choose one of the statuses." in response.content.decode()
    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN
    client.post(url(item), {"status": "in_progress"})
    item.refresh_from_db()
    assert item.status == ActionItem.Status.IN_PROGRESS
