"""Urgent incoming documents pushed live to the people who must act, against a real Daphne
(`modules/documents/live.py`): who gets what, when, and a live-socket attack.

The rule's text (domain.md §5; the table in live.py): an urgent document (Hỏa tốc, Thượng
khẩn, Khẩn) reaching "registered" goes to whoever may direct it, "directed" to whoever names
its handler (the lead unit's heads), "assigned" to the handler; never to the one who made
the step, never to anyone who may not see it. A normal document is pushed to nobody.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from modules.documents import routing
from modules.engine.models import ApiToken
from tests.conftest import make_user
from tests.documents_helpers import incoming_entity, register
from tests.live_server import collect_events, daphne_server, wait_until_listening

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("legal_days")]

URGENT = (
    "subscription { urgentDocuments { id register numberSymbol subject urgency step action actionLabel url } }"
)
SECRET_CHANGED = "subscription { secretIncomingDocumentChanged { action id } }"
INCOMING_CHANGED = "subscription { incomingDocumentChanged { action id } }"


async def until(predicate: Any, timeout: float = 20) -> None:
    for _ in range(int(timeout / 0.1)):
        if predicate():
            return
        await asyncio.sleep(0.1)


def test_urgent_documents_reach_who_must_act_and_no_one_else(org):
    head_b = make_user("head_b", org.province_b, ("unit_head",))  # may direct, but in province B
    colleague = make_user("office2", org.office, ("specialist",))  # the Office sees every unit
    # (name, user, document, field): the last three try to read what is not theirs
    subscribers = [
        ("head_a", org.head_a, URGENT, "urgentDocuments"),
        ("leader", org.leader, URGENT, "urgentDocuments"),
        ("officer_a", org.officer_a, URGENT, "urgentDocuments"),
        ("specialist", org.specialist, URGENT, "urgentDocuments"),
        ("officer_b", org.officer_b, URGENT, "urgentDocuments"),
        ("head_b", head_b, URGENT, "urgentDocuments"),
        ("colleague", colleague, URGENT, "urgentDocuments"),
        ("leader_secret", org.leader, SECRET_CHANGED, "secretIncomingDocumentChanged"),
        ("officer_b_changes", org.officer_b, INCOMING_CHANGED, "incomingDocumentChanged"),
    ]
    tokens = {name: ApiToken.issue(user, name)[1] for name, user, _doc, _field in subscribers}
    written: dict[str, Any] = {}

    def write() -> None:
        entity = incoming_entity()
        # 1. province A registers a "Khẩn" document: its leaders must direct it
        written["province"] = doc = register(
            org.officer_a, urgency="khan", subject="Khẩn: báo cáo sự cố bức xạ", number_symbol="31/BC-UBND"
        )
        # 2. the Office registers a "Hỏa tốc" secret one naming one reader
        written["secret"] = register(
            org.office_clerk,
            secret=True,
            urgency="hoa_toc",
            subject="Hỏa tốc: kế hoạch bảo vệ bí mật",
            number_symbol="02/KH-BCA",
            readers=[org.specialist.pk],
        )
        # 3. an ordinary document: nobody is pushed
        register(org.officer_a, subject="Thông báo lịch họp tuần", number_symbol="40/TB-UBND")
        # 4. the ministry leader directs the province's document to province A
        doc.refresh_from_db()
        doc = routing.direct(entity, org.leader, doc.pk, doc.version, lead_unit=org.province_a)
        # 5. its head names the handler
        routing.assign(entity, org.head_a, doc.pk, doc.version, handler=org.officer_a)

    with daphne_server() as base:

        async def scenario() -> dict[str, list]:
            seen: dict[str, list] = {name: [] for name, *_ in subscribers}
            readies, listeners = [], []
            for name, _user, document, field in subscribers:
                ready = asyncio.Event()
                readies.append(ready.wait())
                listeners.append(
                    asyncio.create_task(
                        collect_events(base, tokens[name], document, {}, field, seen[name], ready)
                    )
                )
            await asyncio.wait_for(asyncio.gather(*readies), 60)
            await wait_until_listening("documents.urgent")
            await asyncio.get_running_loop().run_in_executor(None, write)
            await until(
                lambda: (
                    len(seen["head_a"]) == 2 and seen["leader"] and seen["officer_a"] and seen["specialist"]
                )
            )
            await asyncio.sleep(1.5)  # give a wrong delivery the time to show up
            for listener in listeners:
                listener.cancel()
            return seen

        seen = asyncio.run(scenario())

    province, secret = written["province"], written["secret"]

    def got(name: str) -> list[tuple[str, str, str]]:
        return [(e["id"], e["register"], e["step"].split(" / ")[1]) for e in seen[name]]

    assert got("head_a") == [
        (str(province.pk), "INCOMING", "Registered"),
        (str(province.pk), "INCOMING", "Directed"),
    ]
    assert got("leader") == [(str(province.pk), "INCOMING", "Registered")]  # not the step he made
    assert got("officer_a") == [(str(province.pk), "INCOMING", "Handler assigned")]
    assert got("specialist") == [(str(secret.pk), "SECRET", "Registered")]  # the named reader
    first = seen["head_a"][0]
    assert first["urgency"] == "Khẩn / Urgent" and first["subject"] == "Khẩn: báo cáo sự cố bức xạ"
    assert first["action"] == "DIRECT" and first["actionLabel"].startswith("Chỉ đạo") and first["url"].endswith(f"/{province.pk}/change/")
    assert seen["specialist"][0]["action"] == "DIRECT"
    assert seen["officer_a"][0]["action"] == "HANDLE"
    # the attack: another province's officer and head, the Office's other clerk, the ministry
    # leader on the secret register: nothing, on the urgent feed or the registers' own feeds
    for name in ("officer_b", "head_b", "colleague", "leader_secret", "officer_b_changes"):
        assert seen[name] == [], (name, seen[name])
