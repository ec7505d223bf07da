"""S&T tasks, part 2 (issue 19): the national list of tasks in progress, as it comes down from
the national S&T database (`national_list.py`), and the outbox that carries a province's
package up (`national_export.py`). Declared beside `definition.py`, whose `MODULE` lists them:
three helpers write the module at once.

The list is national facts, the same for every province: no unit owns a row (`unit_scoped`
off) and nobody edits one by hand; every managing unit reads it, which is what part 1's
eligibility check needs ("must not lead another national task", domain.md §7.2).
"""

from modules.engine.definitions import Boolean, Date, DateTime, Entity, Hooks, Outbox, Page, Text
from modules.org.roles import MINISTRY_LEADER

from . import kpi_api, national_api
from .roles import ADMIN, MANAGERS

NationalTask = Entity(
    name="NationalTask",
    label_vi="Nhiệm vụ cấp quốc gia đang thực hiện",
    label_en="National task in progress",
    plural_vi="Danh sách nhiệm vụ quốc gia (từ CSDL quốc gia)",
    plural_en="National tasks",  # also the GraphQL list's name: nationalTasks
    title_field="title",
    unit_scoped=False,
    custom_fields=False,  # a copy of the national list: nothing of ours to add to it
    fields=(
        Text("code", "Mã nhiệm vụ quốc gia", "National code", required=True, unique=True, max_length=80),
        Text("title", "Tên nhiệm vụ", "Title", required=True, searchable=True),
        Text("managing_body", "Cơ quan quản lý", "Managing body"),
        Text("investigator_name", "Chủ nhiệm", "Principal investigator", max_length=120, searchable=True),
        Text("investigator_email", "Thư điện tử chủ nhiệm", "Investigator's email", max_length=120),
        Text("organisation_name", "Tổ chức chủ trì", "Host organisation"),
        Text("organisation_tax_code", "Mã số thuế tổ chức", "Host's tax code", max_length=20),
        Date("starts_on", "Bắt đầu", "Starts on"),
        Date("ends_on", "Kết thúc", "Ends on"),
        Boolean("in_progress", "Đang thực hiện", "In progress", default=True, filterable=True),
        # who the task's investigator is, folded as both sides can spell it (national_list.py)
        Text(
            "investigator_key",
            "Khoá đối chiếu chủ nhiệm",
            "Investigator match key",
            index=True,
            max_length=400,
        ),
        DateTime("listed_at", "Theo danh sách lúc", "As listed at"),
    ),
    search_fields=("code", "title", "investigator_name"),
    list_display=("code", "title", "investigator_name", "organisation_name", "ends_on", "in_progress"),
    list_filter=("in_progress",),
    # read by every managing unit; written only by the national list's import
    permissions={role: ("view",) for role in MANAGERS} | {MINISTRY_LEADER: ("view",), ADMIN: ("view",)},
    # part 2's reading side hangs here: the national package, the list coming down, the KPIs
    hooks=Hooks(
        graphql_queries=lambda: national_api.national_queries() | kpi_api.kpi_queries(),
        graphql_mutations=national_api.national_mutations,
    ),
)

NATIONAL_OUTBOX = Outbox(
    name="national",
    label_vi="Gửi CSDL quốc gia về KH&CN",
    label_en="To the national S&T database",
    channels=("national_st",),
    topics=(("export", "Dữ liệu nhiệm vụ của tỉnh", "A province's task data"),),
    max_attempts=10,
    backoff_seconds=60,
)

PAGES = (
    Page(
        url_name="stm-backfill",
        title_vi="Nhập hồi tố nhiệm vụ đã thực hiện",
        title_en="Backfill past tasks",
        audience="staff",
        icon="upload_file",
        entity="Contract",
    ),
    Page(
        url_name="stm-board",
        title_vi="Bảng tin nhiệm vụ KH&CN",
        title_en="S&T task board",
        audience="board",
        icon="monitoring",
        entity="Contract",
    ),
)

ENTITIES = (NationalTask,)
