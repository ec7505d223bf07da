"""The tasks module's headline figures, declared once (issue 12.6: one number, one meaning).

"Overdue" is the task's stored status (`status.py`), over the rows the viewer may see, at
any assignment date: the status board's tile and list header, the admin dashboard and the
admin list filter `status__exact=overdue`, and GraphQL `tasks(filters: {status: ...})`'s
`totalCount` all count these figures through `engine.figures`.
"""

from __future__ import annotations

from modules.engine.dashboard import Figure

from . import status

TASK = "tasks.Task"

OVERDUE = Figure(
    key="tasks.overdue",
    label_vi="Quá hạn",
    label_en="Overdue",
    entity=TASK,
    where={"status__exact": status.OVERDUE},
    tone="bad",
    help_vi="Chưa hoàn thành, đã quá thời hạn",
    help_en="Not completed, past the deadline",
)

NEAR_DEADLINE = Figure(
    key="tasks.near",
    label_vi="Sắp đến hạn",
    label_en="Near the deadline",
    entity=TASK,
    where={"status__exact": status.NEAR_DEADLINE},
    tone="warn",
)
