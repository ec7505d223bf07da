"""Mẫu 02, 03, 04 and the register (Mẫu 06) as PDFs; the result's return date; who may get them.

The content each form must carry is the rule's (NĐ 61/2018 as domain.md §1.3 gives it): Mẫu 02
states the missing items once, within 3 working days of receipt, and that the time limit
restarts once complete; Mẫu 03 gives the refusal's reason; Mẫu 04 the reason, the first
promised date and the new one. Form numbers: TT 01/2018 Art. 9 (01–06); TT 03/2025 where
domain.md gives them (04 stays 04 with a new name, the register becomes 07), none for 02 and 03.
Dates are written by hand from the 2026 calendar (30/4 and 1/5 are holidays).
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
import time_machine
from django.test import Client

from modules.engine import registry, services
from modules.onestop import pdf_forms, register
from modules.onestop.api import receive, reschedule
from tests.conftest import make_user
from tests.graphql import run
from tests.onestop_helpers import applicant, fire, make_procedure
from tests.test_onestop_pdfs import to_png

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def at(day: str, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hh, minute=mm, tzinfo=HCM)


def text_of(pdf: bytes) -> str:
    """The text with line breaks as spaces (long lines wrap on A5)."""
    assert pdf.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return " ".join(" ".join(page.extract_text() or "" for page in document.pages).split())


def page_size(pdf: bytes) -> tuple[int, int]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return round(document.pages[0].width), round(document.pages[0].height)


def at_time(when: dt.datetime, call, *args, **kwargs):
    with time_machine.travel(when, tick=False):
        return call(*args, **kwargs)


@pytest.fixture
def clerk_a(org):
    """A clerk of the Hà Nội department's one-stop unit (a provincial one)."""
    return make_user("clerk_a", org.province_a, ("onestop_clerk",))


@pytest.fixture
def procedure(org, legal_days):
    return make_procedure(org, days=6)


def test_form_02_states_the_items_the_limit_and_the_restart(org, clerk_a, procedure):
    """Received Wed 29/4/2026 9:00 → Mẫu 02 due Wed 6/5 (30/4, 1/5 off; Mon 4, Tue 5, Wed 6)."""
    dossier = at_time(at("2026-04-29", 9), receive, clerk_a, applicant(procedure))
    asked = "Bản sao hợp đồng có chứng thực\nGiấy xác nhận đăng ký doanh nghiệp"
    dossier = at_time(at("2026-05-04", 10), fire, clerk_a, dossier, "request_supplement", asked)
    pdf = pdf_forms.supplement_request(dossier)
    text = text_of(pdf)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Mẫu số 02 (Thông tư 01/2018/TT-VPCP)" in text
    assert "03/2025" not in text  # domain.md gives no 2025 number for Mẫu 02: none is printed
    assert "1. Bản sao hợp đồng có chứng thực" in text and "2. Giấy xác nhận đăng ký doanh nghiệp" in text
    assert "nêu một lần, đầy đủ" in text and "tính lại từ đầu" in text
    assert "Ngày yêu cầu: 04/05/2026" in text and "hạn yêu cầu bổ sung: 06/05/2026" in text
    assert dossier.number in text and "Công ty CP Công nghệ Sao Mai" in text
    assert page_size(pdf) == (420, 595)  # A5 (TT 01/2018 Art. 9)
    assert to_png(pdf, "onestop-form-02").stat().st_size > 10_000


def test_form_03_gives_the_reason_even_for_an_online_dossier_never_received(org, clerk_a, procedure):
    entity = registry.entity_by_label("onestop.Dossier")
    online = at_time(
        at("2026-11-07", 9), services.create_record, entity, clerk_a, applicant(procedure, channel="online")
    )
    reason = "Thủ tục không thuộc thẩm quyền giải quyết của Sở"
    refused = at_time(at("2026-11-09", 8, 30), fire, clerk_a, online, "refuse", reason)
    assert refused.number == "" and refused.refusal_reason == reason  # never received: no code
    text = text_of(pdf_forms.refusal(refused))
    assert (
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text and "Mẫu số 03 (Thông tư 01/2018/TT-VPCP)" in text
    )
    assert "03/2025" not in text
    assert reason in text and "Ngày: 09/11/2026" in text
    assert to_png(pdf_forms.refusal(refused), "onestop-form-03").stat().st_size > 10_000


def test_form_04_gives_the_reason_the_first_date_and_the_new_one(org, clerk_a, procedure):
    """Received Mon 2/11/2026 9:00, 6 working days → Tue 10/11; apology on Fri 6/11 (at least a
    day before), new date Fri 13/11."""
    dossier = at_time(at("2026-11-02", 9), receive, clerk_a, applicant(procedure))
    assert dossier.promised_date == dt.date(2026, 11, 10)
    dossier = at_time(at("2026-11-02", 10), fire, clerk_a, dossier, "start")
    dossier = at_time(
        at("2026-11-06", 9),
        reschedule,
        clerk_a,
        dossier.pk,
        dossier.version,
        dt.date(2026, 11, 13),
        "Chờ ý kiến thẩm định của Bộ Công Thương",
    )
    text = text_of(pdf_forms.apology(dossier))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "Mẫu số 04 (Thông tư 01/2018/TT-VPCP); Mẫu số 04 (Thông tư 03/2025/TT-VPCP)" in text
    assert "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" in text
    assert "Thời gian hẹn trả kết quả: ngày 10/11/2026" in text and "ngày 13/11/2026" in text
    assert "Chờ ý kiến thẩm định của Bộ Công Thương" in text and "Ngày lập phiếu: 06/11/2026" in text
    assert to_png(pdf_forms.apology(dossier), "onestop-form-04").stat().st_size > 10_000


def returned_on(clerk, admin, procedure, received: dt.datetime, back: dt.datetime):
    dossier = at_time(
        received, receive, clerk, applicant(procedure, applicant_name=f"Người nộp {received:%d}")
    )
    dossier = at_time(received + dt.timedelta(hours=1), fire, clerk, dossier, "start")
    dossier = at_time(received + dt.timedelta(hours=2), fire, admin, dossier, "advance")
    dossier = at_time(back - dt.timedelta(hours=1), fire, admin, dossier, "process")
    return at_time(back, fire, clerk, dossier, "return_result")


def test_the_result_is_handed_back_with_its_date_on_the_dossier_the_lookup_and_the_register(
    org, clerk_a, procedure
):
    """Received Mon 2/11/2026, result handed back Thu 5/11 at 15:20: the date is kept, shown
    on the public lookup (no log-in) and in the unit's register of 2026."""
    done = returned_on(clerk_a, org.admin, procedure, at("2026-11-02", 9), at("2026-11-05", 15, 20))
    assert done.state == "returned"
    assert done.returned_at.astimezone(HCM).date() == dt.date(2026, 11, 5)
    lookup = run(
        "query($c: String!) { dossierLookup(code: $c) { dossier { returnedOn status } } }", {"c": done.number}
    )["data"]["dossierLookup"]["dossier"]
    assert lookup == {"returnedOn": "2026-11-05", "status": "RETURNED"}
    page = Client().get(f"/tra-cuu/?ma={done.number}").content.decode()
    assert "Ngày trả kết quả" in page and "05/11/2026" in page
    second = at_time(
        at("2026-11-03", 10), receive, clerk_a, applicant(procedure, applicant_name="Phạm Thị Dung")
    )
    elsewhere = at_time(
        at("2026-11-03", 11),
        receive,
        make_user("clerk_o", org.office, ("onestop_clerk",)),
        applicant(procedure),
    )
    period = register.resolve(clerk_a, org.province_a.pk, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    pdf = register.pdf(clerk_a, period)
    text = text_of(pdf)
    assert "SỔ THEO DÕI HỒ SƠ NĂM 2026" in text and "Sở KH&CN Hà Nội".upper() in text
    assert "Mẫu số 06 (Thông tư 01/2018/TT-VPCP); Mẫu số 07 (Thông tư 03/2025/TT-VPCP)" in text
    assert done.number in text and second.number in text and elsewhere.number not in text  # one unit's
    assert "05/11/2026" in text  # the result's return date, in its column
    assert [d.register_no for d in register.rows(clerk_a, period)] == [1, 2]
    assert page_size(pdf) == (842, 595)  # A4 landscape (TT 01/2018 Art. 9: the register is A4)
    assert to_png(pdf, "onestop-register").stat().st_size > 10_000


def urls_of(dossier) -> list[str]:
    base = f"/onestop/dossiers/{dossier.pk}"
    return [f"{base}/{name}.pdf" for name in ("receipt", "supplement", "refusal", "apology", "tracking")]


def test_a_provincial_officer_never_gets_another_provinces_forms(org, clerk_a, procedure):
    """Hà Nội's dossier and register: its clerk gets every form; Hồ Chí Minh City's clerk and
    officer get "not found" on every route (PDF, GraphQL, register), as for any other file."""
    dossier = at_time(at("2026-11-02", 9), receive, clerk_a, applicant(procedure))
    dossier = at_time(at("2026-11-02", 10), fire, clerk_a, dossier, "start")
    dossier = at_time(at("2026-11-02", 11), fire, clerk_a, dossier, "request_supplement", "Bản sao hợp đồng")
    dossier = at_time(at("2026-11-02", 12), fire, clerk_a, dossier, "supplement_received")
    dossier = at_time(
        at("2026-11-03", 9),
        reschedule,
        clerk_a,
        dossier.pk,
        dossier.version,
        dt.date(2026, 11, 20),
        "Chờ ý kiến",
    )
    entity = registry.entity_by_label("onestop.Dossier")
    refused = at_time(at("2026-11-03", 10), services.create_record, entity, clerk_a, applicant(procedure))
    refused = at_time(at("2026-11-03", 10, 5), fire, clerk_a, refused, "refuse", "Không thuộc thẩm quyền")
    own = Client()
    own.force_login(clerk_a)
    wanted = [*urls_of(dossier)[:2], urls_of(refused)[2], urls_of(dossier)[3], urls_of(dossier)[4]]
    for url in wanted:
        answer = own.get(url)
        assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf", url
    register_url = f"/onestop/register.pdf?desk={org.province_a.pk}&from=2026-01-01&to=2026-12-31"
    assert own.get(register_url).status_code == 200
    clerk_b = make_user("clerk_b", org.province_b, ("onestop_clerk",))
    for outsider in (clerk_b, org.officer_b):
        client = Client()
        client.force_login(outsider)
        for url in wanted:
            assert client.get(url).status_code == 404, (outsider, url)
        assert client.get(register_url).status_code == 404
        assert client.get(register_url.replace(f"desk={org.province_a.pk}", "desk=")).status_code in (
            200,
            404,
        )  # their own unit's, or none
        query = "query($id: ID!) { dossier(id: $id) { forms { url } } }"
        body = run(query, {"id": str(dossier.pk)}, user=outsider)
        assert not (body.get("data") or {}).get("dossier"), body
        denied = run(
            'query($d: ID!) { dossierRegisterUrl(desk: $d, dateFrom: "2026-01-01", dateTo: "2026-12-31") }',
            {"d": str(org.province_a.pk)},
            user=outsider,
        )
        assert denied["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # and their own register holds nothing of Hà Nội's
    period = register.resolve(clerk_b, org.province_b.pk, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert dossier.number not in text_of(register.pdf(clerk_b, period))
    # not signed in: to the log-in page
    assert Client().get(urls_of(dossier)[1]).status_code == 302


def test_forms_are_listed_on_the_dossier_in_graphql_and_the_admin(org, clerk_a, procedure):
    dossier = at_time(at("2026-11-02", 9), receive, clerk_a, applicant(procedure))
    query = "query($id: ID!) { dossier(id: $id) { forms { number number2025 title url } } }"
    forms = run(query, {"id": str(dossier.pk)}, user=clerk_a)["data"]["dossier"]["forms"]
    assert [(f["number"], f["number2025"]) for f in forms] == [("01", None), ("05", "06")]
    listed = run("{ dossiersConnection { edges { node { number forms { number } } } } }", user=clerk_a)
    assert listed["data"]["dossiersConnection"]["edges"] == [
        {"node": {"number": dossier.number, "forms": [{"number": "01"}, {"number": "05"}]}}
    ]
    dossier = at_time(at("2026-11-02", 10), fire, clerk_a, dossier, "request_supplement", "Bản sao hợp đồng")
    forms = run(query, {"id": str(dossier.pk)}, user=clerk_a)["data"]["dossier"]["forms"]
    supplement = next(f for f in forms if f["number"] == "02")
    assert supplement == {
        "number": "02",
        "number2025": None,
        "title": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "url": f"/onestop/dossiers/{dossier.pk}/supplement.pdf",
    }
    client = Client()
    client.force_login(clerk_a)
    assert client.get(supplement["url"]).status_code == 200
    page = client.get(f"/admin/onestop/dossier/{dossier.pk}/change/").content.decode()
    assert supplement["url"] in page and "/onestop/register.pdf?desk=" in page
    assert client.get(f"/onestop/dossiers/{dossier.pk}/apology.pdf").status_code == 409  # not yet


def test_register_requests_with_bad_periods_get_clear_answers(org, clerk_a):
    client = Client()
    client.force_login(clerk_a)
    desk = org.province_a.pk
    bad = client.get(f"/onestop/register.pdf?desk={desk}&from=2026-13-01&to=2026-12-31")
    assert bad.status_code == 400 and "Ngày không hợp lệ" in bad.content.decode()
    backwards = client.get(f"/onestop/register.pdf?desk={desk}&from=2026-12-31&to=2026-01-01")
    assert backwards.status_code == 400
    too_long = client.get(f"/onestop/register.pdf?desk={desk}&from=2025-01-01&to=2026-12-31")
    assert too_long.status_code == 400 and "một năm" in too_long.content.decode()
    assert client.get("/onestop/register.pdf?desk=abc&from=2026-01-01&to=2026-12-31").status_code == 404
    answer = run(
        'query($d: ID!) { dossierRegisterUrl(desk: $d, dateFrom: "2026-12-31", dateTo: "2026-01-01") }',
        {"d": str(desk)},
        user=clerk_a,
    )
    assert answer["errors"][0]["extensions"] == {"code": "INVALID", "field": "dateTo"}
