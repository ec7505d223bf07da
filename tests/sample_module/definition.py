"""A small module declared only for the tests: proves that a definition alone
yields a model, an admin, GraphQL types, mutations and a subscription."""

from decimal import Decimal as D

from modules.engine.definitions import (
    Boolean,
    Children,
    Choice,
    Date,
    DateTime,
    Deadline,
    Decimal,
    Entity,
    File,
    Hooks,
    Integer,
    Json,
    Link,
    LongText,
    Module,
    Money,
    MultiLink,
    Percent,
    State,
    Text,
    Transition,
    Workflow,
)


def validate_project(project, user):
    if project.budget is not None and project.budget > D("1000000000000"):
        return {"budget": ["Kinh phí quá lớn. / Budget too large."]}
    return {}


def extra_graphql_fields():
    """An extra, computed GraphQL field: the sum of the milestones' amounts."""
    import strawberry_django

    def milestone_total(root) -> D:
        return sum((m.amount or D(0) for m in root.milestones.all()), D(0))

    def audit_probe(root) -> str:
        """A hook with a bug in it, so tests can see how an unexpected error is reported."""
        raise RuntimeError(f"secret internals of row {root.pk} at /srv/onemst/hooks.py")

    return {
        "milestone_total": strawberry_django.field(
            resolver=milestone_total, prefetch_related=["milestones"], description="Tổng tiền các mốc"
        ),
        "audit_probe": strawberry_django.field(resolver=audit_probe, description="Lỗi thử nghiệm"),
    }


def refuse_without_budget(project, user):
    return None if project.budget else "Chưa có kinh phí. / No budget yet."


WORKFLOW = Workflow(
    states=(
        State(code="draft", label_vi="Dự thảo", label_en="Draft"),
        State(code="submitted", label_vi="Đã trình", label_en="Submitted"),
        State(code="approved", label_vi="Đã duyệt", label_en="Approved", final=True),
        State(code="returned", label_vi="Trả lại", label_en="Returned"),
    ),
    initial="draft",
    transitions=(
        Transition(
            name="submit",
            label_vi="Trình",
            label_en="Submit",
            source=("draft", "returned"),
            target="submitted",
            roles=("specialist", "provincial_officer"),
            guards=(refuse_without_budget,),
        ),
        Transition(
            name="approve",
            label_vi="Duyệt",
            label_en="Approve",
            source=("submitted",),
            target="approved",
            roles=("unit_head",),
        ),
        Transition(
            name="return_back",
            label_vi="Trả lại",
            label_en="Return",
            source=("submitted",),
            target="returned",
            roles=("unit_head",),
            needs_comment=True,
        ),
    ),
)

STAFF = ("specialist", "provincial_officer", "unit_head", "ministry_leader")

Project = Entity(
    name="SampleProject",
    label_vi="Dự án mẫu",
    label_en="Sample project",
    title_field="title",
    numbering="DA-{yyyy}-{seq:04}",
    shareable=True,
    workflow=WORKFLOW,
    deadline=Deadline(field="due_date", working_days=True, done_states=("approved",)),
    fields=(
        Text("title", "Tên dự án", "Title", required=True, searchable=True),
        LongText("summary", "Tóm tắt", "Summary"),
        Integer("staff_count", "Số người", "Staff count"),
        Decimal("score", "Điểm", "Score", max_digits=6, decimal_places=2),
        Money("budget", "Kinh phí", "Budget"),
        Percent("progress", "Tiến độ", "Progress"),
        Boolean("is_key", "Trọng tâm", "Key project", filterable=True),
        Date("due_date", "Hạn", "Due date", filterable=True),
        DateTime("started_at", "Bắt đầu", "Started at"),
        Choice(
            "priority",
            "Độ ưu tiên",
            "Priority",
            required=True,
            filterable=True,
            choices=(("normal", "Thường", "Normal"), ("high", "Cao", "High")),
        ),
        Link("lead_unit", "Đơn vị chủ trì", "Lead unit", target="org.Unit"),
        MultiLink("partner_units", "Đơn vị phối hợp", "Partner units", target="org.Unit"),
        File("attachment", "Tệp đính kèm", "Attachment"),
        Json("extra", "Dữ liệu thêm", "Extra data"),
        Children(
            "milestones",
            "Mốc",
            "Milestones",
            columns=(
                Text("name", "Tên mốc", "Name", required=True),
                Date("due", "Hạn", "Due"),
                Money("amount", "Số tiền", "Amount"),
            ),
        ),
    ),
    search_fields=("title", "summary"),
    list_display=("title", "priority", "due_date"),
    list_filter=("priority", "is_key"),
    ordering=("-id",),
    permissions={
        "specialist": ("view", "add", "change", "delete"),
        "provincial_officer": ("view", "add", "change", "delete"),
        "unit_head": ("view", "add", "change"),
        "ministry_leader": ("view",),
    },
    hooks=Hooks(validate=validate_project, graphql_fields=extra_graphql_fields),
)

Note = Entity(
    name="SampleNote",
    label_vi="Ghi chú mẫu",
    label_en="Sample note",
    title_field="text",
    fields=(
        Text("text", "Nội dung", "Text", required=True),
        Link("project", "Dự án", "Project", target="sample.SampleProject"),
    ),
    permissions={role: ("view", "add", "change", "delete") for role in STAFF},
)

MODULE = Module(label="sample", name_vi="Mô-đun mẫu", name_en="Sample module", entities=(Project, Note))
