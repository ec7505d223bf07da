"""The S&T pilot of seed 003, replayed at its own times (`engine/replay.py`): 14 provincial
Departments using the module, 68 accounts (28 officers, 40 applicant organisations), 54 calls
for proposals, 45 proposals and 48 dossiers (93), 20 selection or direct-assignment notices,
21 councils and 300 experts. Every step runs through the real write path at its past time,
so numbers, receipt times, eligibility reasons, ballots and results are what the rules give.
Deterministic; run once (skipped when the calls are there).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from modules.engine import registry, replay, services
from modules.org import demo_data
from modules.org.roles import PROVINCIAL_OFFICER

from . import council_hooks, councils, demo_contracts, demo_leftovers, results
from .roles import STM_APPLICANT
from .science_fields import FIELDS

# The 14 pilot Departments of seed 003, by their province after 1/7/2025: Bình Dương (79),
# Bình Định (52), Bình Thuận (68), Đồng Tháp (82), Kon Tum (51), Lào Cai (15), Long An (80),
# Nam Định (37), Phú Yên (66), Sơn La (14), Thái Bình (33), Thái Nguyên (19), Huế (46), Sóc Trăng (92)
PILOT = ("79", "52", "68", "82", "51", "15", "80", "37", "66", "14", "33", "19", "46", "92")
CALLS, PROPOSALS, NOTICES, COUNCILS, DOSSIERS, EXPERTS, APPLICANTS = 54, 45, 20, 21, 48, 300, 40
TOPICS = (
    "Ứng dụng công nghệ sinh học trong sản xuất giống lúa chịu mặn",
    "Nền tảng dữ liệu số phục vụ quản lý nhiệm vụ KH&CN cấp tỉnh",
    "Quy trình chế biến sâu sản phẩm cà phê đặc sản",
    "Giải pháp cảnh báo sớm sạt lở đất bằng cảm biến IoT",
    "Phát triển du lịch cộng đồng gắn với văn hoá địa phương",
    "Công nghệ xử lý nước thải chăn nuôi quy mô hộ",
    "Mô hình nuôi tôm tuần hoàn tiết kiệm nước",
    "Bảo tồn nguồn gen cây dược liệu quý",
    "Hệ thống truy xuất nguồn gốc nông sản bằng mã QR",
    "Ứng dụng trí tuệ nhân tạo hỗ trợ chẩn đoán hình ảnh",
    "Giải pháp năng lượng mặt trời cho trạm bơm thuỷ lợi",
    "Nghiên cứu chính sách thu hút nhân lực KH&CN về tỉnh",
)
ORG_WORDS = ("Viện", "Trung tâm", "Công ty cổ phần", "Trường Đại học", "Hợp tác xã")
ORG_NAMES = (
    "Nông nghiệp Công nghệ cao",
    "Công nghệ Sinh học",
    "Môi trường Xanh",
    "Phần mềm Sao Việt",
    "Dược liệu",
    "Thuỷ sản Miền Nam",
    "Năng lượng Tái tạo",
    "Cơ khí Chính xác",
    "Khoa học Xã hội",
    "Tự động hoá",
)
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ")
MIDDLE = ("Văn", "Thị", "Minh", "Thanh", "Hữu", "Quốc", "Ngọc", "Đức")
GIVEN = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Trang",
)
UNIVERSITIES = (
    "Trường Đại học Bách khoa Hà Nội",
    "Đại học Quốc gia TP. Hồ Chí Minh",
    "Trường Đại học Cần Thơ",
    "Viện Hàn lâm KH&CN Việt Nam",
    "Trường Đại học Huế",
    "Trường Đại học Nông Lâm",
    "Viện Khoa học Nông nghiệp",
    "Trường Đại học Kinh tế Quốc dân",
    "Học viện Nông nghiệp Việt Nam",
    "Trường Đại học Đà Nẵng",
)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def E(name: str) -> Any:
    return registry.entity_by_label(f"stm.{name}")


def seed(out: Any) -> None:
    call_model = registry.model_for("stm.ProposalCall")
    if call_model.objects.exists():
        from .backfill_demo import seed as seed_backfill  # issue 19: ~200 past tasks, its own idempotence

        seed_backfill(out)
        out.write(f"Demo S&T tasks: {call_model.objects.count()} calls present, nothing added.")
        demo_contracts.seed(out)  # part 2 (issue 19), on its own idempotence
        demo_leftovers.seed(out)  # part 1's last rules (issue 18), on its own idempotence
        return
    units = {
        u.province_code: u
        for u in registry.model_for("org.Unit").objects.filter(
            kind="provincial_dost", province_code__in=PILOT
        )
    }
    if len(units) < len(PILOT):
        out.write(
            "Demo S&T tasks: the provincial Departments are missing (run the organisation's seed first)."
        )
        return
    rng = random.Random(18)
    now = timezone.now()
    start = now - dt.timedelta(days=540)
    with transaction.atomic():
        officers = _officers(units)
        applicants = _applicants(rng, start)
        experts = _experts(rng, officers, applicants, start)
        calls = _calls(rng, officers, start, now)
        proposals, ordered = _proposals(rng, calls, applicants, officers, now)
        for call, officer, _published, deadline in calls:  # closed once their proposals are in
            if deadline < now - dt.timedelta(days=1):
                replay.fire_at(deadline + dt.timedelta(days=1), "stm.ProposalCall", officer, call.pk, "close")
        notices = _notices(rng, ordered, applicants, now)
        dossiers = _dossiers(rng, notices, applicants, now)
        councils_made = _councils(rng, notices, experts, now)
    from .backfill_demo import seed as seed_backfill  # issue 19: ~200 past tasks of Bình Dương, imported

    seed_backfill(out)
    out.write(
        f"Demo S&T tasks: {len(units)} Departments, {len(officers) * 2 + len(applicants)} accounts, "
        f"{len(calls)} calls, {len(proposals)} proposals and {len(dossiers)} dossiers, "
        f"{len(notices)} notices, {councils_made} councils, {len(experts)} experts."
    )
    demo_contracts.seed(out)  # part 2 (issue 19): the winners carried through contracts
    demo_leftovers.seed(out)  # issue 18: ranking, paper dossier, cancellation and its notice, secret task


def _officers(units: dict[str, Any]) -> dict[str, list[Any]]:
    """Two officers per pilot Department (28 accounts)."""
    group = Group.objects.get_or_create(name=PROVINCIAL_OFFICER)[0]
    person_model = registry.model_for("org.Person")
    result: dict[str, list[Any]] = {}
    for code, unit in units.items():
        for k in (1, 2):
            user, created = User.objects.get_or_create(
                username=f"stm{code}_{k}",
                defaults={"is_staff": True, "email": f"stm{code}_{k}@{demo_data.EMAIL_DOMAIN}"},
            )
            if created:
                user.set_password(demo_data.DEMO_PASSWORD)
                user.save()
                person = person_model.objects.create(
                    user=user,
                    full_name=f"Cán bộ quản lý nhiệm vụ {k} — {unit.short_name or unit.name}",
                    owner_unit=unit,
                )
                person.roles.add(group)
                user.groups.add(group)
            result.setdefault(code, []).append(user)
    return result


def _applicants(rng: random.Random, start: dt.datetime) -> list[tuple[Any, Any, Any]]:
    """40 host organisations, each registered by its own account with one investigator."""
    group = Group.objects.get_or_create(name=STM_APPLICANT)[0]
    result = []
    for i in range(APPLICANTS):
        when = start + dt.timedelta(days=i * 3, hours=rng.randint(8, 16))
        user = User.objects.create_user(
            username=f"tochuc{i + 1:02}",
            email=f"tochuc{i + 1:02}@{demo_data.EMAIL_DOMAIN}",
            password=demo_data.DEMO_PASSWORD,
        )
        user.groups.add(group)
        name = f"{ORG_WORDS[i % len(ORG_WORDS)]} {ORG_NAMES[i % len(ORG_NAMES)]} {i + 1}"
        with replay.at(when):
            org = services.create_record(
                E("HostOrganisation"), user, {"name": name, "tax_code": f"03{i:08}", "kind": "institute"}
            )
            field = rng.choice(FIELDS)[0]
            pi = services.create_record(
                E("PrincipalInvestigator"),
                user,
                {
                    "full_name": _name(rng),
                    "organisation": org.pk,
                    "science_field": field,
                    "degree": "none" if i % 13 == 7 else rng.choice(["master", "doctor", "doctor"]),
                    "in_field_since": dt.date(rng.randint(2008, 2022), rng.randint(1, 12), 1),
                },
            )
        result.append((user, org, pi))
    return result


def _experts(
    rng: random.Random, officers: dict[str, list[Any]], applicants: list, start: dt.datetime
) -> list[Any]:
    codes = sorted(officers)
    experts = []
    with replay.at(start + dt.timedelta(days=1)):
        for i in range(EXPERTS):
            officer = officers[codes[i % len(codes)]][0]
            expert = services.create_record(
                E("Expert"),
                officer,
                {
                    "full_name": _name(rng),
                    "science_field": FIELDS[i % len(FIELDS)][0],
                    "degree": "doctor",
                    "academic_title": rng.choice(["", "", "PGS", "GS"]),
                    # one in 25 works for an applicant organisation: a conflict the proposal leaves out
                    "organisation": applicants[i % len(applicants)][1].name
                    if i % 25 == 0
                    else rng.choice(UNIVERSITIES),
                    "publications": "Bài báo trên tạp chí chuyên ngành.",
                },
            )
            services.create_record(
                E("ExpertContact"),
                officer,
                {
                    "expert": expert.pk,
                    "phone": demo_data.demo_phone(rng),
                    "email": f"chuyengia{i + 1}@{demo_data.EMAIL_DOMAIN}",
                },
            )
            experts.append(expert)
    return experts


def _calls(
    rng: random.Random, officers: dict[str, list[Any]], start: dt.datetime, now: dt.datetime
) -> list[Any]:
    codes = sorted(officers)
    calls = []
    for i in range(CALLS):
        officer = officers[codes[i % len(codes)]][i % 2]
        published = start + dt.timedelta(days=10 + i * 9, hours=9)
        deadline = published + dt.timedelta(days=45)
        with replay.at(published):
            call = services.create_record(
                E("ProposalCall"),
                officer,
                {
                    "title": f"Kêu gọi đề xuất nhiệm vụ KH&CN năm {published.year + 1} (đợt {i % 3 + 1})",
                    "science_field": rng.choice(FIELDS)[0],
                    "priorities": rng.choice(TOPICS),
                    "deadline": deadline,
                },
            )
            call = replay.fire_at(published, "stm.ProposalCall", officer, call.pk, "publish")
        calls.append((call, officer, published, deadline))
    return calls


def _proposals(rng, calls, applicants, officers, now):
    proposals, ordered = [], []
    for i in range(PROPOSALS):
        call, officer, published, deadline = calls[i % len(calls)]
        user, org, _ = applicants[i % len(applicants)]
        when = min(published + dt.timedelta(days=rng.randint(2, 40), hours=rng.randint(1, 6)), deadline)
        with replay.at(when):
            proposal = services.create_record(
                E("TaskProposal"),
                user,
                {
                    "call": call.pk,
                    "organisation": org.pk,
                    "title": TOPICS[i % len(TOPICS)],
                    "task_type": "tech" if i % 4 else "social",
                    "urgency": "Đáp ứng yêu cầu phát triển kinh tế - xã hội của địa phương.",
                    "objectives": "Làm chủ công nghệ.",
                    "estimated_budget": rng.randint(8, 40) * 100_000_000,
                    "duration_months": rng.choice([18, 24, 30]),
                },
            )
            proposal = replay.fire_at(when, "stm.TaskProposal", user, proposal.pk, "submit")
        proposals.append(proposal)
        decided = deadline + dt.timedelta(days=20)
        if decided < now and i % 3 != 2:
            proposal = replay.fire_at(decided, "stm.TaskProposal", officer, proposal.pk, "approve")
            with replay.at(decided + dt.timedelta(hours=2)):
                task = services.create_record(
                    E("OrderedTask"),
                    officer,
                    {
                        "title": proposal.title,
                        "task_type": proposal.task_type,
                        "science_field": FIELDS[(i * 7) % len(FIELDS)][0],
                        "proposal": proposal.pk,
                        "proposed_by": org.pk,
                        "max_budget": proposal.estimated_budget,
                        "duration_months": proposal.duration_months,
                        "decision_number": f"{100 + i}/QĐ-SKHCN",
                    },
                )
            ordered.append((task, officer, decided))
        elif decided < now:
            replay.fire_at(
                decided,
                "stm.TaskProposal",
                officer,
                proposal.pk,
                "reject",
                "Chưa phù hợp định hướng ưu tiên.",
            )
    return proposals, ordered


def _notices(rng, ordered, applicants, now):
    notices = []
    chosen = sorted(ordered, key=lambda row: row[2])[-NOTICES:]
    for i, (task, officer, decided) in enumerate(chosen):
        published = min(decided + dt.timedelta(days=5, hours=9), now - dt.timedelta(days=2))
        deadline = published + dt.timedelta(days=30 + rng.randint(0, 10))
        direct = i % 5 == 4
        values = {
            "kind": "direct" if direct else "selection",
            "ordered_task": task.pk,
            "title": task.title,
            "task_type": task.task_type,
            "deadline": deadline,
            "content": "Thông báo tuyển chọn tổ chức, cá nhân chủ trì.",
        }
        if direct:
            values["direct_organisation"] = task.proposed_by_id
        with replay.at(published):
            notice = services.create_record(E("SelectionNotice"), officer, values)
        notice = replay.fire_at(published, "stm.SelectionNotice", officer, notice.pk, "publish")
        notices.append((notice, officer, published, deadline))
    return notices


def _dossiers(rng, notices, applicants, now):
    dossiers = []
    by_org = {org.pk: (user, org, pi) for user, org, pi in applicants}
    i = 0
    while len(dossiers) < DOSSIERS and i < DOSSIERS * 3:
        notice, officer, published, deadline = notices[i % len(notices)]
        i += 1
        if notice.kind == "direct":  # the named organisation alone files, once
            user, org, pi = by_org[notice.direct_organisation_id]
            if any(d.notice_id == notice.pk for d in dossiers):
                continue
        else:
            user, org, pi = applicants[(i * 7) % len(applicants)]
        when = min(published + dt.timedelta(days=rng.randint(3, 28), hours=rng.randint(1, 7)), deadline, now)
        with replay.at(when):
            dossier = services.create_record(
                E("SelectionDossier"),
                user,
                {
                    "notice": notice.pk,
                    "organisation": org.pk,
                    "investigator": pi.pk,
                    "title": notice.title,
                    "state_budget": rng.randint(10, 30) * 100_000_000,
                    "duration_months": 24,
                    "objectives": "Làm chủ quy trình công nghệ.",
                    "content_summary": "Khảo sát, thử nghiệm, hoàn thiện.",
                    "team": [
                        {"full_name": _name(rng), "organisation_name": org.name, "role": "Thành viên chính"}
                    ],
                },
            )
            dossier = replay.fire_at(when, "stm.SelectionDossier", user, dossier.pk, "submit")
        dossiers.append(dossier)
    for notice, officer, _published, deadline in notices:
        if deadline >= now - dt.timedelta(days=1):
            continue
        opened = deadline + dt.timedelta(days=2)
        for dossier in registry.model_for("stm.SelectionDossier").objects.filter(
            notice=notice, state="submitted"
        ):
            if dossier.eligible:
                replay.fire_at(opened, "stm.SelectionDossier", officer, dossier.pk, "accept")
            else:
                replay.fire_at(
                    opened,
                    "stm.SelectionDossier",
                    officer,
                    dossier.pk,
                    "reject",
                    "Không đủ điều kiện (xem lý do).",
                )
        replay.fire_at(opened, "stm.SelectionNotice", officer, notice.pk, "open")
    return dossiers


def _councils(rng, notices, experts, now) -> int:
    """A council per notice, proposed by the rule and formed; past meetings scored by paper
    ballots the secretary transcribes; the 21st a proposed council for a re-held meeting."""
    made = 0
    for index, (notice, officer, _published, deadline) in enumerate(notices):
        meeting = deadline + dt.timedelta(days=20, hours=1)
        when = min(deadline + dt.timedelta(days=5), now - dt.timedelta(hours=1))
        made += _council(
            rng, notice, officer, when, meeting, now, title=f"Hội đồng tư vấn tuyển chọn số {index + 1}"
        )
        if index == len(notices) - 1 and made < COUNCILS:
            made += _council(
                rng,
                notice,
                officer,
                when,
                meeting + dt.timedelta(days=7),
                now,
                title="Hội đồng (họp lại)",
                score=False,
            )
    return made


def _council(rng, notice, officer, when, meeting, now, *, title: str, score: bool = True) -> int:
    notice.refresh_from_db()
    with replay.at(when):
        task = notice.ordered_task
        cards = results.expert_cards(officer, task.science_field, when.date())
        proposal = councils.propose(cards, task.science_field, council_hooks.parties_of(notice))
        if proposal.short_by:
            return 0
        members = [
            {"expert": card.id, "role": role, "present": k != 8}
            for k, (role, card) in enumerate(proposal.seats)
        ]
        council = services.create_record(
            E("Council"),
            officer,
            {
                "notice": notice.pk,
                "title": title,
                "meeting_at": meeting,
                "secretary": officer.pk,
                "members": members,
            },
        )
        council = replay.fire_at(when, "stm.Council", officer, council.pk, "form")
    if not score or meeting > now or notice.state != "opened":
        return 1
    council = replay.fire_at(meeting, "stm.Council", officer, council.pk, "open_scoring")
    valid = list(registry.model_for("stm.SelectionDossier").objects.filter(notice=notice, state="valid"))
    with replay.at(meeting + dt.timedelta(minutes=30)):
        for dossier in valid:
            level = rng.randint(62, 88)
            for k, (_role, card) in enumerate(proposal.seats):
                if k == 8:  # absent
                    continue
                services.create_record(
                    E("Ballot"),
                    officer,
                    {
                        "council": council.pk,
                        "dossier": dossier.pk,
                        "expert": card.id,
                        "scores": _ballot(rng, notice.task_type, level),
                    },
                )
    replay.fire_at(meeting + dt.timedelta(hours=2), "stm.Council", officer, council.pk, "close")
    return 1


def _ballot(rng: random.Random, task_type: str, level: int) -> dict[str, int]:
    from .scoring import GRIDS

    return {
        code: max(0, min(top, round(top * (level + rng.randint(-6, 6)) / 100)))
        for code, _, _, top in GRIDS[task_type]
    }
