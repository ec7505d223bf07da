"""Citizens' and businesses' petitions (kiến nghị) on regulations, after Decree 20/2008.

A petition is logged in the receipt register with a number, classified (not accepted,
forwarded to the competent body, ours, or outside our competence — forwarded within 5
working days), assigned to a unit with an answer deadline, tested on the six criteria
of Art. 14, answered, and the answer published; the petitioner may say how satisfied
they are. Rules live in `hooks.py`, the public intake and statistics in `api.py`.
"""

from modules.engine.definitions import (
    ALL,
    Boolean,
    Choice,
    Date,
    DateTime,
    Entity,
    Hooks,
    Link,
    Lock,
    LongText,
    Module,
    Page,
    State,
    Text,
    Transition,
    Workflow,
)
from modules.org.roles import MINISTRY_LEADER, PLATFORM_ADMIN, SPECIALIST, UNIT_HEAD

from . import api, dashboard, hooks
from .rules import CHANNELS, CONTENT_TYPES, CRITERIA, KINDS, REFUSAL_REASONS, SATISFACTION

HANDLERS = (SPECIALIST, UNIT_HEAD, PLATFORM_ADMIN)
DECIDERS = (UNIT_HEAD, MINISTRY_LEADER, PLATFORM_ADMIN)
FEEDBACK = ("satisfaction", "feedback")  # the petitioner's say, given after the answer
CORRECTABLE = ("answer", "review_notes")  # the answer's wording, until it is published

PETITION_WORKFLOW = Workflow(
    states=(
        State(code="received", label_vi="Đã tiếp nhận, chờ phân loại", label_en="Received"),
        State(code="not_accepted", label_vi="Không tiếp nhận", label_en="Not accepted", final=True),
        # complaints and denunciations are not this decree's (Art. 1): routed out, with the reason
        State(
            code="out_of_scope",
            label_vi="Ngoài phạm vi (khiếu nại, tố cáo)",
            label_en="Out of scope (complaint, denunciation)",
            final=True,
        ),
        State(code="forwarded", label_vi="Đã chuyển cơ quan có thẩm quyền", label_en="Forwarded", final=True),
        State(code="handling", label_vi="Đang xử lý", label_en="Being handled"),
        State(code="answered", label_vi="Đã có kết quả xử lý", label_en="Answered"),
        State(code="published", label_vi="Đã công khai kết quả", label_en="Answer published", final=True),
    ),
    initial="received",
    transitions=(
        Transition(
            name="reject",
            label_vi="Không tiếp nhận",
            label_en="Do not accept",
            source=("received",),
            target="not_accepted",
            roles=HANDLERS,
            needs_comment=True,
            hooks=(hooks.on_classified,),
        ),
        Transition(
            name="route_out",
            label_vi="Ngoài phạm vi: khiếu nại, tố cáo",
            label_en="Out of scope: a complaint or denunciation",
            source=("received",),
            target="out_of_scope",
            roles=HANDLERS,
            needs_comment=True,
            guards=(hooks.complaint_or_denunciation,),
            hooks=(hooks.on_routed_out,),
        ),
        Transition(
            name="forward",
            label_vi="Chuyển cơ quan có thẩm quyền",
            label_en="Forward to the competent body",
            source=("received",),
            target="forwarded",
            roles=HANDLERS,
            needs_comment=True,
            guards=(hooks.forward_target_given,),
            hooks=(hooks.on_classified,),
        ),
        Transition(
            name="accept",
            label_vi="Thuộc thẩm quyền: giao xử lý",
            label_en="Ours: assign",
            source=("received",),
            target="handling",
            roles=HANDLERS,
            guards=(hooks.assignment_given,),
            hooks=(hooks.on_classified,),
        ),
        Transition(
            name="answer",
            label_vi="Ghi kết quả xử lý",
            label_en="Record the answer",
            source=("handling",),
            target="answered",
            roles=DECIDERS,
            guards=(hooks.answer_ready,),
            hooks=(hooks.on_answered,),
        ),
        Transition(
            name="publish",
            label_vi="Công khai kết quả",
            label_en="Publish the answer",
            source=("answered",),
            target="published",
            roles=DECIDERS,
            hooks=(hooks.on_published,),
        ),
    ),
)

Petition = Entity(
    name="Petition",
    label_vi="Kiến nghị",
    label_en="Petition",
    plural_vi="Phản ánh, kiến nghị",
    plural_en="Petitions",
    title_field="subject",
    numbering="KN-{yyyy}-{seq:05}",
    workflow=PETITION_WORKFLOW,
    # A classified, answered or published petition is in the statistics (on time, answered):
    # only the petitioner's feedback stays open, and, until publication, the deciders may
    # still correct the answer's wording.
    locks=(
        Lock(
            states=("not_accepted", "out_of_scope", "forwarded", "published"),
            fields=ALL,
            except_fields=FEEDBACK,
        ),
        Lock(states=("answered",), fields=ALL, except_fields=(*FEEDBACK, *CORRECTABLE)),
        Lock(states=("answered",), fields=CORRECTABLE, roles_may_change=DECIDERS),
    ),
    fields=(
        Choice(
            "kind",
            "Loại đơn",
            "Kind",
            choices=KINDS,
            default="petition",
            filterable=True,
            help_vi="Khiếu nại, tố cáo không thuộc phạm vi Nghị định 20/2008 (Điều 1): được ghi nhận và "
            "hướng dẫn gửi đến cơ quan có thẩm quyền.",
            help_en="Complaints and denunciations are outside Decree 20/2008 (Art. 1): recorded and "
            "routed to the competent body.",
        ),
        Choice(
            "content_type",
            "Nội dung kiến nghị",
            "Content type",
            choices=CONTENT_TYPES,
            required=True,
            filterable=True,
        ),
        Choice(
            "channel", "Hình thức tiếp nhận", "Channel", choices=CHANNELS, default="online", filterable=True
        ),
        Text(
            "petitioner_name",
            "Họ tên / tên tổ chức",
            "Petitioner",
            required=True,
            max_length=200,
            searchable=True,
        ),
        Text("address", "Địa chỉ", "Address", required=True, max_length=300),
        Text("phone", "Điện thoại", "Phone", required=True, max_length=20),
        Text("email", "Thư điện tử", "Email", max_length=120),
        Text("subject", "Tiêu đề", "Subject", required=True, max_length=300, searchable=True),
        LongText("content", "Nội dung phản ánh", "What is wrong", required=True),
        LongText("proposal", "Giải pháp, sáng kiến đề xuất", "Proposed solution or initiative"),
        Text("related_rule", "Quy định liên quan", "Regulation concerned", max_length=300),
        Text("forwarded_to", "Chuyển đến cơ quan", "Forwarded to", max_length=300),
        Choice(
            "refusal_reason",
            "Lý do không tiếp nhận",
            "Why not taken in",
            choices=REFUSAL_REASONS,
            computed=True,
            filterable=True,
        ),
        LongText("notice", "Thông báo cho người gửi", "Notice to the petitioner", computed=True),
        Date(
            "forward_deadline", "Hạn chuyển (5 ngày làm việc)", "Forward by (5 working days)", computed=True
        ),
        DateTime("forwarded_at", "Đã chuyển lúc", "Forwarded at", computed=True),
        Link("assigned_unit", "Đơn vị xử lý", "Handling unit", target="org.Unit", filterable=True),
        Date("answer_deadline", "Hạn trả lời", "Answer by", index=True),
        *(Boolean(code, vi, en) for code, vi, en in CRITERIA),
        LongText("review_notes", "Nhận xét theo 6 tiêu chí", "Review against the six criteria"),
        LongText("answer", "Kết quả xử lý, trả lời", "Answer"),
        DateTime("answered_at", "Trả lời lúc", "Answered at", computed=True),
        Boolean("answered_on_time", "Trả lời đúng hạn", "Answered on time", computed=True),
        DateTime("published_at", "Công khai lúc", "Published at", computed=True),
        Choice("satisfaction", "Mức độ hài lòng", "Satisfaction", choices=SATISFACTION, computed=True),
        LongText("feedback", "Ý kiến của người kiến nghị", "Petitioner's feedback", computed=True),
        Text("feedback_key", "Mã phản hồi", "Feedback key", max_length=64, computed=True),
    ),
    search_fields=("number", "subject", "petitioner_name"),
    list_display=("number", "subject", "content_type", "state", "assigned_unit", "answer_deadline"),
    list_filter=("state", "kind", "refusal_reason", "content_type", "channel", "assigned_unit"),
    ordering=("-id",),
    permissions={
        SPECIALIST: ("view", "add", "change"),
        UNIT_HEAD: ("view", "add", "change"),
        MINISTRY_LEADER: ("view",),
        PLATFORM_ADMIN: ("view", "add", "change", "delete"),
    },
    hooks=Hooks(
        validate=hooks.validate_petition,
        before_save=hooks.before_petition_save,
        graphql_queries=api.petition_queries,
        graphql_mutations=api.petition_mutations,
    ),
)

MODULE = Module(
    label="petitions",
    name_vi="Phản ánh, kiến nghị",
    name_en="Petitions",
    icon="campaign",
    order=35,
    entities=(Petition,),
    dashboard=dashboard.panels,
    pages=(
        Page(
            url_name="petitions-public",
            title_vi="Phản ánh, kiến nghị (công khai)",
            title_en="Petitions (public)",
            audience="public",
            icon="campaign",
        ),
    ),
)
