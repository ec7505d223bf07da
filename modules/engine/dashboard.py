"""What a module shows on the admin dashboard, declared as data (the admin renders it).

A module's `Module.dashboard(user)` returns a `Panel`: a few headline `Figure`s and, only
where a picture says more than a number, a `Trend` (a small line or bar chart over time) or
a `Ranking` (the best and worst units). A figure is not a number the module computes: it
is a filter on one entity's admin list (`where`, the same lookups the list's querystring
takes). The admin counts it over the rows the viewer may see (`access.scoped_queryset`) and
links it to that very list, so the figure and the list it opens cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

TONES = ("", "good", "warn", "bad")


@dataclass(frozen=True)
class Figure:
    """A headline number: the rows of `entity` matching `where`, under the viewer's scope.

    `where` holds admin-list lookups as the querystring carries them (`state__in` as
    "a,b", dates as ISO text). `out_of` (lookups too) shows "X / N", or X as a share of N
    when `percent`. `own_units` leaves out rows the viewer sees only because they are
    shared (an accepted report of another province): the figure and its link then count
    the viewer's own units' rows. `tone` colours a non-zero value (e.g. "bad" for overdue).
    """

    key: str
    label_vi: str
    label_en: str
    entity: str
    where: Mapping[str, str] = field(default_factory=dict)
    out_of: Mapping[str, str] | None = None
    percent: bool = False
    own_units: bool = False
    tone: str = ""
    help_vi: str = ""
    help_en: str = ""

    def __post_init__(self) -> None:
        if self.tone not in TONES:
            raise ValueError(f"Figure {self.key}: tone must be one of {TONES}")
        if self.percent and self.out_of is None:
            raise ValueError(f"Figure {self.key}: a percentage needs `out_of`")


@dataclass(frozen=True)
class Series:
    label_vi: str
    label_en: str
    values: tuple[float | int | None, ...]
    colour: str = "#2563eb"


@dataclass(frozen=True)
class Trend:
    """A small chart over time: `labels` on the x axis (periods), one or more series."""

    key: str
    title_vi: str
    title_en: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    kind: str = "line"  # "line" or "bar" (bars of several series are stacked when `stacked`)
    stacked: bool = False
    percent: bool = False  # values are percentages (the y axis runs 0-100)
    note_vi: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class Ranked:
    label: str
    value: float  # what is ranked (e.g. an on-time rate)
    detail: str = ""  # e.g. "191 / 200"


@dataclass(frozen=True)
class Ranking:
    """Units ranked by one value: the admin shows the `show` best and the `show` worst."""

    key: str
    title_vi: str
    title_en: str
    items: tuple[Ranked, ...]
    higher_is_better: bool = True
    percent: bool = True
    show: int = 5
    note_vi: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class Panel:
    """One module's part of the dashboard."""

    figures: tuple[Figure, ...]
    charts: tuple[Trend | Ranking, ...] = ()
    subtitle_vi: str = ""  # e.g. the period the figures are about
    subtitle_en: str = ""


def month_starts(today: dt.date, count: int) -> list[dt.date]:
    """The first days of the last `count` months, this one last."""
    first = today.replace(day=1)
    months = []
    for back in range(count - 1, -1, -1):
        total = first.year * 12 + first.month - 1 - back
        months.append(dt.date(total // 12, total % 12 + 1, 1))
    return months
