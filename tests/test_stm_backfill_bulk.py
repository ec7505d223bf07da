"""The backfill's bulk write (issue 19's bench: 5,000 past tasks under 60 s): the importer takes
the file in chunks and writes each chunk a table at a time (`engine.batch.create_many`). Shown
here: a bad row in a later chunk still leaves nothing saved (not the earlier chunks, nor their
history, numbers or grants), and a record written in bulk carries the same history row, object
grants, number series and live event as one written by `services.save_record`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from modules.engine import batch, registry, services
from modules.engine.events import record_committed
from modules.engine.models import NumberCounter
from modules.stm import backfill, backfill_demo, backfill_sheet

pytestmark = pytest.mark.django_db

STM = ("Contract", "TaskResult", "HostOrganisation", "PrincipalInvestigator")


def model(name: str):
    return registry.model_for(f"stm.{name}")


def entity(name: str):
    return registry.entity_by_label(f"stm.{name}")


def stored_counts() -> dict[str, int]:
    """Every table the import writes: records, their history and their group grants."""
    out = {}
    for name in STM:
        out[name] = model(name).objects.count()
        out[f"{name} history"] = model(name).history.count()
        grants = registry.classes_for(entity(name))[f"{name}GroupObjectPermission"]
        out[f"{name} grants"] = grants.objects.count()
    out["counters"] = NumberCounter.objects.filter(register__startswith="stm.").count()
    return out


def test_one_bad_row_in_the_third_chunk_of_1200_saves_nothing(org):
    """Chunks of 500: rows 1-1,000 are written (two chunks) before line 1,101 (row 1,100) is
    judged; its result is refused by the result's rule (registered after the acceptance, and
    the task is still in progress), so the whole file is refused and nothing is kept."""
    assert backfill.CHUNK == 500  # the test's premise: the bad row is past two written chunks
    rows = backfill_demo.rows(1200, seed=5, today=dt.date(2026, 12, 1))
    rows[1099] |= {
        "status": "Đang thực hiện",
        "start_on": "01/06/2024",
        "signed_on": "01/06/2024",
        "end_on": "31/05/2027",
        "accepted_on": None,
        "rating": None,
        "result_title": "Quy trình ủ phân",
        "registration_no": "KQ-1",
        "registered_on": "01/01/2025",
    }
    empty = stored_counts()
    report = backfill.import_file(org.officer_a, org.province_a, backfill_sheet.write_template(rows))
    assert not report.ok
    assert (report.rows, report.error_rows) == (1200, 1)
    assert [e["line"] for e in report.errors] == [1101]
    assert report.errors[0]["problems"][0]["column"] == "result_title"
    assert report.as_dict()["created"] == 0
    assert stored_counts() == empty
    assert set(empty.values()) == {0}


def _judged_contract(org, code: str):
    organisation = services.create_record(
        entity("HostOrganisation"), org.officer_a, {"name": f"Viện {code}", "tax_code": ""}
    )
    investigator = services.create_record(
        entity("PrincipalInvestigator"),
        org.officer_a,
        {
            "full_name": f"Nguyễn Văn {code}",
            "organisation": organisation.pk,
            "degree": "doctor",
            "in_field_since": dt.date(2005, 9, 1),
        },
    )
    contract, links, children = services.build_record(
        entity("Contract"),
        org.officer_a,
        {
            "task_code": code,
            "title": "Nghiên cứu giống lúa chịu mặn",
            "task_type": "tech",
            "organisation": organisation.pk,
            "investigator": investigator.pk,
            "start_on": dt.date(2024, 6, 1),
            "end_on": dt.date(2027, 5, 31),
            "state_budget": 1_500_000_000,
            "owner_unit": org.province_a.pk,
        },
    )
    assert (links, children) == ({}, {})
    return contract


def _history_of(contract) -> dict:
    row = contract.history.get()
    skip = {"id", "history_id", "history_date", "number", "task_code", "organisation_id"}
    skip |= {"investigator_id", "search_text", "created_at", "updated_at"}
    return {k: v for k, v in row.__dict__.items() if not k.startswith("_") and k not in skip} | {
        "number_in_history": row.number == contract.number
    }


def _grants_of(contract) -> list[tuple[str, str]]:
    grants = registry.classes_for(entity("Contract"))["ContractGroupObjectPermission"]
    rows = grants.objects.filter(content_object=contract).select_related("group", "permission")
    return sorted(
        (r.group.name.replace(str(contract.organisation_id), "<org>"), r.permission.codename) for r in rows
    )


def test_a_contract_written_in_bulk_has_the_same_history_grants_number_and_event_as_one_by_one(
    org, django_capture_on_commit_callbacks
):
    reason = "Nhập hồi tố / Backfill: so sánh"
    one = _judged_contract(org, "ĐT-1")
    bulk = [_judged_contract(org, "ĐT-2"), _judged_contract(org, "ĐT-3")]
    events: list[tuple[str, str, dict]] = []

    def heard(sender, entity, action, snapshot, **kwargs):
        if sender == "stm.Contract":
            events.append((sender, action, snapshot))

    record_committed.connect(heard, dispatch_uid="test-bulk-heard")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.save_record(
                entity("Contract"), org.officer_a, one, created=True, expected_version=None, reason=reason
            )
            with batch.writing():
                assert batch.bulk_ready(entity("Contract"), model("Contract"))
                batch.create_many(entity("Contract"), org.officer_a, bulk, reason=reason)
    finally:
        record_committed.disconnect(dispatch_uid="test-bulk-heard")
    # the numbering rule HĐNV-{yyyy}-{seq:04}: one series a (local) year, gap-free, in order
    year = timezone.localdate().year
    assert [c.number for c in (one, *bulk)] == [f"HĐNV-{year}-000{n}" for n in (1, 2, 3)]
    stored = {c.pk: c for c in model("Contract").objects.all()}
    for contract in (one, *bulk):
        # the contract's own before-save rule ran: its dossier is due 30 days after its end
        assert stored[contract.pk].acceptance_due == dt.date(2027, 6, 30)
        assert (stored[contract.pk].version, stored[contract.pk].created_by_id) == (1, org.officer_a.pk)
    first = _history_of(stored[one.pk])
    assert first["history_type"] == "+" and first["history_change_reason"] == reason
    assert first["history_user_id"] == org.officer_a.pk and first["number_in_history"]
    for contract in bulk:
        assert _history_of(stored[contract.pk]) == first
        assert (
            _grants_of(stored[contract.pk])
            == _grants_of(stored[one.pk])
            == [("stm-org-<org>", "view_contract")]
        )
    # one live event each, after the commit, carrying the same snapshot shape
    assert [(s, a, e["id"]) for s, a, e in events] == [
        ("stm.Contract", "created", c.pk) for c in (one, *bulk)
    ]
    drop = ("id",)
    shapes = [{k: v for k, v in e.items() if k not in drop} for _, _, e in events]
    assert shapes[1] == shapes[2] == shapes[0]


def test_a_bulk_write_sends_its_events_only_after_the_commit(org, django_capture_on_commit_callbacks):
    heard: list[int] = []

    def listen(sender, entity, action, snapshot, **kwargs):
        heard.append(snapshot["id"])

    contracts = [_judged_contract(org, "ĐT-9")]
    record_committed.connect(listen, dispatch_uid="test-bulk-after-commit")
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            batch.create_many(entity("Contract"), org.officer_a, contracts)
            assert heard == []  # nothing while the transaction is open
        for callback in callbacks:
            callback()
    finally:
        record_committed.disconnect(dispatch_uid="test-bulk-after-commit")
    assert contracts[0].pk in heard
