"""S&T tasks, part 1: the secret task (domain.md §7.13), declared beside `definition.py` (whose
`MODULE` lists it) because three helpers write that file at once. Rules and grants: `secret.py`.

No role may view, change or move a secret task by right: only object grants open it (the
keeper who recorded it, the assigned organisation's group, the readers the keeper names), as
in the documents module's secret register.
"""

from modules.engine.definitions import (
    ALL,
    USER,
    Assignee,
    Boolean,
    Choice,
    DateTime,
    Entity,
    File,
    Hooks,
    Integer,
    Link,
    Lock,
    LongText,
    Money,
    MultiLink,
    State,
    Text,
    Transition,
    Workflow,
)
from modules.org.roles import MINISTRY_LEADER

from . import secret
from .roles import MANAGERS
from .science_fields import FIELDS
from .scoring import TASK_TYPES

# the keeper names who else may read it: they are granted the task, noted in its history
READERS = Assignee(grant_by=(*MANAGERS, MINISTRY_LEADER), grant=("view",))

SECRET_WORKFLOW = Workflow(
    states=(
        State(code="draft", label_vi="Đang lập", label_en="Draft"),
        State(code="filed", label_vi="Đã nộp hồ sơ", label_en="Dossier filed"),
        State(code="approved", label_vi="Đã phê duyệt", label_en="Approved", final=True),
        State(code="cancelled", label_vi="Đã huỷ", label_en="Cancelled", final=True),
    ),
    initial="draft",
    # no role fires a step by right (a role's right would reach rows its holder cannot see)
    transitions=(
        Transition(
            name="file",
            label_vi="Nộp hồ sơ (kèm cam kết B1-7, B1-8, B1-9)",
            label_en="File the dossier (with commitments B1-7, B1-8, B1-9)",
            source=("draft",),
            target="filed",
            roles=(),
            guards=(secret.may_file,),
            hooks=(secret.on_filed,),
        ),
        Transition(
            name="approve",
            label_vi="Phê duyệt",
            label_en="Approve",
            source=("filed",),
            target="approved",
            roles=(),
        ),
        Transition(
            name="cancel",
            label_vi="Huỷ",
            label_en="Cancel",
            source=("draft", "filed"),
            target="cancelled",
            roles=(),
            needs_comment=True,
        ),
    ),
)

SecretTask = Entity(
    name="SecretTask",
    label_vi="Nhiệm vụ KH&CN mật",
    label_en="Secret task",
    plural_vi="Nhiệm vụ KH&CN mật (giao trực tiếp)",
    plural_en="Secret tasks",
    title_field="title",
    numbering="NVM-{yyyy}-{seq:03}",
    workflow=SECRET_WORKFLOW,
    locks=(Lock(states=("filed", "approved", "cancelled"), fields=ALL, except_fields=("readers",)),),
    fields=(
        Text("title", "Tên nhiệm vụ", "Title", required=True, searchable=True),
        Choice("task_type", "Loại nhiệm vụ", "Task type", choices=TASK_TYPES, required=True),
        Choice("science_field", "Lĩnh vực", "Field", choices=FIELDS, required=True),
        Link(
            "organisation",
            "Tổ chức được giao",
            "Assigned organisation",
            target="stm.HostOrganisation",
            required=True,
        ),
        Link(
            "investigator",
            "Chủ nhiệm",
            "Principal investigator",
            target="stm.PrincipalInvestigator",
            required=True,
        ),
        Boolean(
            "investigator_vietnamese_only",
            "Chủ nhiệm chỉ mang quốc tịch Việt Nam",
            "The investigator holds Vietnamese nationality only",
        ),
        Money("state_budget", "Kinh phí ngân sách nhà nước (đồng)", "State budget (VND)"),
        Integer("duration_months", "Thời gian thực hiện (tháng)", "Duration (months)"),
        LongText("objectives", "Mục tiêu", "Objectives"),
        File("commitment_b17", "Mẫu cam kết B1-7", "Commitment form B1-7", accept=("pdf",)),
        File("commitment_b18", "Mẫu cam kết B1-8", "Commitment form B1-8", accept=("pdf",)),
        File("commitment_b19", "Mẫu cam kết B1-9", "Commitment form B1-9", accept=("pdf",)),
        MultiLink("readers", "Người được xem", "Readers", target=USER, assignee=READERS),
        DateTime("filed_at", "Thời điểm nộp hồ sơ (hệ thống)", "Filed at (system time)", computed=True),
    ),
    search_fields=("number", "title"),
    list_display=("number", "title", "organisation", "state"),
    list_filter=("state",),
    # the managing unit's staff may record one; only object grants open it (secret.py)
    permissions={role: ("add",) for role in MANAGERS},
    hooks=Hooks(validate=secret.validate, after_save=secret.after_save),
)
