"""A ward user's visit to the network area, end to end, in one session:

signs in with TOTP → reads the published minutes of the last meeting → replies to the next
meeting through the RSVP form → files a support request → center staff move the case along
in their queue → the ward sees the new status. Each page on the way passes axe-core.
"""

from playwright.sync_api import expect

from consultations.models import Channel, Status
from consultations.services import cases as consultation_services
from networks.models import MeetingRsvp, SupportRequest
from tests.browser.conftest import screenshot_path
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_network_meetings import meetings  # noqa: F401 (fixture)
from tests.browser.test_staff_sign_in import current_code
from tests.conftest import PASSWORD


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)


def test_a_ward_user_reads_minutes_replies_and_follows_a_support_request(
    page,
    live_server,
    meetings,  # noqa: F811
    tsurumi_staff,
    center_staff,
):
    upcoming, past = meetings
    page.goto(f"{live_server.url}/network/")
    page.get_by_label("メールアドレス").fill(tsurumi_staff.email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.get_by_label("コード").fill(current_code())
    page.get_by_role("button", name="ログイン").click()
    expect(page).to_have_url(f"{live_server.url}/network/")
    assert_accessible(page)

    # The minutes of the last meeting, from the home page.
    page.locator(f"a[href='/network/meetings/{past.pk}/#minutes']").first.click()
    expect(page.locator("main")).to_contain_text("決定事項")
    assert_accessible(page)

    # The reply to the next meeting.
    page.goto(f"{live_server.url}/network/")
    page.locator(f"a[href='/network/meetings/{upcoming.pk}/rsvp/tsurumi/']").first.click()
    page.locator("#id_attending_0").check()
    page.locator("#id_attendee_names").fill("佐藤、鈴木")
    page.locator("#rsvp-form button[type=submit]").click()
    expect(page.locator("#rsvp-section")).to_contain_text("佐藤、鈴木")
    rsvp = MeetingRsvp.objects.get(meeting=upcoming)
    assert rsvp.attending and rsvp.ward_center.ward.code == "tsurumi"

    # A support request, which becomes a case in the center's queue.
    page.goto(f"{live_server.url}/network/requests/")
    page.locator("#new-support-request").click()
    page.locator("input[name=summary]").fill("NPO法人化の相談を受けた団体への支援")
    page.locator("input[name=group_name]").fill("つるみ子ども応援団")
    page.locator("textarea[name=details]").fill("設立の手続きについて助言がほしい。")
    page.locator("input[name=kind][value=founding]").check()
    page.locator("input[name=urgency][value='3']").check()
    page.locator("#support-request-form button[type=submit]").click()
    expect(page.locator("#support-request-status [data-status]")).to_have_attribute(
        "data-status", "received"
    )
    case = SupportRequest.objects.get().consultation
    assert (case.channel, case.ward.code) == (Channel.WARD_CENTER, "tsurumi")

    consultation_services.consultation_change_status(
        consultation=case, status=Status.IN_PROGRESS, actor=center_staff
    )
    page.reload()
    expect(page.locator("#support-request-status [data-status]")).to_have_attribute(
        "data-status", "in_progress"
    )
    assert_accessible(page)
    page.screenshot(path=screenshot_path("network-journey-status"), full_page=True)
