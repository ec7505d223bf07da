"""Who works in the S&T task module.

Applicants (host organisations and principal investigators) are outside the Ministry: their
role is not among `org.roles.ROLES`, so no "every role may view" declaration reaches them.
They hold no unit; what they see is what their organisation's group is granted
(`engine.object_grants`), plus the notices and calls published to everyone.
"""

from modules.org.roles import MINISTRY_LEADER, PLATFORM_ADMIN, PROVINCIAL_OFFICER, SPECIALIST, UNIT_HEAD

STM_APPLICANT = "stm_applicant"
STM_EXPERT = "stm_expert"  # an expert's own account: their profile, their ballots
APPLICANT_LABEL = ("Tổ chức chủ trì / chủ nhiệm nhiệm vụ", "Host organisation / principal investigator")

# the managing unit's staff: a Ministry unit's specialists or a provincial Department's officers
MANAGERS = (SPECIALIST, PROVINCIAL_OFFICER, UNIT_HEAD)
STAFF = (*MANAGERS, MINISTRY_LEADER)
ADMIN = PLATFORM_ADMIN

ORG_GROUP = "stm-org"  # one group per applicant organisation: `stm-org-<id>`
