"""Incoming and outgoing documents under Decree 30/2020/NĐ-CP (domain.md §5).

Incoming documents are registered with the next incoming number of the year in the
receiving agency's register (`Counter`); secret ones go to their own entity, the secret
register, which no role sees by right: only whoever registered it and the people named
as its readers or directed to it hold an object grant (`grants.py`). The handling slip is a
child table written by `routing.py`. Outgoing documents get their number only when the
clerk releases them, in the legal form of their type (`rules.number_symbol`).
"""

from modules.engine.definitions import (
    ALL,
    USER,
    Assignee,
    Boolean,
    Children,
    Choice,
    Counter,
    Date,
    DateTime,
    Entity,
    File,
    Hooks,
    Integer,
    Link,
    Lock,
    LongText,
    Module,
    MultiLink,
    Outbox,
    Page,
    State,
    Text,
    Transition,
    Workflow,
)
from modules.engine.signing import STATUSES as SIGNATURE_STATUSES
from modules.org.roles import (
    MINISTRY_LEADER,
    PLATFORM_ADMIN,
    PROVINCIAL_OFFICER,
    SECRETARY,
    SPECIALIST,
    UNIT_HEAD,
)

from . import api, exchange, hooks, live, outgoing, routing
from .rules import CHANNELS, CONFIDENTIALITY, STEP_KINDS, TYPE_CHOICES, URGENCY

CLERKS = (SPECIALIST, SECRETARY, PROVINCIAL_OFFICER)  # the office's clerks (văn thư)
LEADERS = (MINISTRY_LEADER, UNIT_HEAD)
DOERS = (SPECIALIST, PROVINCIAL_OFFICER, UNIT_HEAD, MINISTRY_LEADER)


def incoming_workflow(secret: bool) -> Workflow:
    """The incoming flow (Art. 20-24: register, submit, direct, handle).

    In the secret register no role may fire a step by right (a role's transition right would
    reach rows its holder cannot see): only the object grants of the keeper, the lead unit's
    heads and the handler do.
    """

    def by(*roles: str) -> tuple[str, ...]:
        return () if secret else roles

    return Workflow(
        states=(
            State(code="registered", label_vi="Đã vào sổ", label_en="Registered"),
            State(code="proposed", label_vi="Văn phòng đã đề xuất", label_en="Proposed by the Office"),
            State(code="directed", label_vi="Lãnh đạo đã chỉ đạo", label_en="Directed"),
            State(code="assigned", label_vi="Đã giao người xử lý", label_en="Handler assigned"),
            State(code="finished", label_vi="Đã xử lý xong", label_en="Handled", final=True),
        ),
        initial="registered",
        transitions=(
            Transition(
                name="propose",
                label_vi="Đề xuất xử lý",
                label_en="Propose",
                source=("registered",),
                target="proposed",
                roles=by(*CLERKS),
                hooks=(routing.on_propose,),
            ),
            Transition(
                name="direct",
                label_vi="Chỉ đạo xử lý",
                label_en="Direct",
                source=("registered", "proposed", "directed"),
                target="directed",
                roles=by(*LEADERS),
                guards=(routing.lead_unit_given,),
                hooks=(routing.on_direct,),
            ),
            Transition(
                name="assign",
                label_vi="Giao người xử lý",
                label_en="Assign a handler",
                source=("directed", "assigned"),
                target="assigned",
                roles=by(UNIT_HEAD),
                guards=(routing.handler_given,),
                hooks=(routing.on_assign,),
            ),
            Transition(
                name="finish",
                label_vi="Hoàn thành xử lý",
                label_en="Finish handling",
                source=("directed", "assigned"),
                target="finished",
                roles=by(*DOERS),
                hooks=(routing.on_finish,),
            ),
        ),
    )


# Whoever may read a secret document besides its register keeper: named by the keeper or a
# leader, and granted the document (noted in its history) because no role sees it by right.
# A reader may also record their direction (a leader reading it directs it).
SECRET_READERS = Assignee(grant_by=(*CLERKS, *LEADERS), grant=("view", "change", "transition:direct"))
HANDLER = Assignee(grant_by=LEADERS, grant=("view", "change", "transition:finish"))


def incoming_fields(secret: bool) -> tuple:
    """The incoming register's columns (Phụ lục IV) and Phụ lục VI's metadata."""
    confidentiality = CONFIDENTIALITY[1:] if secret else CONFIDENTIALITY[:1]
    own = "documents.SecretIncomingDocument" if secret else "documents.IncomingDocument"
    extra = (
        (MultiLink("readers", "Người được xem", "Readers", target=USER, assignee=SECRET_READERS),)
        if secret
        else ()
    )
    return (
        DateTime("arrival_date", "Ngày đến", "Arrived on", required=True, index=True),
        Integer("arrival_number", "Số đến", "Incoming number", computed=True, index=True),
        Choice("channel", "Hình thức nhận", "Received as", choices=CHANNELS, default="paper"),
        Text(
            "issuer_name",
            "Tác giả (cơ quan ban hành)",
            "Issuing agency",
            required=True,
            max_length=200,
            searchable=True,
        ),
        Text("issuer_code", "Mã định danh cơ quan ban hành", "Issuer id (OrganId)", max_length=13),
        Text(
            "number_symbol", "Số, ký hiệu", "Number and symbol", required=True, max_length=50, searchable=True
        ),
        Date("issued_date", "Ngày văn bản", "Document date", required=True),
        Choice("doc_type", "Tên loại", "Document type", choices=TYPE_CHOICES, required=True, filterable=True),
        Text("subject", "Trích yếu", "Subject", required=True, max_length=500, searchable=True),
        Text("signer", "Người ký", "Signer", max_length=120, searchable=True),
        Choice("urgency", "Độ khẩn", "Urgency", choices=URGENCY, default="normal", filterable=True),
        Choice(
            "confidentiality",
            "Độ mật",
            "Confidentiality",
            choices=confidentiality,
            default=confidentiality[0][0],
            filterable=True,
        ),
        File("scan", "Bản quét / tệp văn bản", "Scan or file", accept=("pdf", "images")),
        LongText("ocr_text", "Nội dung nhận dạng (OCR)", "Recognised text", computed=True, searchable=True),
        # a received signed PDF: its signature checked on registration (engine/signing.py)
        Choice(
            "signature_status", "Chữ ký số", "Digital signature", choices=SIGNATURE_STATUSES, computed=True
        ),
        Text("signature_signer", "Người ký số", "Signed by", max_length=300, computed=True),
        *extra,
        # routing (phiếu xử lý): the leader's direction, the handler
        Link("lead_unit", "Đơn vị chủ trì", "Lead unit", target="org.Unit", filterable=True),
        MultiLink("coordinating_units", "Đơn vị phối hợp", "Coordinating units", target="org.Unit"),
        Date("due_date", "Thời hạn xử lý", "Deadline", index=True),
        LongText("instructions", "Ý kiến chỉ đạo", "Instructions"),
        Link("handler", "Người xử lý", "Handler", target=USER, assignee=HANDLER),
        Children(
            "steps",
            "Phiếu xử lý",
            "Handling slip",
            computed=True,
            columns=(
                Choice("kind", "Bước", "Step", choices=STEP_KINDS, required=True),
                Link("actor", "Người thực hiện", "By", target=USER, on_delete="set_null"),
                DateTime("at", "Thời điểm", "At"),
                LongText("note", "Nội dung", "What"),
                Link("unit", "Đơn vị", "Unit", target="org.Unit", on_delete="set_null"),
                Link("person", "Người xử lý", "Handler", target=USER, on_delete="set_null"),
                Date("deadline", "Thời hạn", "Deadline"),
                Link("task", "Nhiệm vụ đã tạo", "Task created", target="tasks.Task", on_delete="set_null"),
            ),
        ),
        # what the engine derives: the register, the timing rule, the duplicate warning
        Link("register_of", "Sổ của cơ quan", "Register of", target="org.Unit", computed=True),
        Date("registered_on", "Ngày vào sổ", "Registered on", computed=True),
        Date("register_by", "Hạn vào sổ", "Register by", computed=True),
        Boolean("registered_late", "Vào sổ muộn", "Registered late", computed=True, filterable=True),
        Text("duplicate_key", "Khóa trùng", "Duplicate key", max_length=300, computed=True, index=True),
        Link(
            "duplicate_of",
            "Trùng với văn bản đã vào sổ",
            "Duplicate of",
            target=own,
            computed=True,
            on_delete="set_null",
        ),
        Link(
            "source_outgoing",
            "Văn bản đi gốc (nội bộ)",
            "Internal outgoing original",
            target="documents.OutgoingDocument",
            computed=True,
            on_delete="set_null",
        ),
    )


INCOMING_LIST = (
    "arrival_number",
    "arrival_date",
    "issuer_name",
    "number_symbol",
    "subject",
    "urgency",
    "state",
)
INCOMING_FILTERS = ("state", "urgency", "doc_type", "registered_late", "lead_unit")

IncomingDocument = Entity(
    name="IncomingDocument",
    label_vi="Văn bản đến",
    label_en="Incoming document",
    plural_vi="Sổ văn bản đến",
    plural_en="Incoming documents",
    title_field="subject",
    workflow=incoming_workflow(secret=False),
    counters=(Counter(field="arrival_number", per=("register_of",), yearly_from="arrival_date"),),
    fields=incoming_fields(secret=False),
    search_fields=("number_symbol", "subject", "issuer_name"),
    list_display=INCOMING_LIST,
    list_filter=INCOMING_FILTERS,
    ordering=("-id",),
    permissions={
        **{role: ("view", "add", "change") for role in CLERKS},
        UNIT_HEAD: ("view", "change"),
        MINISTRY_LEADER: ("view", "change"),
        PLATFORM_ADMIN: ("view", "add", "change", "delete"),
    },
    hooks=Hooks(
        validate=hooks.validate_incoming,
        before_save=hooks.before_incoming_save,
        after_save=hooks.after_incoming_save,
        graphql_queries=api.document_queries,
        graphql_mutations=api.document_mutations,
        graphql_subscriptions=live.document_subscriptions,
    ),
)

SecretIncomingDocument = Entity(
    name="SecretIncomingDocument",
    label_vi="Văn bản mật đến",
    label_en="Secret incoming document",
    plural_vi="Sổ văn bản mật đến",
    plural_en="Secret incoming documents",
    title_field="subject",
    workflow=incoming_workflow(secret=True),
    counters=(Counter(field="arrival_number", per=("register_of",), yearly_from="arrival_date"),),
    fields=incoming_fields(secret=True),
    search_fields=("number_symbol", "subject", "issuer_name"),
    list_display=INCOMING_LIST,
    list_filter=INCOMING_FILTERS,
    ordering=("-id",),
    # Nobody sees a secret document by role (Art. 20: secret documents are registered apart):
    # the clerks and leaders may register one, and only object grants open it.
    permissions={**{role: ("add",) for role in (*CLERKS, *LEADERS)}},
    hooks=Hooks(
        validate=hooks.validate_incoming,
        before_save=hooks.before_incoming_save,
        after_save=hooks.after_secret_save,
    ),
)

OUTGOING_WORKFLOW = Workflow(
    states=(
        State(code="draft", label_vi="Dự thảo", label_en="Draft"),
        State(code="in_review", label_vi="Đang trình duyệt", label_en="In review"),
        State(code="approved", label_vi="Đã ký duyệt", label_en="Approved by the signer"),
        State(code="released", label_vi="Đã phát hành", label_en="Released"),
        State(code="recalled", label_vi="Đã thu hồi", label_en="Recalled", final=True),
    ),
    initial="draft",
    transitions=(
        Transition(
            name="submit",
            label_vi="Trình duyệt",
            label_en="Submit for approval",
            source=("draft",),
            target="in_review",
            roles=(*DOERS, SECRETARY),
        ),
        Transition(
            name="send_back",
            label_vi="Trả lại dự thảo",
            label_en="Send back",
            source=("in_review",),
            target="draft",
            roles=LEADERS,
            needs_comment=True,
        ),
        Transition(
            name="approve",
            label_vi="Ký duyệt",
            label_en="Approve and sign",
            source=("in_review",),
            target="approved",
            roles=LEADERS,
            guards=(outgoing.only_the_signer,),
        ),
        Transition(
            name="release",
            label_vi="Phát hành (cấp số)",
            label_en="Release (give the number)",
            source=("approved",),
            target="released",
            roles=CLERKS,
            hooks=(outgoing.on_release,),
        ),
        Transition(
            name="recall",
            label_vi="Thu hồi",
            label_en="Recall",
            source=("released",),
            target="recalled",
            roles=LEADERS,
            needs_comment=True,
            hooks=(outgoing.on_recall,),
        ),
    ),
)

OutgoingDocument = Entity(
    name="OutgoingDocument",
    label_vi="Văn bản đi",
    label_en="Outgoing document",
    plural_vi="Sổ văn bản đi",
    plural_en="Outgoing documents",
    title_field="subject",
    workflow=OUTGOING_WORKFLOW,
    # released or recalled: the copy is frozen (the record of what left the agency)
    locks=(Lock(states=("released", "recalled"), fields=ALL),),
    counters=(Counter(field="seq", per=("register_of", "series"), yearly_from="released_on", on="release"),),
    fields=(
        Choice("doc_type", "Tên loại", "Document type", choices=TYPE_CHOICES, required=True, filterable=True),
        Text(
            "agency_code",
            "Ký hiệu cơ quan ban hành",
            "Issuer's abbreviation",
            required=True,
            max_length=20,
            default="BKHCN",
        ),
        Text(
            "drafting_unit_code",
            "Ký hiệu đơn vị soạn thảo",
            "Drafting unit's abbreviation",
            max_length=20,
            help_vi="Bắt buộc với Công văn (05/BKHCN-VP).",
            help_en="Required for an official letter (05/BKHCN-VP).",
        ),
        Text("subject", "Trích yếu", "Subject", required=True, max_length=500, searchable=True),
        LongText("content", "Nội dung", "Text"),
        Link("signer", "Người ký", "Signer", target=USER, required=True),
        LongText("recipients", "Nơi nhận", "Recipients"),
        MultiLink(
            "recipient_units",
            "Đơn vị nhận trong hệ thống",
            "Recipient units on the platform",
            target="org.Unit",
        ),
        Text(
            "external_recipients",
            "Cơ quan nhận qua trục liên thông",
            "Agencies reached by the exchange",
            max_length=500,
            help_vi="Mã định danh cơ quan (OrganId), cách nhau bởi dấu phẩy.",
            help_en="Agency codes (OrganId), separated by commas.",
        ),
        Children(
            "receipts",
            "Trạng thái liên thông",
            "Exchange status",
            computed=True,
            columns=(
                Text("organ_id", "Cơ quan nhận", "Recipient agency", max_length=40),
                Choice("status", "Trạng thái", "Status", choices=exchange.STATUSES),
                LongText("note", "Ghi chú", "Note"),
                DateTime("at", "Thời điểm", "At"),
            ),
        ),
        Integer("copies", "Số lượng bản", "Copies", default=1),
        Choice("urgency", "Độ khẩn", "Urgency", choices=URGENCY, default="normal", filterable=True),
        Choice(
            "confidentiality",
            "Độ mật",
            "Confidentiality",
            choices=CONFIDENTIALITY,
            default="normal",
            filterable=True,
        ),
        File("file", "Tệp văn bản", "Document file", accept=("pdf",)),
        File(
            "signed_file",
            "Bản phát hành có chữ ký số",
            "Released copy, signed",
            accept=("pdf",),
            computed=True,
        ),
        # given on release
        Link("register_of", "Sổ của cơ quan", "Register of", target="org.Unit", computed=True),
        Choice(
            "series",
            "Dãy số",
            "Number series",
            choices=(("normal", "Thường", "Ordinary"), ("secret", "Mật", "Secret")),
            default="normal",
            computed=True,
        ),
        Integer("seq", "Số", "Number", computed=True),
        Date("released_on", "Ngày phát hành", "Released on", computed=True, index=True),
        Text(
            "number_symbol",
            "Số, ký hiệu",
            "Number and symbol",
            max_length=50,
            computed=True,
            searchable=True,
            index=True,
        ),
        DateTime("recalled_at", "Thu hồi lúc", "Recalled at", computed=True),
    ),
    search_fields=("number_symbol", "subject"),
    list_display=("number_symbol", "released_on", "subject", "signer", "state"),
    list_filter=("state", "doc_type", "urgency"),
    ordering=("-id",),
    permissions={
        **{role: ("view", "add", "change") for role in (*DOERS, SECRETARY)},
        PLATFORM_ADMIN: ("view", "add", "change", "delete"),
    },
    hooks=Hooks(
        validate=outgoing.validate_outgoing,
        before_save=outgoing.before_outgoing_save,
        after_save=outgoing.after_outgoing_save,
    ),
)

MODULE = Module(
    label="documents",
    name_vi="Quản lý văn bản",
    name_en="Documents",
    icon="description",
    order=20,
    entities=(IncomingDocument, SecretIncomingDocument, OutgoingDocument),
    pages=(
        Page(
            url_name="documents-intake",
            title_vi="Vào sổ văn bản đến (đọc bản quét)",
            title_en="Register an incoming document (read a scan)",
            audience="staff",
            icon="document_scanner",
            entity="IncomingDocument",
        ),
    ),
    outboxes=(
        Outbox(
            name="exchange",
            label_vi="Liên thông văn bản với cơ quan khác",
            label_en="Document exchange with other agencies",
            channels=(exchange.CHANNEL,),
            topics=(("release", "Phát hành", "Release"), ("recall", "Thu hồi", "Recall")),
        ),
    ),
)
