"""S&T tasks (STM), part 2 (issue 19): the contract and what happens under it, the acceptance
(nghiệm thu, domain.md §7 "Acceptance", TT 11/2014/TT-BKHCN) and the task's registered result.

Declared here, beside part 1's `definition.py`, whose `MODULE` lists these entities too: three
helpers write the module at once, and part 2's declarations are long. Every row hangs from a
contract (`owner_from`), which belongs to the unit of the selected dossier's notice (or, for a
backfilled task with no dossier, to the unit of whoever records it); the host organisation sees
its own rows through its group's grants (`contract_hooks.grant_to_host`), like part 1.

Rules: `contract_rules.py` (report schedule, what a change moves), `acceptance_rules.py` (the
windows, the council, the rating); hooks: `contract_hooks.py`, `acceptance_hooks.py`; what part 1's
eligibility check reads from these rows: `standing.py`.
"""

from modules.engine.definitions import (
    ALL,
    USER,
    Boolean,
    Children,
    Choice,
    Date,
    DateTime,
    Entity,
    File,
    Hooks,
    Integer,
    Json,
    Link,
    Lock,
    LongText,
    Money,
    State,
    Text,
    Transition,
    Workflow,
)
from modules.org.roles import MINISTRY_LEADER, UNIT_HEAD

from . import acceptance_api, acceptance_hooks, contract_hooks
from .acceptance_rules import MEMBER_GROUPS, RATINGS
from .councils import ROLES
from .roles import ADMIN, MANAGERS, STM_APPLICANT
from .science_fields import FIELDS
from .scoring import TASK_TYPES

MANAGE = {role: ("view", "add", "change") for role in MANAGERS} | {
    MINISTRY_LEADER: ("view",),
    ADMIN: ("view", "add", "change", "delete"),
}
DECIDERS = (UNIT_HEAD, MINISTRY_LEADER)  # who approves a change and signs the recognition

SPENDING_MODES = (
    ("whole", "Khoán chi đến sản phẩm cuối cùng", "Lump sum for the whole task"),
    ("partial", "Khoán chi từng phần", "Partial lump sum"),
)
PRODUCT_KINDS = (
    ("I", "Dạng I: mẫu, vật liệu, thiết bị", "Type I: prototype, material, equipment"),
    ("II", "Dạng II: quy trình, tiêu chuẩn, phần mềm", "Type II: process, standard, software"),
    ("III", "Dạng III: báo cáo, bài báo, sách", "Type III: report, paper, book"),
    ("other", "Khác (đào tạo, sở hữu trí tuệ)", "Other (training, intellectual property)"),
)

# --- the contract -------------------------------------------------------------------------

CONTRACT_WORKFLOW = Workflow(
    states=(
        State(code="draft", label_vi="Dự thảo", label_en="Draft"),
        State(code="active", label_vi="Đang thực hiện", label_en="In progress"),
        State(code="in_acceptance", label_vi="Đang đánh giá, nghiệm thu", label_en="In acceptance"),
        State(code="completed", label_vi="Đã nghiệm thu, công nhận", label_en="Accepted", final=True),
        State(code="failed", label_vi="Nghiệm thu không đạt", label_en="Not accepted", final=True),
        State(code="terminated", label_vi="Chấm dứt hợp đồng", label_en="Terminated", final=True),
    ),
    initial="draft",
    transitions=(
        Transition(
            name="sign",
            label_vi="Ký hợp đồng",
            label_en="Sign",
            source=("draft",),
            target="active",
            roles=MANAGERS,
            guards=(contract_hooks.contract_may_sign,),
            hooks=(contract_hooks.on_signed,),
        ),
        Transition(
            name="terminate",
            label_vi="Chấm dứt hợp đồng",
            label_en="Terminate",
            source=("active", "in_acceptance"),
            target="terminated",
            roles=DECIDERS,
            needs_comment=True,
        ),
    ),
)
# the terms a change request alters (`ContractChange`): locked once signed
TERMS = (
    "organisation",
    "investigator",
    "start_on",
    "end_on",
    "state_budget",
    "other_budget",
    "spending_mode",
    "lump_sum_budget",
    "objectives",
    "products",
    "dossier",
    "task_type",
)

Contract = Entity(
    name="Contract",
    label_vi="Hợp đồng thực hiện nhiệm vụ",
    label_en="Task contract",
    plural_vi="Hợp đồng thực hiện nhiệm vụ",
    plural_en="Task contracts",
    title_field="title",
    numbering="HĐNV-{yyyy}-{seq:04}",
    workflow=CONTRACT_WORKFLOW,
    owner_from="dossier",
    locks=(
        Lock(states=("active", "in_acceptance"), fields=TERMS),
        Lock(states=("completed", "failed", "terminated"), fields=ALL, except_fields=("refunded_on",)),
    ),
    fields=(
        Link(
            "dossier",
            "Hồ sơ trúng tuyển",
            "Selected dossier",
            target="stm.SelectionDossier",
            on_delete="set_null",
            help_vi="Để trống với nhiệm vụ nhập hồi tố. / Empty for a backfilled task.",
        ),
        Text("task_code", "Mã số nhiệm vụ", "Task code", max_length=60, searchable=True, index=True),
        Text("title", "Tên nhiệm vụ", "Task title", required=True, searchable=True),
        Choice("task_type", "Loại nhiệm vụ", "Task type", choices=TASK_TYPES, required=True),
        Choice("science_field", "Lĩnh vực", "Field", choices=FIELDS, filterable=True),
        Text("ordering_party", "Bên đặt hàng (bên giao)", "Ordering party", max_length=255),
        Link(
            "organisation",
            "Tổ chức chủ trì",
            "Host organisation",
            target="stm.HostOrganisation",
            required=True,
        ),
        Link(
            "investigator",
            "Chủ nhiệm nhiệm vụ",
            "Principal investigator",
            target="stm.PrincipalInvestigator",
            required=True,
        ),
        Date("signed_on", "Ngày ký", "Signed on"),
        Date("start_on", "Ngày bắt đầu", "Starts on", required=True),
        Date("end_on", "Ngày kết thúc", "Ends on", required=True, filterable=True),
        Integer("duration_months", "Thời gian thực hiện (tháng)", "Duration (months)", computed=True),
        Money("state_budget", "Kinh phí ngân sách nhà nước (đồng)", "State budget (VND)", required=True),
        Money("other_budget", "Kinh phí từ nguồn khác (đồng)", "Other funding (VND)", default=0),
        Choice(
            "spending_mode", "Phương thức khoán chi", "Spending mode", choices=SPENDING_MODES, default="whole"
        ),
        Money(
            "lump_sum_budget",
            "Kinh phí khoán chi (đồng)",
            "Lump-sum part (VND)",
            help_vi="Khoán chi từng phần: phần kinh phí được khoán. / "
            "Partial lump sum: the part spent as a lump sum.",
        ),
        LongText("objectives", "Mục tiêu, nội dung", "Objectives and content"),
        Children(
            "products",
            "Sản phẩm",
            "Products",
            columns=(
                Text("name", "Tên sản phẩm", "Product", required=True),
                Choice("kind", "Dạng sản phẩm", "Kind", choices=PRODUCT_KINDS, default="III"),
                Text("requirement", "Yêu cầu khoa học, kỹ thuật", "Requirement"),
                Integer("quantity", "Số lượng", "Quantity", default=1),
            ),
        ),
        File("contract_file", "Hợp đồng đã ký", "Signed contract", accept=("pdf",)),
        Date(
            "next_report_due",
            "Hạn báo cáo định kỳ tiếp theo",
            "Next progress report due",
            computed=True,
            filterable=True,
        ),
        Date(
            "acceptance_due",
            "Hạn nộp hồ sơ nghiệm thu",
            "Acceptance dossier due",
            computed=True,
            filterable=True,
        ),
        Money("disbursed", "Đã cấp (đồng)", "Disbursed (VND)", computed=True, default=0),
        Choice(
            "rating",
            "Xếp loại nghiệm thu",
            "Acceptance rating",
            choices=RATINGS,
            computed=True,
            filterable=True,
        ),
        Date("accepted_on", "Ngày quyết định công nhận", "Recognised on", computed=True),
        # "Không đạt" (TT 11/2014): the refund due and the restriction on future applications
        Money("refund_due", "Kinh phí phải hoàn trả (đồng)", "Refund due (VND)", computed=True),
        Date("refunded_on", "Ngày đã hoàn trả", "Refunded on"),
        Date(
            "restricted_until",
            "Hạn chế đăng ký nhiệm vụ mới đến",
            "Barred from new applications until",
            computed=True,
        ),
        Boolean("backfilled", "Nhập hồi tố", "Backfilled", computed=True, filterable=True),
    ),
    search_fields=("number", "task_code", "title"),
    list_display=("number", "title", "organisation", "end_on", "state", "rating"),
    list_filter=("state", "rating", "spending_mode"),
    permissions=MANAGE,
    hooks=Hooks(
        validate=contract_hooks.validate_contract,
        before_save=contract_hooks.before_contract_save,
        after_save=contract_hooks.after_contract_save,
    ),
)

Tranche = Entity(
    name="ContractTranche",
    label_vi="Đợt cấp kinh phí, mốc tiến độ",
    label_en="Tranche and milestone",
    plural_vi="Đợt cấp kinh phí, mốc tiến độ",
    plural_en="Tranches and milestones",
    title_field="title",
    owner_from="contract",
    unique_together=(("contract", "seq"),),
    fields=(
        Link("contract", "Hợp đồng", "Contract", target="stm.Contract", required=True, on_delete="cascade"),
        Integer("seq", "Đợt", "Tranche no.", required=True),
        Text("title", "Mốc tiến độ", "Milestone", required=True),
        Date("due_on", "Hạn hoàn thành mốc", "Milestone due", required=True, filterable=True),
        Money("amount", "Kinh phí của đợt (đồng)", "Tranche amount (VND)", required=True),
        LongText("deliverables", "Sản phẩm của mốc", "Milestone deliverables"),
        Date("done_on", "Ngày đạt mốc", "Reached on"),
        Money("disbursed", "Đã cấp (đồng)", "Disbursed (VND)", computed=True, default=0),
    ),
    list_display=("contract", "seq", "title", "due_on", "amount", "disbursed", "done_on"),
    permissions=MANAGE,
    hooks=Hooks(validate=contract_hooks.validate_tranche, after_save=contract_hooks.grant_to_host),
)

Disbursement = Entity(
    name="Disbursement",
    label_vi="Cấp kinh phí",
    label_en="Disbursement",
    plural_vi="Cấp kinh phí",
    plural_en="Disbursements",
    title_field="reference",
    owner_from="contract",
    fields=(
        Link("contract", "Hợp đồng", "Contract", target="stm.Contract", required=True),
        Link("tranche", "Đợt", "Tranche", target="stm.ContractTranche", required=True),
        Money("amount", "Số tiền (đồng)", "Amount (VND)", required=True),
        Date("paid_on", "Ngày cấp", "Paid on", required=True),
        Text("reference", "Số chứng từ", "Payment reference", max_length=80),
    ),
    list_display=("contract", "tranche", "amount", "paid_on", "reference"),
    permissions=MANAGE,
    hooks=Hooks(
        validate=contract_hooks.validate_disbursement,
        after_save=contract_hooks.after_disbursement_save,
    ),
)

REPORT_KINDS = (
    ("periodic", "Định kỳ 6 tháng", "Six-monthly"),
    ("on_request", "Đột xuất theo yêu cầu", "On request"),
)
REPORT_WORKFLOW = Workflow(
    states=(
        State(code="draft", label_vi="Đang soạn", label_en="Draft"),
        State(code="submitted", label_vi="Đã nộp", label_en="Submitted"),
        State(code="reviewed", label_vi="Đã xem xét", label_en="Reviewed", final=True),
    ),
    initial="draft",
    transitions=(
        Transition(
            name="submit",
            label_vi="Nộp báo cáo",
            label_en="Submit",
            source=("draft",),
            target="submitted",
            roles=(STM_APPLICANT, *MANAGERS),
            hooks=(contract_hooks.on_report_submitted,),
        ),
        Transition(
            name="review",
            label_vi="Đã xem xét",
            label_en="Reviewed",
            source=("submitted",),
            target="reviewed",
            roles=MANAGERS,
            guards=(contract_hooks.review_written,),
            hooks=(contract_hooks.on_report_reviewed,),
        ),
        Transition(
            name="return_report",
            label_vi="Trả lại để bổ sung",
            label_en="Return for more",
            source=("submitted",),
            target="draft",
            roles=MANAGERS,
            needs_comment=True,
        ),
    ),
)

ProgressReport = Entity(
    name="ProgressReport",
    label_vi="Báo cáo tiến độ",
    label_en="Progress report",
    plural_vi="Báo cáo tiến độ",
    plural_en="Progress reports",
    title_field="number",
    numbering="BCTĐ-{yyyy}-{seq:04}",
    workflow=REPORT_WORKFLOW,
    owner_from="contract",
    locks=(
        Lock(states=("submitted", "reviewed"), fields=ALL, except_fields=("review_note",)),
        Lock(states=("reviewed",), fields=("review_note",)),
    ),
    fields=(
        Link("contract", "Hợp đồng", "Contract", target="stm.Contract", required=True),
        Choice("kind", "Loại báo cáo", "Kind", choices=REPORT_KINDS, default="periodic", filterable=True),
        Date(
            "due_on",
            "Hạn nộp",
            "Due on",
            filterable=True,
            help_vi="Báo cáo định kỳ: theo hợp đồng; đột xuất: theo yêu cầu. / "
            "Six-monthly: from the contract; on request: as asked.",
        ),
        Date("period_end", "Số liệu đến ngày", "Reporting up to"),
        LongText("products_achieved", "Sản phẩm đã đạt", "Products achieved"),
        Money("spent", "Kinh phí đã sử dụng (đồng)", "Money spent (VND)"),
        LongText("work_done", "Nội dung đã thực hiện", "Work done"),
        File("report_file", "Báo cáo đã ký", "Signed report", accept=("pdf",)),
        DateTime("submitted_at", "Thời điểm nộp", "Submitted at", computed=True),
        Boolean("late", "Nộp muộn", "Late", computed=True, filterable=True),
        LongText("review_note", "Ý kiến của đơn vị quản lý", "Managing unit's review"),
        Date("reviewed_on", "Ngày xem xét", "Reviewed on", computed=True),
    ),
    list_display=("number", "contract", "kind", "due_on", "submitted_at", "state"),
    list_filter=("kind", "state", "late"),
    permissions=MANAGE | {STM_APPLICANT: ("add",)},
    hooks=Hooks(
        validate=contract_hooks.validate_report,
        before_save=contract_hooks.before_report_save,
        after_save=contract_hooks.after_report_save,
    ),
)

INSPECTION_VERDICTS = (
    ("on_track", "Đúng tiến độ", "On track"),
    ("behind", "Chậm tiến độ, cần khắc phục", "Behind, to be remedied"),
    ("serious", "Vi phạm nghiêm trọng, đề nghị xử lý", "Serious breach, action proposed"),
)

Inspection = Entity(
    name="ContractInspection",
    label_vi="Kiểm tra tại cơ sở",
    label_en="On-site inspection",
    plural_vi="Kiểm tra tại cơ sở",
    plural_en="On-site inspections",
    title_field="number",
    numbering="KT-{yyyy}-{seq:04}",
    owner_from="contract",
    fields=(
        Link("contract", "Hợp đồng", "Contract", target="stm.Contract", required=True),
        Date("inspected_on", "Ngày kiểm tra", "Inspected on", required=True),
        Text("inspectors", "Đoàn kiểm tra", "Inspectors"),
        LongText("findings", "Kết quả kiểm tra", "Findings", required=True),
        Choice("verdict", "Kết luận", "Verdict", choices=INSPECTION_VERDICTS, required=True, filterable=True),
        LongText("recommendations", "Kiến nghị", "Recommendations"),
        File("minutes_file", "Biên bản kiểm tra", "Inspection minutes", accept=("pdf", "images")),
    ),
    list_display=("contract", "inspected_on", "verdict"),
    permissions=MANAGE,
    hooks=Hooks(after_save=contract_hooks.grant_to_host),
)

CHANGE_KINDS = (
    ("extension", "Gia hạn thời gian thực hiện", "Extension"),
    ("budget", "Điều chỉnh kinh phí", "Budget adjustment"),
    ("investigator", "Thay đổi chủ nhiệm nhiệm vụ", "Change of investigator"),
    ("content", "Điều chỉnh mục tiêu, nội dung, sản phẩm", "Change of content"),
)
CHANGE_WORKFLOW = Workflow(
    states=(
        State(code="draft", label_vi="Đang soạn", label_en="Draft"),
        State(code="submitted", label_vi="Chờ phê duyệt", label_en="Awaiting approval"),
        State(code="approved", label_vi="Đã phê duyệt", label_en="Approved", final=True),
        State(code="rejected", label_vi="Không phê duyệt", label_en="Rejected", final=True),
    ),
    initial="draft",
    transitions=(
        Transition(
            name="submit",
            label_vi="Gửi đề nghị",
            label_en="Submit",
            source=("draft",),
            target="submitted",
            roles=(STM_APPLICANT, *MANAGERS),
            guards=(contract_hooks.change_contract_open,),
        ),
        Transition(
            name="approve",
            label_vi="Phê duyệt điều chỉnh",
            label_en="Approve the change",
            source=("submitted",),
            target="approved",
            roles=DECIDERS,
            guards=(contract_hooks.change_contract_open,),
            hooks=(contract_hooks.on_change_approved,),
        ),
        Transition(
            name="reject",
            label_vi="Không phê duyệt",
            label_en="Reject",
            source=("submitted",),
            target="rejected",
            roles=DECIDERS,
            needs_comment=True,
        ),
    ),
)

ContractChange = Entity(
    name="ContractChange",
    label_vi="Điều chỉnh hợp đồng",
    label_en="Contract change",
    plural_vi="Điều chỉnh hợp đồng",
    plural_en="Contract changes",
    title_field="number",
    numbering="ĐCHĐ-{yyyy}-{seq:04}",
    workflow=CHANGE_WORKFLOW,
    owner_from="contract",
    locks=(Lock(states=("submitted", "approved", "rejected"), fields=ALL),),
    fields=(
        Link("contract", "Hợp đồng", "Contract", target="stm.Contract", required=True),
        Choice(
            "kind", "Loại điều chỉnh", "Kind of change", choices=CHANGE_KINDS, required=True, filterable=True
        ),
        LongText("reason", "Lý do", "Reason", required=True),
        Date("new_end_on", "Ngày kết thúc mới", "New end date"),
        Money("new_state_budget", "Kinh phí NSNN mới (đồng)", "New state budget (VND)"),
        Money("new_other_budget", "Kinh phí nguồn khác mới (đồng)", "New other funding (VND)"),
        Link(
            "new_investigator",
            "Chủ nhiệm mới",
            "New principal investigator",
            target="stm.PrincipalInvestigator",
            on_delete="set_null",
        ),
        LongText("new_objectives", "Mục tiêu, nội dung mới", "New objectives and content"),
        # the contract's values before the change, kept with the change (the contract's history too)
        Json("before", "Giá trị trước điều chỉnh", "Values before the change", computed=True, default=dict),
        Json("moved", "Các hạn được dời", "Deadlines moved", computed=True, default=dict),
        Date("decided_on", "Ngày quyết định", "Decided on", computed=True),
    ),
    list_display=("number", "contract", "kind", "state", "decided_on"),
    list_filter=("kind", "state"),
    permissions=MANAGE | {STM_APPLICANT: ("add",)},
    hooks=Hooks(validate=contract_hooks.validate_change, after_save=contract_hooks.after_change_save),
)

# --- acceptance (TT 11/2014/TT-BKHCN) -----------------------------------------------------

ACCEPTANCE_WORKFLOW = Workflow(
    states=(
        State(code="draft", label_vi="Đang soạn", label_en="Draft"),
        State(code="submitted", label_vi="Đã nộp, đang kiểm tra", label_en="Submitted: validity check"),
        State(code="incomplete", label_vi="Chờ bổ sung", label_en="Missing items requested"),
        State(code="valid", label_vi="Hợp lệ, chờ công khai", label_en="Valid: to publish"),
        State(code="published", label_vi="Đã công khai, chờ hội đồng", label_en="Published: council pending"),
        State(code="revising", label_vi="Hoàn thiện sau nghiệm thu", label_en="Revising after the council"),
        State(
            code="awaiting_recognition", label_vi="Chờ quyết định công nhận", label_en="Awaiting recognition"
        ),
        State(code="recognised", label_vi="Đã công nhận kết quả", label_en="Recognised", final=True),
        State(code="failed", label_vi="Không đạt", label_en="Not accepted"),
        State(
            code="failure_recorded",
            label_vi="Không đạt, đã xử lý",
            label_en="Not accepted: recorded",
            final=True,
        ),
        State(code="rejected", label_vi="Không hợp lệ", label_en="Invalid", final=True),
    ),
    initial="draft",
    transitions=(
        Transition(
            name="submit",
            label_vi="Nộp hồ sơ nghiệm thu",
            label_en="Submit the acceptance dossier",
            source=("draft",),
            target="submitted",
            roles=(STM_APPLICANT, *MANAGERS),
            guards=(acceptance_hooks.dossier_complete,),
            hooks=(acceptance_hooks.on_submitted,),
        ),
        Transition(
            name="request_missing",
            label_vi="Yêu cầu bổ sung",
            label_en="Request missing items",
            source=("submitted",),
            target="incomplete",
            roles=MANAGERS,
            needs_comment=True,
            hooks=(acceptance_hooks.on_missing_requested,),
        ),
        Transition(
            name="complete",
            label_vi="Nộp bổ sung",
            label_en="Supply the missing items",
            source=("incomplete",),
            target="submitted",
            roles=(STM_APPLICANT, *MANAGERS),
            guards=(acceptance_hooks.step_in_time, acceptance_hooks.dossier_complete),
            hooks=(acceptance_hooks.on_completed,),
        ),
        Transition(
            name="accept",
            label_vi="Hồ sơ hợp lệ",
            label_en="Valid",
            source=("submitted",),
            target="valid",
            roles=MANAGERS,
            guards=(acceptance_hooks.dossier_complete,),
            hooks=(acceptance_hooks.on_valid,),
        ),
        Transition(
            name="reject",
            label_vi="Không hợp lệ",
            label_en="Invalid",
            source=("submitted", "incomplete"),
            target="rejected",
            roles=MANAGERS,
            needs_comment=True,
        ),
        Transition(
            name="publish",
            label_vi="Công khai hồ sơ",
            label_en="Publish",
            source=("valid",),
            target="published",
            roles=MANAGERS,
            hooks=(acceptance_hooks.on_published,),
        ),
        Transition(
            name="submit_revision",
            label_vi="Nộp hồ sơ hoàn thiện",
            label_en="Submit the revision",
            source=("revising",),
            target="awaiting_recognition",
            roles=(STM_APPLICANT, *MANAGERS),
            guards=(acceptance_hooks.step_in_time, acceptance_hooks.revision_attached),
            hooks=(acceptance_hooks.on_revision_submitted,),
        ),
        Transition(
            name="recognise",
            label_vi="Quyết định công nhận kết quả",
            label_en="Recognise the results",
            source=("awaiting_recognition",),
            target="recognised",
            roles=DECIDERS,
            guards=(acceptance_hooks.decision_written,),
            hooks=(acceptance_hooks.on_recognised,),
        ),
        Transition(
            name="record_failure",
            label_vi="Ghi nhận xử lý không đạt",
            label_en="Record the consequences",
            source=("failed",),
            target="failure_recorded",
            roles=DECIDERS,
            guards=(acceptance_hooks.consequences_written,),
            hooks=(acceptance_hooks.on_failure_recorded,),
        ),
    ),
)
DOSSIER_PARTS = (
    "self_assessment",
    "full_report",
    "summary_report",
    "products_report",
    "spending_report",
    "logbooks",
)

AcceptanceDossier = Entity(
    name="AcceptanceDossier",
    label_vi="Hồ sơ đánh giá, nghiệm thu",
    label_en="Acceptance dossier",
    plural_vi="Hồ sơ đánh giá, nghiệm thu",
    plural_en="Acceptance dossiers",
    title_field="number",
    numbering="NT-{yyyy}-{seq:04}",
    numbering_on="submit",
    workflow=ACCEPTANCE_WORKFLOW,
    owner_from="contract",
    locks=(
        Lock(
            states=(
                "submitted",
                "valid",
                "published",
                "awaiting_recognition",
                "recognised",
                "failure_recorded",
                "rejected",
            ),
            fields=ALL,
            except_fields=("decision_number",),
        ),
        Lock(states=("recognised", "failure_recorded", "rejected"), fields=("decision_number",)),
        Lock(states=("incomplete",), fields=("contract",)),
        Lock(states=("revising",), fields=ALL, except_fields=("revision_file",)),
        Lock(states=("failed",), fields=ALL, except_fields=("refund_due", "restricted_until")),
    ),
    fields=(
        Link("contract", "Hợp đồng", "Contract", target="stm.Contract", required=True),
        File("self_assessment", "Báo cáo tự đánh giá", "Self-assessment", accept=("pdf",)),
        File("full_report", "Báo cáo tổng hợp", "Full report", accept=("pdf",)),
        File("summary_report", "Báo cáo tóm tắt", "Summary report", accept=("pdf",)),
        File("products_report", "Báo cáo về sản phẩm", "Products report", accept=("pdf",)),
        File("spending_report", "Báo cáo tình hình sử dụng kinh phí", "Spending report", accept=("pdf",)),
        File("logbooks", "Sổ nhật ký, số liệu gốc", "Logbooks and raw data", accept=("pdf", "images")),
        File("revision_file", "Hồ sơ hoàn thiện sau nghiệm thu", "Revised dossier", accept=("pdf",)),
        Date(
            "due_on",
            "Hạn nộp (30 ngày sau khi kết thúc hợp đồng)",
            "Due (30 days after the contract's end)",
            computed=True,
        ),
        DateTime("received_at", "Thời điểm nhận (hệ thống)", "Received at (system time)", computed=True),
        Boolean("late", "Nộp quá hạn", "Filed late", computed=True, filterable=True),
        LongText("missing_items", "Nội dung cần bổ sung", "Missing items", computed=True),
        Date("step_due", "Hạn của bước hiện tại", "Current step due", computed=True, filterable=True),
        Date("valid_on", "Ngày xác nhận hợp lệ", "Found valid on", computed=True),
        Date("published_until", "Công khai đến", "Published until", computed=True),
        Date("council_due", "Hạn thành lập hội đồng", "Council to be formed by", computed=True),
        Choice("rating", "Xếp loại", "Rating", choices=RATINGS, computed=True, filterable=True),
        Date("rated_on", "Ngày hội đồng đánh giá", "Rated on", computed=True),
        Text("decision_number", "Số quyết định công nhận", "Recognition decision no.", max_length=80),
        Date("decided_on", "Ngày quyết định công nhận", "Recognised on", computed=True),
        Money("refund_due", "Kinh phí phải hoàn trả (đồng)", "Refund due (VND)"),
        Date("restricted_until", "Hạn chế đăng ký nhiệm vụ mới đến", "Barred from new applications until"),
    ),
    search_fields=("number",),
    list_display=("number", "contract", "received_at", "step_due", "state", "rating"),
    list_filter=("state", "rating", "late"),
    permissions=MANAGE | {STM_APPLICANT: ("add",)},
    hooks=Hooks(
        validate=acceptance_hooks.validate_dossier,
        before_save=acceptance_hooks.before_dossier_save,
        after_save=acceptance_hooks.after_dossier_save,
    ),
)

COUNCIL_WORKFLOW = Workflow(
    states=(
        State(code="proposed", label_vi="Dự kiến", label_en="Proposed"),
        State(code="formed", label_vi="Đã thành lập", label_en="Formed"),
        State(code="meeting", label_vi="Đang họp, bỏ phiếu", label_en="Meeting: voting"),
        State(code="closed", label_vi="Đã kết luận", label_en="Concluded", final=True),
    ),
    initial="proposed",
    transitions=(
        Transition(
            name="form",
            label_vi="Thành lập hội đồng",
            label_en="Form the council",
            source=("proposed",),
            target="formed",
            roles=DECIDERS + MANAGERS,
            guards=(acceptance_hooks.council_composed,),
            hooks=(acceptance_hooks.on_council_formed,),
        ),
        Transition(
            name="open_meeting",
            label_vi="Khai mạc phiên họp",
            label_en="Open the meeting",
            source=("formed",),
            target="meeting",
            roles=MANAGERS,
            guards=(acceptance_hooks.meeting_in_time, acceptance_hooks.council_quorum),
        ),
        Transition(
            name="conclude",
            label_vi="Kết luận xếp loại",
            label_en="Conclude the rating",
            source=("meeting",),
            target="closed",
            roles=MANAGERS,
            guards=(acceptance_hooks.council_quorum, acceptance_hooks.votes_cast),
            hooks=(acceptance_hooks.on_council_concluded,),
        ),
    ),
)

AcceptanceCouncil = Entity(
    name="AcceptanceCouncil",
    label_vi="Hội đồng đánh giá, nghiệm thu",
    label_en="Acceptance council",
    plural_vi="Hội đồng nghiệm thu",
    plural_en="Acceptance councils",
    title_field="title",
    numbering="HĐNT-{yyyy}-{seq:03}",
    workflow=COUNCIL_WORKFLOW,
    owner_from="dossier",
    locks=(
        Lock(states=("formed",), fields=("dossier",)),
        Lock(
            states=("meeting",),
            fields=ALL,
            except_fields=("members", "measuring_group", "measuring_report", "minutes_note"),
        ),
        Lock(states=("closed",), fields=ALL, except_fields=("minutes_note",)),
    ),
    fields=(
        Link(
            "dossier", "Hồ sơ nghiệm thu", "Acceptance dossier", target="stm.AcceptanceDossier", required=True
        ),
        Text("title", "Tên hội đồng", "Title", required=True, searchable=True),
        Date("formed_on", "Ngày thành lập", "Formed on", computed=True),
        Date(
            "meeting_due",
            "Hạn họp (30 ngày từ khi thành lập)",
            "Meeting due (30 days from formation)",
            computed=True,
        ),
        DateTime("meeting_at", "Thời gian họp", "Meeting at"),
        Choice(
            "mode",
            "Hình thức họp",
            "Meeting mode",
            choices=(
                ("in_person", "Trực tiếp", "In person"),
                ("online", "Trực tuyến", "Online"),
                ("hybrid", "Kết hợp", "Hybrid"),
            ),
            default="in_person",
        ),
        Link("secretary", "Thư ký hành chính", "Council secretary", target=USER, on_delete="set_null"),
        Children(
            "members",
            "Thành viên và phiếu đánh giá",
            "Members and votes",
            columns=(
                Link(
                    "expert",
                    "Chuyên gia (cơ sở dữ liệu)",
                    "Expert (database)",
                    target="stm.Expert",
                    on_delete="set_null",
                ),
                Text("full_name", "Họ và tên", "Full name", max_length=120),
                Text("organisation", "Cơ quan công tác", "Organisation"),
                Choice("group", "Thành phần", "Drawn from", choices=MEMBER_GROUPS, required=True),
                Choice("role", "Vai trò", "Role", choices=ROLES, required=True),
                Boolean("present", "Có mặt", "Present"),
                Choice("vote", "Phiếu xếp loại", "Vote", choices=RATINGS),
            ),
        ),
        Children(
            "measuring_group",
            "Tổ chuyên gia đo đạc sản phẩm",
            "Product measuring group",
            columns=(
                Text("full_name", "Họ và tên", "Full name", required=True, max_length=120),
                Text("organisation", "Cơ quan công tác", "Organisation"),
            ),
        ),
        File("measuring_report", "Báo cáo của tổ chuyên gia", "Measuring group's report", accept=("pdf",)),
        Choice("rating", "Kết luận xếp loại", "Rating", choices=RATINGS, computed=True),
        Json("tally", "Kết quả kiểm phiếu", "Vote count", computed=True, default=dict),
        LongText("minutes_note", "Ghi chú biên bản", "Minutes note"),
    ),
    search_fields=("number", "title"),
    list_display=("number", "title", "dossier", "formed_on", "meeting_at", "state", "rating"),
    permissions=MANAGE,
    hooks=Hooks(
        validate=acceptance_hooks.validate_council,
        validate_children=acceptance_hooks.validate_council_members,
        before_save=acceptance_hooks.before_council_save,
        graphql_queries=acceptance_api.queries,
    ),
)

RESULT_WORKFLOW = Workflow(
    states=(
        State(code="draft", label_vi="Chưa đăng ký", label_en="Not registered"),
        State(code="registered", label_vi="Đã đăng ký, giao nộp", label_en="Registered", final=True),
    ),
    initial="draft",
    transitions=(
        Transition(
            name="register",
            label_vi="Ghi nhận đăng ký kết quả",
            label_en="Record the registration",
            source=("draft",),
            target="registered",
            roles=MANAGERS,
            guards=(acceptance_hooks.registration_written,),
        ),
    ),
)

TaskResult = Entity(
    name="TaskResult",
    label_vi="Kết quả thực hiện nhiệm vụ",
    label_en="Task result",
    plural_vi="Đăng ký kết quả nhiệm vụ",
    plural_en="Task results",
    title_field="title",
    workflow=RESULT_WORKFLOW,
    owner_from="contract",
    locks=(Lock(states=("registered",), fields=("contract", "registration_no", "registered_on")),),
    fields=(
        Link("contract", "Hợp đồng", "Contract", target="stm.Contract", required=True),
        Text("title", "Tên kết quả", "Title", required=True, searchable=True),
        LongText("summary", "Tóm tắt kết quả", "Summary"),
        Text("keywords", "Từ khoá", "Keywords"),
        LongText("products", "Sản phẩm đã giao nộp", "Products delivered"),
        LongText("application", "Khả năng, địa chỉ ứng dụng", "Application"),
        Text(
            "registration_no",
            "Số giấy chứng nhận đăng ký",
            "Registration certificate no.",
            max_length=80,
            searchable=True,
        ),
        Date("registered_on", "Ngày đăng ký", "Registered on"),
        Date("deposited_on", "Ngày giao nộp", "Deposited on"),
        File("result_file", "Báo cáo kết quả giao nộp", "Deposited report", accept=("pdf",)),
    ),
    search_fields=("title", "registration_no"),
    list_display=("title", "contract", "registration_no", "registered_on", "state"),
    permissions=MANAGE | {STM_APPLICANT: ("add",)},
    hooks=Hooks(validate=acceptance_hooks.validate_result, after_save=acceptance_hooks.after_result_save),
)

ENTITIES = (
    Contract,
    Tranche,
    Disbursement,
    ProgressReport,
    Inspection,
    ContractChange,
    AcceptanceDossier,
    AcceptanceCouncil,
    TaskResult,
)
