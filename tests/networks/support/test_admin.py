"""The back office pages of hearings, the question template, support requests and know-how."""

import pytest

from . import file_request, make_article, make_hearing, pdf_upload

pytestmark = pytest.mark.django_db


def test_center_staff_work_in_every_support_admin_page(client, center_staff):
    hearing = make_hearing("tsurumi")
    request = file_request("naka")
    article = make_article("tsurumi", documents=[pdf_upload()])
    client.force_login(center_staff)
    for path in (
        "/admin/networks/hearing/?fiscal_year=2025",
        f"/admin/networks/hearing/{hearing.pk}/change/",
        "/admin/networks/hearingquestion/",
        "/admin/networks/supportrequest/?consultation__status=received",
        f"/admin/networks/knowhowarticle/?category__id__exact={article.category_id}",
        "/admin/networks/knowhowcategory/",
        f"/admin/networks/knowhowarticle/{article.pk}/change/",
    ):
        assert client.get(path).status_code == 200, path
    page = client.get(f"/admin/networks/supportrequest/{request.pk}/change/").text
    assert f"/admin/consultations/consultation/{request.consultation_id}/change/" in page


def test_city_staff_read_but_do_not_change(client, city_staff):
    hearing = make_hearing("tsurumi")
    client.force_login(city_staff)
    assert client.get("/admin/networks/hearing/").status_code == 200
    assert client.get("/admin/networks/hearing/add/").status_code == 403
    assert client.get(f"/admin/networks/hearing/{hearing.pk}/change/").status_code == 200


def test_ward_staff_cannot_open_the_admin(client, tsurumi_staff):
    client.force_login(tsurumi_staff)
    response = client.get("/admin/networks/hearing/")
    assert response.status_code in (302, 403)


def test_editing_an_old_hearing_keeps_the_questions_it_was_asked(client, center_staff):
    from networks.models import HearingQuestion

    from . import make_hearing

    hearing = make_hearing("naka", 2024)
    asked = hearing.answers.count()
    last = HearingQuestion.objects.order_by("-order").first()
    HearingQuestion.objects.create(
        key="new-this-year", text="今年から加えた質問", order=(last.order if last else 0) + 1
    )
    client.force_login(center_staff)
    change = f"/admin/networks/hearing/{hearing.pk}/change/"
    page = client.get(change)
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{formset.formset.prefix}-{name}"] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                data[inline_form.add_prefix(name)] = "" if value is None else value
    response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:500]
    assert hearing.answers.count() == asked
