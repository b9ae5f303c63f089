"""What a certification email says: the next re-review only for a program that re-reviews, and a
city outside the region files named by its code rather than "None"."""
from services.notify.templates import render

CERTIFIED = "shifan.registry.unit_certified.v1"


def certified(program_id: str, region_code: str) -> dict:
    return {"unit_name": "某单位", "title": "某称号", "certificate_no": "X-2029-00001", "rereview_due": "2031-01-23",
            "program_id": program_id, "region_code": region_code}


def test_a_sichuan_title_tells_its_next_rereview():
    subject, body = render(CERTIFIED, certified("sichuan-ecommerce-demo", "510104"), "")

    assert "成都市" in body and "下次复核 2031-01-23" in body and "re-review due 2031-01-23" in body


def test_a_national_city_title_has_no_rereview_and_its_region_is_named_by_code():
    subject, body = render(CERTIFIED, certified("national-ecommerce-demo-cities", "440300"), "")

    assert "复核" not in body and "re-review" not in body
    assert "（440300）" in body and "None" not in body
