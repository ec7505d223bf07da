"""The acceptance council's minutes as a PDF (biên bản họp hội đồng đánh giá, nghiệm thu),
domain.md §7 "Acceptance" (TT 11/2014/TT-BKHCN): the members and who was present, the quorum
(two thirds of 9), each member's rating, the count and the result by the rating rule
(`acceptance_rules.rate`, the same function that concluded the council), the measuring group
and the council's conclusions. Drawn like the module's other minutes (`pdfs.py`): A4, DejaVu,
Vietnamese first, values as people read them, never a raw code."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from . import acceptance_rules as rules
from .councils import ROLES
from .pdfs import _build, _header, _styles, _table, _when

TITLE = "BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, NGHIỆM THU NHIỆM VỤ KHOA HỌC VÀ CÔNG NGHỆ"
ROLE_LABELS = {code: vi for code, vi, _ in ROLES}
GROUP_LABELS = {code: vi for code, vi, _ in rules.MEMBER_GROUPS}
MODE_LABELS = {"in_person": "Trực tiếp", "online": "Trực tuyến", "hybrid": "Kết hợp"}
RULE_TEXT = {
    rules.EXCELLENT: "ít nhất 3/4 số thành viên xếp loại Xuất sắc và không có phiếu Không đạt",
    rules.FAIL: "quá 1/3 số thành viên xếp loại Không đạt",
    rules.PASS: "không đủ điều kiện Xuất sắc, không quá 1/3 phiếu Không đạt",
}


def _name(row: Any) -> str:
    return row.full_name or (row.expert.full_name if row.expert_id else "(trống)")


def _organisation(row: Any) -> str:
    return row.organisation or (getattr(row.expert, "organisation", "") if row.expert_id else "") or "—"


def _vote(row: Any) -> str:
    if not row.present:
        return "—"
    return rules.RATING_LABELS[row.vote][0] if row.vote in rules.RATING_LABELS else "Chưa bỏ phiếu"


def acceptance_minutes(council: Any) -> bytes:
    """The minutes of one acceptance council; the result line only once it has concluded."""
    styles = _styles()
    dossier = council.dossier
    contract = dossier.contract
    rows = list(council.members.select_related("expert").order_by("position"))
    seats = [rules.Member(r.group, bool(r.expert_id), bool(r.present), r.role) for r in rows]
    present = sum(1 for r in rows if r.present)
    quorum_problems = rules.quorum(seats)
    members = [["STT", "Họ và tên", "Cơ quan công tác", "Thành phần", "Vai trò", "Có mặt", "Xếp loại"]]
    for index, row in enumerate(rows, 1):
        members.append(
            [
                str(index),
                _name(row),
                _organisation(row),
                GROUP_LABELS.get(row.group, "—"),
                ROLE_LABELS.get(row.role, "Thành viên"),
                "Có" if row.present else "Vắng",
                _vote(row),
            ]
        )
    story: list[Any] = [
        *_header(council.owner_unit.name),
        Paragraph(TITLE, styles["title"]),
        Paragraph(f"Hội đồng {escape(council.number or '')}: {escape(council.title)}.", styles["body"]),
        Paragraph(
            f"Nhiệm vụ: {escape(contract.title)} (hồ sơ nghiệm thu {escape(dossier.number or '')}). "
            f"Tổ chức chủ trì: {escape(contract.organisation.name)}. "
            f"Chủ nhiệm: {escape(contract.investigator.full_name)}.",
            styles["body"],
        ),
        Paragraph(
            f"Thời gian họp: {_when(council.meeting_at)}. "
            f"Hình thức: {MODE_LABELS.get(council.mode, 'Trực tiếp')}.",
            styles["body"],
        ),
        Paragraph(
            f"Có mặt {present}/{len(rows)} thành viên; cần ít nhất 2/3 số thành viên: "
            + ("đủ điều kiện họp." if not quorum_problems else "không đủ điều kiện họp."),
            styles["body"],
        ),
        Spacer(1, 3 * mm),
        _table(members, [9, 38, 34, 30, 24, 14, 25]),
    ]
    group = list(council.measuring_group.all())
    if group:
        names = "; ".join(
            f"{r.full_name} ({r.organisation})" if r.organisation else r.full_name for r in group
        )
        story.append(Paragraph(f"Tổ chuyên gia đo đạc sản phẩm: {escape(names)}.", styles["body"]))
    if council.state == "closed" and council.tally:
        tally = council.tally
        rating = tally.get("rating", council.rating)
        label = rules.RATING_LABELS.get(rating, ("—", ""))[0]
        story += [
            Paragraph(
                f"Kết quả kiểm phiếu: {tally.get('excellent', 0)} Xuất sắc, {tally.get('pass', 0)} Đạt, "
                f"{tally.get('fail', 0)} Không đạt trên {tally.get('present', present)} thành viên có mặt.",
                styles["body"],
            ),
            Paragraph(f"Kết luận xếp loại: {label} ({RULE_TEXT.get(rating, '')}).", styles["body"]),
        ]
    else:
        story.append(Paragraph("Hội đồng chưa kết luận xếp loại.", styles["body"]))
    if council.minutes_note:
        note = escape(council.minutes_note)
        story.append(Paragraph(f"Ý kiến kết luận của hội đồng: {note}", styles["body"]))
    return _build(story, f"Biên bản hội đồng nghiệm thu {council.number}")
