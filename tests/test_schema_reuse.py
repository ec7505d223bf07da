"""Issue 15: an incremental rebuild (schema/runtime.py, schema/reuse.py) gives the very schema a
full build gives, through a sequence of changes (add, widen, a second entity, remove all)."""

from __future__ import annotations

import pytest

from modules.engine.custom_values import Definition
from schema import custom, runtime
from schema.schema import build_schema


def define(code: str, entity: str = "sample.SampleProject", **options) -> Definition:
    values = dict(
        entity=entity,
        code=code,
        label_vi=code,
        label_en=code,
        help_vi="",
        help_en="",
        type="text",
        target="",
        required=False,
        default=None,
        roles_see=(),
        roles_change=(),
        in_list=True,
        in_filter=True,
        in_search=False,
        archived=False,
        options=(),
    )
    return Definition(**{**values, **options})


@pytest.fixture
def restored():
    saved = dict(runtime._current)
    yield
    runtime._current.clear()
    runtime._current.update(saved)


STEPS = [
    {"sample.SampleProject": (define("a"),)},
    {"sample.SampleProject": (define("a"), define("b", type="integer"))},
    {"sample.SampleProject": (define("a"),), "tasks.Task": (define("c", "tasks.Task", type="date"),)},
    {"tasks.Task": (define("c", "tasks.Task", type="date", in_filter=False),)},
    {},
]


def test_each_incremental_rebuild_prints_the_sdl_of_a_full_build(restored, caplog):
    for definitions in STEPS:
        shapes = {label: runtime._shape(defs) for label, defs in definitions.items()}
        runtime._rebuild(definitions, shapes)
        with custom.building(definitions):
            full = build_schema()
        assert str(runtime._current["schema"]) == str(full), sorted(definitions)
    assert "incremental schema rebuild failed" not in caplog.text  # no step needed the fallback


def test_only_the_changed_entity_and_those_naming_it_are_rebuilt():
    touched = runtime._touched({"sample.SampleProject"})
    assert "sample.SampleProject" in touched
    assert "attendance.Kiosk" not in touched and "org.Unit" not in touched
