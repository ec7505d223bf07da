"""Province codes carry validity dates (domain.md §6): from 01/7/2025 the 34 provinces'
codes; an old code (45 Quảng Trị, 89 An Giang) stays readable on old records and cannot
be chosen for a new one. Expected names and dates are domain.md's table."""

from __future__ import annotations

import datetime as dt

import pytest

from modules.engine import registry, replay, services
from modules.engine.errors import InvalidInput
from modules.org import provinces
from tests.conftest import make_unit
from tests.graphql import run

pytestmark = pytest.mark.django_db


def unit_entity():
    return registry.entity_by_label("org.Unit")


def test_the_catalogue_holds_34_current_codes_and_reads_a_code_by_its_date():
    assert len(provinces.valid_codes(dt.date(2025, 7, 1))) == 34
    assert len(provinces.valid_codes(dt.date(2025, 6, 30))) == 63
    # 44 meant Quảng Bình until 30/6/2025; from 01/7/2025 Quảng Trị, merged with Quảng Bình
    assert provinces.lookup("44", dt.date(2025, 6, 30)).name == "Tỉnh Quảng Bình"
    assert provinces.lookup("44", dt.date(2025, 7, 1)).name == "Tỉnh Quảng Trị"
    old = provinces.lookup("45", dt.date(2026, 1, 5))  # an old code, read after the reform
    assert (old.name, old.valid_to) == ("Tỉnh Quảng Trị", dt.date(2025, 6, 30))
    assert provinces.lookup("89", dt.date(2026, 1, 5)).name == "Tỉnh An Giang"
    assert provinces.lookup("91", dt.date(2026, 1, 5)).merged == "Kiên Giang"


@pytest.mark.parametrize("old_code", ["45", "89"])
def test_an_old_code_cannot_be_chosen_for_a_new_unit(org, old_code):
    with pytest.raises(InvalidInput) as caught:
        make_unit(org.admin, f"SKHCN-{old_code}", "Sở cũ", "provincial_dost", province_code=old_code)
    [problem] = caught.value.problems
    assert problem.field == "province_code" and "01/07/2025" in problem.message
    assert problem.message.index("hết hiệu lực") < problem.message.index("no longer valid")
    assert not registry.model_for("org.Unit").objects.filter(code=f"SKHCN-{old_code}").exists()


def test_an_unknown_code_is_refused_and_a_current_one_taken(org):
    with pytest.raises(InvalidInput):
        make_unit(org.admin, "SKHCN-99", "Sở X", "provincial_dost", province_code="99")
    unit = make_unit(org.admin, "SKHCN-91", "Sở KH&CN An Giang", "provincial_dost", province_code="91")
    assert unit.province_code == "91"


def test_an_old_record_keeps_its_code_readable_and_editable(org):
    with replay.at(replay.on(dt.date(2025, 6, 16), 9)):  # before the reform, 89 was An Giang
        unit = make_unit(
            org.admin, "SKHCN-89", "Sở KH&CN An Giang (cũ)", "provincial_dost", province_code="89"
        )
    unit = services.update_record(unit_entity(), org.admin, unit.pk, {"short_name": "SKHCN AG"}, unit.version)
    assert unit.province_code == "89"  # not re-judged on another edit
    with pytest.raises(InvalidInput):  # nor may another unit take it now
        services.update_record(unit_entity(), org.admin, org.province_a.pk, {"province_code": "89"}, 1)
    answer = run("{ provinces(includeOld: true) { code name validFrom validTo } }", user=org.officer_a)[
        "data"
    ]["provinces"]
    assert {"code": "89", "name": "Tỉnh An Giang", "validFrom": None, "validTo": "2025-06-30"} in answer
    current = run("{ provinces { code } }", user=org.officer_a)["data"]["provinces"]
    assert len(current) == 34 and {"code": "89"} not in current and {"code": "91"} in current
    moved = services.update_record(unit_entity(), org.admin, unit.pk, {"province_code": "91"}, unit.version)
    assert moved.province_code == "91"
