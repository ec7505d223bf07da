"""The platform's roles. Each is a Django group named by its code, so role
permissions are ordinary Django permissions an administrator can edit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    code: str
    label_vi: str
    label_en: str
    sees_all_units: bool = False  # ministry-wide view (leaders, the office, admins)


MINISTRY_LEADER = "ministry_leader"
UNIT_HEAD = "unit_head"
SPECIALIST = "specialist"
PROVINCIAL_OFFICER = "provincial_officer"
ONESTOP_CLERK = "onestop_clerk"
SECRETARY = "secretary"
REPORT_REVIEWER = "report_reviewer"
BIOMETRIC_ADMIN = "biometric_admin"
PLATFORM_ADMIN = "platform_admin"

ROLES: tuple[Role, ...] = (
    Role(MINISTRY_LEADER, "Lãnh đạo Bộ", "Ministry leader", sees_all_units=True),
    Role(UNIT_HEAD, "Lãnh đạo đơn vị", "Unit head"),
    Role(SPECIALIST, "Chuyên viên", "Specialist"),
    Role(PROVINCIAL_OFFICER, "Cán bộ Sở KH&CN", "Provincial officer"),
    Role(ONESTOP_CLERK, "Cán bộ một cửa", "One-stop clerk"),
    # A leader's secretary or the office's clerk: records what a leader above them assigns,
    # in the leader's name (the tasks' declared delegations say for whom).
    Role(SECRETARY, "Thư ký lãnh đạo", "Leader's secretary"),
    # The Office staff who receive and consolidate the provinces' periodic reports: they
    # review every province's submissions, so they see all units (for the entities their
    # role is granted, which are the reporting ones).
    Role(REPORT_REVIEWER, "Cán bộ tổng hợp báo cáo", "Report reviewer", sees_all_units=True),
    # Face data is sensitive personal data: only holders of this role see or delete it.
    Role(BIOMETRIC_ADMIN, "Quản trị dữ liệu sinh trắc học", "Biometric data admin", sees_all_units=True),
    Role(PLATFORM_ADMIN, "Quản trị nền tảng", "Platform administrator", sees_all_units=True),
)
ALL_ROLES = tuple(r.code for r in ROLES)
STAFF_ROLES = (
    MINISTRY_LEADER,
    UNIT_HEAD,
    SPECIALIST,
    ONESTOP_CLERK,
    SECRETARY,
    REPORT_REVIEWER,
    BIOMETRIC_ADMIN,
    PLATFORM_ADMIN,
)
ROLES_SEEING_ALL = tuple(r.code for r in ROLES if r.sees_all_units)
