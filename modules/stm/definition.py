"""S&T tasks (STM), part 1: calls for proposals, the ordered-task list, selection and
direct-assignment notices, and the dossiers of host organisations (domain.md §7, TT 20/2023).

The same module serves the Ministry's national tasks and each province's own: a notice, a call
and their dossiers belong to the unit that published them and are scoped like every other
record. Applicants are outside the Ministry (`roles.STM_APPLICANT`): they see their own
organisation's rows, granted to its group when written, and the published calls and notices.
Part 2 (contracts, acceptance) builds on `Dossier` (the selected one) and `Organisation`.
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
    Module,
    Money,
    State,
    Text,
    Transition,
    Workflow,
)
from modules.org.roles import MINISTRY_LEADER, UNIT_HEAD

from . import api, cancellation, council_hooks, hooks, paper, proposal_ranking
from .councils import ROLES
from .dashboard import panel as part2_panel  # KPIs on the admin dashboard (issue 19)
from .definition_national import ENTITIES as NATIONAL_ENTITIES  # the national list (issue 19)
from .definition_national import NATIONAL_OUTBOX
from .definition_national import PAGES as PART2_PAGES
from .definition_part2 import ENTITIES as PART2_ENTITIES  # contracts, acceptance, results (issue 19)
from .definition_secret import SecretTask
from .roles import ADMIN, MANAGERS, STM_APPLICANT, STM_EXPERT
from .rules import SECOND_REASONS
from .science_fields import FIELDS
from .scoring import TASK_TYPES

# the managing unit's staff keep the records; a ministry leader reads every unit's
MANAGE = {role: ("view", "add", "change") for role in MANAGERS} | {
    MINISTRY_LEADER: ("view",),
    ADMIN: ("view", "add", "change", "delete"),
}
ORG_KINDS = (
    ("institute", "Viện, trung tâm nghiên cứu", "Research institute"),
    ("university", "Cơ sở giáo dục đại học", "University"),
    ("enterprise", "Doanh nghiệp", "Enterprise"),
    ("public", "Cơ quan, đơn vị sự nghiệp", "Public body"),
    ("other", "Khác", "Other"),
)
DEGREES = (
    ("none", "Chưa có bằng đại học", "No university degree"),
    ("bachelor", "Đại học", "Bachelor"),
    ("master", "Thạc sĩ", "Master"),
    ("doctor", "Tiến sĩ", "Doctor"),
)

Organisation = Entity(
    name="HostOrganisation",
    label_vi="Tổ chức chủ trì",
    label_en="Host organisation",
    plural_vi="Tổ chức chủ trì",
    plural_en="Host organisations",
    title_field="name",
    unit_scoped=False,  # a national register: every managing unit judges the same facts
    fields=(
        Text("name", "Tên tổ chức", "Name", required=True, searchable=True),
        Choice("kind", "Loại hình", "Kind", choices=ORG_KINDS, default="institute"),
        Text("tax_code", "Mã số thuế", "Tax code", max_length=20, searchable=True),
        Text("address", "Địa chỉ", "Address"),
        Text("phone", "Điện thoại", "Phone", max_length=30),
        Text("email", "Thư điện tử", "Email", max_length=120),
        Text("representative", "Người đại diện", "Representative", max_length=120),
        Children(
            "staff",
            "Nhân sự (B1-3-LLTC)",
            "Staff (B1-3-LLTC)",
            columns=(
                Text("full_name", "Họ và tên", "Full name", required=True, max_length=120),
                Text("job_title", "Chức vụ", "Job title", max_length=120),
            ),
        ),
        # the bars of §7.2, kept by the managing body only (hooks.validate_organisation)
        Boolean("results_unregistered", "Chưa đăng ký, giao nộp kết quả", "Results not registered"),
        Boolean("application_report_missing", "Chưa nộp báo cáo ứng dụng", "Application report missing"),
        Date("contract_ended_on", "Ngày kết thúc hợp đồng gần nhất", "Last contract ended on"),
        Date("acceptance_submitted_on", "Ngày nộp hồ sơ nghiệm thu", "Acceptance dossier filed on"),
        Boolean("funds_unrepaid", "Chưa hoàn trả kinh phí", "Funds not repaid"),
        Date("suspended_on", "Ngày bị đình chỉ", "Suspended on"),
        Date(
            "excellent_national_task_on",
            "Ngày nghiệm thu nhiệm vụ quốc gia xếp loại Xuất sắc",
            "Last national task rated Xuất sắc on",
        ),
    ),
    search_fields=("name", "tax_code"),
    list_display=("name", "kind", "tax_code", "suspended_on"),
    permissions=MANAGE | {STM_APPLICANT: ("add",)},
    hooks=Hooks(
        validate=hooks.validate_organisation,
        after_save=hooks.after_organisation_save,
        graphql_mutations=api.stm_mutations,
    ),
)

Investigator = Entity(
    name="PrincipalInvestigator",
    label_vi="Chủ nhiệm nhiệm vụ",
    label_en="Principal investigator",
    plural_vi="Chủ nhiệm nhiệm vụ",
    plural_en="Principal investigators",
    title_field="full_name",
    unit_scoped=False,
    fields=(
        Text("full_name", "Họ và tên (B1-4-LLCN)", "Full name (B1-4-LLCN)", required=True, searchable=True),
        Link("organisation", "Tổ chức", "Organisation", target="stm.HostOrganisation", required=True),
        Choice("degree", "Trình độ", "Degree", choices=DEGREES, required=True),
        Text("academic_title", "Chức danh khoa học", "Academic title", max_length=60),
        Choice("science_field", "Lĩnh vực", "Field", choices=FIELDS, required=True),
        Date("in_field_since", "Làm việc trong lĩnh vực từ", "In the field since", required=True),
        Text("email", "Thư điện tử", "Email", max_length=120),
        Date("suspended_on", "Ngày bị đình chỉ", "Suspended on"),
        Date(
            "national_task_until",
            "Đang chủ nhiệm nhiệm vụ quốc gia đến",
            "Leads a national task until",
        ),
    ),
    search_fields=("full_name",),
    list_display=("full_name", "organisation", "degree", "science_field"),
    permissions=MANAGE | {STM_APPLICANT: ("add",)},
    hooks=Hooks(validate=hooks.validate_investigator, after_save=hooks.after_investigator_save),
)

CALL_WORKFLOW = Workflow(
    states=(
        State(code="draft", label_vi="Dự thảo", label_en="Draft"),
        State(code="open", label_vi="Đang nhận đề xuất", label_en="Open"),
        State(code="closed", label_vi="Đã đóng", label_en="Closed", final=True),
    ),
    initial="draft",
    transitions=(
        Transition(
            name="publish",
            label_vi="Đăng thông báo",
            label_en="Publish",
            source=("draft",),
            target="open",
            roles=MANAGERS,
            hooks=(hooks.on_call_published,),
        ),
        Transition(
            name="close", label_vi="Đóng", label_en="Close", source=("open",), target="closed", roles=MANAGERS
        ),
    ),
)

Call = Entity(
    name="ProposalCall",
    label_vi="Thông báo kêu gọi đề xuất",
    label_en="Call for proposals",
    plural_vi="Kêu gọi đề xuất nhiệm vụ",
    plural_en="Calls for proposals",
    title_field="title",
    numbering="KGĐX-{yyyy}-{seq:03}",
    workflow=CALL_WORKFLOW,
    shareable=True,
    shared_in_states=("open", "closed"),  # published: every applicant reads it
    locks=(Lock(states=("open", "closed"), fields=("deadline", "science_field")),),
    fields=(
        Text("title", "Tên đợt kêu gọi", "Title", required=True, searchable=True),
        Choice("science_field", "Lĩnh vực", "Field", choices=FIELDS),
        LongText("priorities", "Định hướng ưu tiên", "Priorities"),
        DateTime("deadline", "Hạn nộp đề xuất", "Deadline", required=True),
        DateTime("published_at", "Thời điểm đăng", "Published at", computed=True),
    ),
    search_fields=("number", "title"),
    list_display=("number", "title", "owner_unit", "deadline", "state"),
    permissions=MANAGE | {STM_APPLICANT: ("view",)},
    hooks=Hooks(validate=hooks.validate_call),
)

PROPOSAL_WORKFLOW = Workflow(
    states=(
        State(code="draft", label_vi="Đang soạn", label_en="Draft"),
        State(code="submitted", label_vi="Đã gửi", label_en="Submitted"),
        State(code="approved", label_vi="Được đặt hàng", label_en="Approved", final=True),
        State(code="rejected", label_vi="Không được chọn", label_en="Not approved", final=True),
    ),
    initial="draft",
    transitions=(
        Transition(
            name="submit",
            label_vi="Gửi đề xuất",
            label_en="Submit",
            source=("draft",),
            target="submitted",
            roles=(STM_APPLICANT,),
            guards=(hooks.call_open,),
            hooks=(hooks.on_received,),
        ),
        Transition(
            name="approve",
            label_vi="Đưa vào danh mục đặt hàng",
            label_en="Approve for the ordered list",
            source=("submitted",),
            target="approved",
            roles=MANAGERS,
        ),
        Transition(
            name="reject",
            label_vi="Không chọn",
            label_en="Do not approve",
            source=("submitted",),
            target="rejected",
            roles=MANAGERS,
            needs_comment=True,
        ),
    ),
)

Proposal = Entity(
    name="TaskProposal",
    label_vi="Đề xuất nhiệm vụ",
    label_en="Task proposal",
    plural_vi="Đề xuất nhiệm vụ",
    plural_en="Task proposals",
    title_field="title",
    workflow=PROPOSAL_WORKFLOW,
    owner_from="call",  # a proposal belongs to the unit that called for it
    locks=(
        Lock(states=("submitted",), fields=ALL, except_fields=("rank", "assessments")),
        Lock(states=("approved", "rejected"), fields=ALL, except_fields=("rank",)),
    ),
    fields=(
        Link("call", "Đợt kêu gọi", "Call", target="stm.ProposalCall", required=True),
        Link(
            "organisation",
            "Tổ chức đề xuất",
            "Proposing organisation",
            target="stm.HostOrganisation",
            required=True,
        ),
        Text("title", "Tên nhiệm vụ đề xuất", "Title", required=True, searchable=True),
        Choice("task_type", "Loại nhiệm vụ", "Task type", choices=TASK_TYPES, required=True),
        LongText("urgency", "Tính cấp thiết", "Urgency"),
        LongText("objectives", "Mục tiêu", "Objectives"),
        LongText("expected_products", "Sản phẩm dự kiến", "Expected products"),
        Money("estimated_budget", "Kinh phí dự kiến (đồng)", "Estimated budget (VND)"),
        Integer("duration_months", "Thời gian thực hiện (tháng)", "Duration (months)"),
        Integer("rank", "Thứ hạng của hội đồng tư vấn", "Advisory council's rank", computed=True),
        Children(
            "assessments",
            "Phiếu đánh giá của hội đồng tư vấn",
            "Advisory council's ballots",
            columns=(
                Link("expert", "Thành viên hội đồng", "Council member", target="stm.Expert", required=True),
                Json("scores", "Điểm theo tiêu chí", "Scores by criterion", required=True),
            ),
        ),
        DateTime("received_at", "Thời điểm nhận", "Received at", computed=True),
    ),
    search_fields=("title",),
    list_display=("title", "call", "organisation", "rank", "state"),
    permissions=MANAGE | {STM_APPLICANT: ("add",)},
    hooks=Hooks(
        after_save=hooks.after_proposal_save,
        validate_children=proposal_ranking.validate_assessments,
    ),
)

OrderedTask = Entity(
    name="OrderedTask",
    label_vi="Nhiệm vụ đặt hàng",
    label_en="Ordered task",
    plural_vi="Danh mục nhiệm vụ đặt hàng",
    plural_en="Ordered tasks",
    title_field="title",
    fields=(
        Text("title", "Tên nhiệm vụ", "Title", required=True, searchable=True),
        Choice("task_type", "Loại nhiệm vụ", "Task type", choices=TASK_TYPES, required=True),
        Choice("science_field", "Lĩnh vực", "Field", choices=FIELDS, required=True),
        Link("proposal", "Đề xuất", "Proposal", target="stm.TaskProposal", on_delete="set_null"),
        Link(
            "proposed_by",
            "Tổ chức đề xuất",
            "Proposed by",
            target="stm.HostOrganisation",
            on_delete="set_null",
            help_vi="Được cộng 10% điểm khi điểm trung bình từ 70. / +10 % at a mean of 70 or more.",
        ),
        LongText("objectives", "Mục tiêu", "Objectives"),
        LongText("expected_products", "Yêu cầu sản phẩm", "Required products"),
        Money("max_budget", "Kinh phí tối đa (đồng)", "Budget ceiling (VND)"),
        Integer("duration_months", "Thời gian (tháng)", "Duration (months)"),
        Text("decision_number", "Số quyết định phê duyệt danh mục", "Approving decision", max_length=80),
    ),
    search_fields=("title", "decision_number"),
    list_display=("title", "task_type", "science_field", "owner_unit"),
    permissions=MANAGE,
)

NOTICE_KINDS = (
    ("selection", "Tuyển chọn", "Selection"),
    ("direct", "Giao trực tiếp", "Direct assignment"),
)

NOTICE_WORKFLOW = Workflow(
    states=(
        State(code="draft", label_vi="Dự thảo", label_en="Draft"),
        State(code="published", label_vi="Đang nhận hồ sơ", label_en="Published"),
        State(code="opened", label_vi="Đã mở hồ sơ", label_en="Dossiers opened"),
        State(code="results_cancelled", label_vi="Kết quả bị huỷ", label_en="Results cancelled", final=True),
    ),
    initial="draft",
    transitions=(
        Transition(
            name="publish",
            label_vi="Đăng thông báo",
            label_en="Publish",
            source=("draft",),
            target="published",
            roles=MANAGERS,
            guards=(hooks.notice_may_publish,),
            hooks=(hooks.on_notice_published,),
        ),
        Transition(
            name="open",
            label_vi="Mở hồ sơ (B2-1-BBHS)",
            label_en="Open the dossiers (B2-1-BBHS)",
            source=("published",),
            target="opened",
            roles=MANAGERS,
            guards=(hooks.after_deadline,),
        ),
        Transition(
            name="cancel_results",
            label_vi="Huỷ kết quả",
            label_en="Cancel the results",
            source=("opened",),
            target="results_cancelled",
            roles=MANAGERS,
            needs_comment=True,
        ),
    ),
)

Notice = Entity(
    name="SelectionNotice",
    label_vi="Thông báo tuyển chọn, giao trực tiếp",
    label_en="Selection or direct-assignment notice",
    plural_vi="Thông báo tuyển chọn, giao trực tiếp",
    plural_en="Selection notices",
    title_field="title",
    numbering="TB-{yyyy}-{seq:03}",
    workflow=NOTICE_WORKFLOW,
    shareable=True,
    shared_in_states=("published", "opened", "results_cancelled"),
    locks=(Lock(states=("published", "opened", "results_cancelled"), fields=ALL),),
    fields=(
        Choice("kind", "Hình thức", "Kind", choices=NOTICE_KINDS, required=True, filterable=True),
        Link("ordered_task", "Nhiệm vụ đặt hàng", "Ordered task", target="stm.OrderedTask", required=True),
        Text("title", "Tên nhiệm vụ", "Title", required=True, searchable=True),
        Choice("task_type", "Loại nhiệm vụ", "Task type", choices=TASK_TYPES, required=True),
        DateTime("deadline", "Hạn nộp hồ sơ", "Deadline", required=True),
        Link(
            "direct_organisation",
            "Tổ chức được giao trực tiếp",
            "Organisation assigned",
            target="stm.HostOrganisation",
            on_delete="set_null",
        ),
        Link(
            "first_notice",
            "Thông báo lần đầu",
            "First notice",
            target="stm.SelectionNotice",
            on_delete="set_null",
        ),
        Choice("second_reason", "Lý do thông báo lần hai", "Why a second notice", choices=SECOND_REASONS),
        LongText("content", "Nội dung thông báo", "Notice text"),
        DateTime("published_at", "Thời điểm đăng", "Published at", computed=True),
        Date("opening_due", "Hạn mở hồ sơ", "Opening due", computed=True),
    ),
    search_fields=("number", "title"),
    list_display=("number", "kind", "title", "owner_unit", "deadline", "state"),
    list_filter=("kind", "state"),
    permissions=MANAGE | {STM_APPLICANT: ("view",)},
    hooks=Hooks(validate=hooks.validate_notice, before_save=hooks.before_notice_save),
)

DOSSIER_WORKFLOW = Workflow(
    states=(
        State(code="draft", label_vi="Đang soạn", label_en="Draft"),
        State(code="submitted", label_vi="Đã nộp", label_en="Submitted"),
        State(code="withdrawn", label_vi="Đã rút", label_en="Withdrawn", final=True),
        State(code="replaced", label_vi="Đã được thay thế", label_en="Replaced", final=True),
        State(code="valid", label_vi="Hợp lệ", label_en="Valid"),
        State(code="invalid", label_vi="Không hợp lệ", label_en="Invalid", final=True),
        # the winner's steps (§7.7-7.10), each with its working-day deadline (`step_due`)
        State(code="selected", label_vi="Trúng tuyển, hoàn thiện hồ sơ", label_en="Selected: revising"),
        State(code="appraisal", label_vi="Thẩm định kinh phí", label_en="Budget appraisal"),
        State(code="finalising", label_vi="Hoàn thiện sau thẩm định", label_en="Finalising"),
        State(code="awaiting_approval", label_vi="Chờ phê duyệt", label_en="Awaiting approval"),
        State(code="approved", label_vi="Đã phê duyệt", label_en="Approved", final=True),
        State(code="cancelled", label_vi="Huỷ kết quả", label_en="Cancelled", final=True),
        State(code="not_selected", label_vi="Không trúng tuyển", label_en="Not selected", final=True),
    ),
    initial="draft",
    transitions=(
        Transition(
            name="submit",
            label_vi="Nộp hồ sơ",
            label_en="Submit",
            source=("draft",),
            target="submitted",
            roles=(STM_APPLICANT,),
            guards=(hooks.before_notice_deadline,),
            hooks=(hooks.on_dossier_submitted,),
        ),
        Transition(
            name="receive_paper",
            label_vi="Tiếp nhận hồ sơ giấy",
            label_en="Record a paper dossier",
            source=("draft",),
            target="submitted",
            roles=MANAGERS,  # the managing unit's clerk who received the sealed set (paper.py)
            guards=(paper.paper_in_time,),
            hooks=(paper.on_paper_received,),
        ),
        Transition(
            name="withdraw",
            label_vi="Rút hồ sơ",
            label_en="Withdraw",
            source=("submitted",),
            target="withdrawn",
            roles=(STM_APPLICANT,),
            guards=(hooks.before_notice_deadline,),
        ),
        Transition(
            name="accept",
            label_vi="Hợp lệ",
            label_en="Valid",
            source=("submitted",),
            target="valid",
            roles=MANAGERS,
            guards=(hooks.after_deadline, hooks.eligible_only),
        ),
        Transition(
            name="reject",
            label_vi="Không hợp lệ",
            label_en="Invalid",
            source=("submitted",),
            target="invalid",
            roles=MANAGERS,
            guards=(hooks.after_deadline,),
            needs_comment=True,
        ),
        Transition(
            name="select",
            label_vi="Trúng tuyển",
            label_en="Selected",
            source=("valid",),
            target="selected",
            roles=MANAGERS,
        ),
        Transition(
            name="not_select",
            label_vi="Không trúng tuyển",
            label_en="Not selected",
            source=("valid",),
            target="not_selected",
            roles=MANAGERS,
        ),
        Transition(
            name="submit_revision",
            label_vi="Nộp hồ sơ hoàn thiện (B2-8-GTHĐ)",
            label_en="Submit the revision (B2-8-GTHĐ)",
            source=("selected",),
            target="appraisal",
            roles=(STM_APPLICANT,),
            guards=(hooks.step_in_time, hooks.revision_attached),
        ),
        Transition(
            name="appraise",
            label_vi="Tổ thẩm định họp",
            label_en="Appraisal group met",
            source=("appraisal",),
            target="finalising",
            roles=MANAGERS,
            guards=(hooks.appraisal_quorum,),
        ),
        Transition(
            name="finalise",
            label_vi="Nộp hồ sơ sau thẩm định (B3-3)",
            label_en="Submit the final dossier (B3-3)",
            source=("finalising",),
            target="awaiting_approval",
            roles=(STM_APPLICANT,),
            guards=(hooks.step_in_time, hooks.final_attached),
        ),
        Transition(
            name="approve",
            label_vi="Phê duyệt (B3-4-QĐPDKP)",
            label_en="Approve (B3-4-QĐPDKP)",
            source=("awaiting_approval",),
            target="approved",
            roles=(UNIT_HEAD, MINISTRY_LEADER),
            hooks=(hooks.on_approved,),
        ),
        Transition(
            name="cancel",
            label_vi="Huỷ kết quả tuyển chọn",
            label_en="Cancel the selection",
            source=("selected", "appraisal", "finalising", "awaiting_approval", "approved"),
            target="cancelled",
            roles=MANAGERS,
            needs_comment=True,
            hooks=(cancellation.on_cancelled,),
        ),
        Transition(
            name="notify_cancellation",
            label_vi="Đã thông báo huỷ kết quả cho tổ chức",
            label_en="Record the cancellation notice sent",
            source=("cancelled",),
            target="cancelled",
            roles=MANAGERS,
            guards=(cancellation.notice_not_sent,),
            hooks=(cancellation.on_notified,),
        ),
    ),
)

Dossier = Entity(
    name="SelectionDossier",
    label_vi="Hồ sơ đăng ký tuyển chọn, giao trực tiếp",
    label_en="Selection dossier",
    plural_vi="Hồ sơ đăng ký",
    plural_en="Selection dossiers",
    title_field="title",
    numbering="HS-{yyyy}-{seq:04}",
    numbering_on="submit",  # the number comes with the receipt, at the system's time
    workflow=DOSSIER_WORKFLOW,
    owner_from="notice",  # a dossier belongs to the unit that published the notice
    # a filed dossier is what was received: it is withdrawn or replaced, never edited
    # the winner adds its revision (B2-8) and final dossier (B3-3) in their own steps only
    locks=(
        Lock(states=hooks.LOCKED_STATES, fields=ALL),
        Lock(states=("selected",), fields=ALL, except_fields=("revision_file",)),
        Lock(states=("appraisal",), fields=ALL, except_fields=("appraisal_members", "appraisal_present")),
        Lock(states=("finalising",), fields=ALL, except_fields=("final_file",)),
    ),
    fields=(
        Link("notice", "Thông báo", "Notice", target="stm.SelectionNotice", required=True),
        Link(
            "organisation",
            "Tổ chức chủ trì",
            "Host organisation",
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
        Text("title", "Tên nhiệm vụ (B1-1-ĐON)", "Title (B1-1-ĐON)", required=True, searchable=True),
        Money("state_budget", "Kinh phí ngân sách nhà nước (đồng)", "State budget (VND)", required=True),
        Money("other_budget", "Kinh phí khác (đồng)", "Other funding (VND)"),
        Integer("duration_months", "Thời gian thực hiện (tháng)", "Duration (months)"),
        LongText("objectives", "Mục tiêu (B1-2)", "Objectives (B1-2)"),
        LongText("content_summary", "Nội dung và phương pháp (B1-2)", "Content and methods (B1-2)"),
        LongText("expected_products", "Sản phẩm (B1-2)", "Products (B1-2)"),
        Children(
            "team",
            "Thành viên thực hiện (B1-4-LLCN)",
            "Research team (B1-4-LLCN)",
            columns=(
                Text("full_name", "Họ và tên", "Full name", required=True, max_length=120),
                Text("organisation_name", "Tổ chức", "Organisation", max_length=255),
                Text("role", "Vai trò", "Role", max_length=80),
            ),
        ),
        Children(
            "partners",
            "Tổ chức phối hợp (B1-5-PHNC, B1-6-LLTCPHNC)",
            "Partners (B1-5-PHNC, B1-6-LLTCPHNC)",
            columns=(
                Text("name", "Tên tổ chức", "Name", required=True),
                Text("tax_code", "Mã số thuế", "Tax code", max_length=20),
                Text("contribution", "Nội dung phối hợp", "Contribution"),
            ),
        ),
        File(
            "application_file",
            "Đơn đăng ký đã ký (B1-1-ĐON)",
            "Signed application (B1-1-ĐON)",
            accept=("pdf",),
        ),
        File("proposal_file", "Thuyết minh đã ký (B1-2)", "Signed proposal (B1-2)", accept=("pdf",)),
        File("legal_papers", "Giấy tờ pháp lý", "Legal-status papers", accept=("pdf", "images")),
        Link(
            "replaces",
            "Thay thế hồ sơ",
            "Replaces dossier",
            target="stm.SelectionDossier",
            on_delete="set_null",
        ),
        File("revision_file", "Hồ sơ hoàn thiện (B2-8-GTHĐ)", "Revised dossier (B2-8-GTHĐ)", accept=("pdf",)),
        File("final_file", "Hồ sơ sau thẩm định (B3-3)", "Final dossier (B3-3)", accept=("pdf",)),
        Integer("appraisal_members", "Số thành viên tổ thẩm định", "Appraisal group members", default=5),
        Integer("appraisal_present", "Số thành viên tổ thẩm định có mặt", "Appraisal group present"),
        Date("step_due", "Hạn của bước hiện tại", "Current step due", computed=True, filterable=True),
        Date("published_until", "Công khai kết quả đến", "Result published until", computed=True),
        DateTime(
            "received_at",
            "Ngày nhận (hệ thống, dấu bưu điện hoặc dấu đến)",
            "Received at (system time, postmark or stamp)",
            computed=True,
        ),
        # a dossier filed on paper (§7.3): the clerk records what the envelope shows (paper.py)
        Choice(
            "channel", "Hình thức nộp", "Submitted", choices=paper.CHANNELS, default="online", computed=True
        ),
        Choice(
            "paper_evidence", "Căn cứ ngày nhận hồ sơ giấy", "Paper receipt shown by", choices=paper.EVIDENCE
        ),
        DateTime(
            "paper_received_at", "Ngày giờ trên dấu bưu điện / dấu đến", "Date on the postmark or stamp"
        ),
        DateTime(
            "recorded_at", "Thời điểm ghi nhận trên hệ thống", "Recorded in the system at", computed=True
        ),
        Link(
            "recorded_by", "Người tiếp nhận", "Recorded by", target=USER, on_delete="set_null", computed=True
        ),
        # §7.11: why and when the result was cancelled, and the notice due within 7 days
        Date("cancelled_on", "Ngày huỷ kết quả", "Cancelled on", computed=True),
        LongText("cancellation_reason", "Lý do huỷ kết quả", "Why it was cancelled", computed=True),
        Date("cancellation_notice_due", "Hạn thông báo huỷ", "Cancellation notice due", computed=True),
        Date("cancellation_notified_on", "Ngày thông báo huỷ", "Cancellation notified on", computed=True),
        Boolean("eligible", "Đủ điều kiện", "Eligible", computed=True, filterable=True),
        Json("eligibility", "Lý do không đủ điều kiện", "Eligibility failures", computed=True, default=list),
        Boolean("proposed_the_task", "Tổ chức đã đề xuất nhiệm vụ", "Proposed the task", computed=True),
    ),
    search_fields=("number", "title"),
    list_display=("number", "title", "organisation", "notice", "received_at", "eligible", "state"),
    list_filter=("state", "eligible"),
    permissions=MANAGE | {STM_APPLICANT: ("add",)},
    hooks=Hooks(
        validate=hooks.validate_dossier,
        before_save=hooks.before_dossier_save,
        after_save=hooks.after_dossier_save,
    ),
)

TITLES = (
    ("none", "Không", "None"),
    ("PGS", "Phó Giáo sư", "Associate professor"),
    ("GS", "Giáo sư", "Professor"),
)

Expert = Entity(
    name="Expert",
    label_vi="Chuyên gia",
    label_en="Expert",
    plural_vi="Cơ sở dữ liệu chuyên gia",
    plural_en="Experts",
    title_field="full_name",
    shareable=True,  # one pool: every province reads the others' experts (council_hooks)
    fields=(
        Text("full_name", "Họ và tên", "Full name", required=True, searchable=True),
        Choice("science_field", "Lĩnh vực", "Field", choices=FIELDS, required=True, filterable=True),
        Choice("degree", "Học vị", "Degree", choices=DEGREES, default="doctor"),
        Choice("academic_title", "Chức danh", "Title", choices=TITLES, default="none"),
        Text("organisation", "Cơ quan công tác", "Organisation", searchable=True),
        LongText("publications", "Công trình tiêu biểu", "Publications"),
        Link(
            "account",
            "Tài khoản của chuyên gia",
            "Expert's account",
            target=USER,
            on_delete="set_null",
            help_vi="Chuyên gia tự cập nhật hồ sơ và chấm điểm bằng tài khoản này. / "
            "The expert keeps the profile and scores with this account.",
        ),
        Children(
            "conflicts",
            "Xung đột lợi ích đã khai",
            "Declared conflicts",
            columns=(
                Text("organisation", "Tổ chức", "Organisation"),
                Text("relative_name", "Người thân", "Relative", max_length=120),
                Text("note", "Ghi chú", "Note"),
            ),
        ),
    ),
    search_fields=("full_name", "organisation"),
    list_display=("full_name", "science_field", "academic_title", "organisation", "owner_unit"),
    list_filter=("science_field",),
    permissions=MANAGE,
    hooks=Hooks(
        before_save=council_hooks.before_expert_save,
        after_save=council_hooks.after_expert_save,
        graphql_fields=api.expert_fields,
    ),
)

ExpertContact = Entity(
    name="ExpertContact",
    label_vi="Liên hệ chuyên gia",
    label_en="Expert contact",
    plural_vi="Liên hệ chuyên gia",
    plural_en="Expert contacts",
    title_field="email",
    owner_from="expert",
    # contact details: the province that keeps the expert and the secretaries of the councils
    # the expert sits on (granted when the council is formed), nobody else
    fields=(
        Link("expert", "Chuyên gia", "Expert", target="stm.Expert", required=True, on_delete="cascade"),
        Text("phone", "Điện thoại", "Phone", max_length=30),
        Text("email", "Thư điện tử", "Email", max_length=120),
        Text("address", "Địa chỉ", "Address"),
    ),
    list_display=("expert", "phone", "email"),
    permissions={role: ("view", "add", "change") for role in MANAGERS}
    | {ADMIN: ("view", "add", "change", "delete")},
)

MEETING_MODES = (
    ("in_person", "Trực tiếp", "In person"),
    ("online", "Trực tuyến", "Online"),
    ("hybrid", "Kết hợp", "Hybrid"),
)

COUNCIL_WORKFLOW = Workflow(
    states=(
        State(code="proposed", label_vi="Dự kiến", label_en="Proposed"),
        State(code="formed", label_vi="Đã thành lập", label_en="Formed"),
        State(code="scoring", label_vi="Đang chấm điểm", label_en="Scoring"),
        State(code="closed", label_vi="Đã kết thúc", label_en="Closed", final=True),
    ),
    initial="proposed",
    transitions=(
        Transition(
            name="form",
            label_vi="Thành lập hội đồng",
            label_en="Form the council",
            source=("proposed",),
            target="formed",
            roles=MANAGERS,
            guards=(council_hooks.council_has_members,),
        ),
        Transition(
            name="open_scoring",
            label_vi="Mở chấm điểm",
            label_en="Open scoring",
            source=("formed",),
            target="scoring",
            roles=MANAGERS,
            guards=(council_hooks.quorum_met,),
        ),
        Transition(
            name="close",
            label_vi="Kết thúc phiên họp",
            label_en="Close the meeting",
            source=("scoring",),
            target="closed",
            roles=MANAGERS,
        ),
    ),
)

Council = Entity(
    name="Council",
    label_vi="Hội đồng tư vấn tuyển chọn, giao trực tiếp",
    label_en="Selection council",
    plural_vi="Hội đồng tư vấn",
    plural_en="Councils",
    title_field="title",
    numbering="HĐ-{yyyy}-{seq:03}",
    workflow=COUNCIL_WORKFLOW,
    owner_from="notice",
    locks=(Lock(states=("scoring", "closed"), fields=ALL, except_fields=("minutes_note",)),),
    fields=(
        Link("notice", "Thông báo", "Notice", target="stm.SelectionNotice", required=True),
        Text("title", "Tên hội đồng", "Title", required=True, searchable=True),
        DateTime("meeting_at", "Thời gian họp", "Meeting at"),
        Choice("mode", "Hình thức họp", "Meeting mode", choices=MEETING_MODES, default="in_person"),
        Link("secretary", "Thư ký hành chính", "Council secretary", target=USER, on_delete="set_null"),
        Children(
            "members",
            "Thành viên",
            "Members",
            columns=(
                Link("expert", "Chuyên gia", "Expert", target="stm.Expert", required=True),
                Choice("role", "Vai trò", "Role", choices=ROLES, required=True),
                Boolean("present", "Có mặt", "Present"),
                DateTime("acknowledged_at", "Đã nhận tài liệu lúc", "Papers acknowledged at"),
            ),
        ),
        Date("papers_due", "Hạn gửi tài liệu", "Papers due", computed=True),
        Date("papers_sent_on", "Ngày gửi tài liệu", "Papers sent on"),
        Date("questions_due", "Hạn gửi câu hỏi", "Questions due", computed=True),
        LongText("minutes_note", "Ghi chú biên bản", "Minutes note"),
    ),
    search_fields=("number", "title"),
    list_display=("number", "title", "notice", "meeting_at", "state"),
    permissions=MANAGE,
    hooks=Hooks(
        graphql_queries=api.stm_queries,
        validate=council_hooks.validate_council,
        validate_children=council_hooks.validate_council_members,
        before_save=council_hooks.before_council_save,
        after_save=council_hooks.after_council_save,
    ),
)

Ballot = Entity(
    name="Ballot",
    label_vi="Phiếu đánh giá",
    label_en="Ballot",
    plural_vi="Phiếu đánh giá",
    plural_en="Ballots",
    title_field="number",
    owner_from="council",
    # a cast ballot is a vote: nobody edits it
    unique_together=(("council", "dossier", "expert"),),
    fields=(
        Link("council", "Hội đồng", "Council", target="stm.Council", required=True),
        Link("dossier", "Hồ sơ", "Dossier", target="stm.SelectionDossier", required=True),
        Link("expert", "Thành viên", "Member", target="stm.Expert", required=True),
        Json("scores", "Điểm theo tiêu chí", "Scores by criterion", required=True),
        Integer("total", "Tổng điểm", "Total", computed=True),
        DateTime("cast_at", "Thời điểm chấm", "Cast at", computed=True),
    ),
    list_display=("council", "dossier", "expert", "total", "cast_at"),
    permissions={role: ("view", "add") for role in MANAGERS}
    | {ADMIN: ("view", "add", "delete"), STM_EXPERT: ("add",)},
    hooks=Hooks(
        validate=council_hooks.validate_ballot,
        before_save=council_hooks.before_ballot_save,
        after_save=council_hooks.after_ballot_save,
    ),
)

MODULE = Module(
    label="stm",
    name_vi="Nhiệm vụ KH&CN",
    name_en="S&T tasks",
    icon="science",
    order=60,
    dashboard=part2_panel,  # issue 19: the KPIs (dashboard.py)
    outboxes=(NATIONAL_OUTBOX,),  # issue 19: up to the national S&T database (national_export.py)
    pages=PART2_PAGES,  # issue 19: the backfill page, the KPI board
    entities=(
        *NATIONAL_ENTITIES,  # issue 19: the national list of tasks in progress
        Organisation,
        Investigator,
        Call,
        Proposal,
        OrderedTask,
        Notice,
        Dossier,
        Expert,
        ExpertContact,
        Council,
        Ballot,
        *PART2_ENTITIES,
        SecretTask,
    ),
)
