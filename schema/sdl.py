"""The schema's SDL as committed in `schema.graphql` (issue 12, point 13): printed from the
built schema with every type and field sorted, so the file changes only when the API does."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from graphql import build_schema, lexicographic_sort_schema, print_schema

FILE_NAME = "schema.graphql"
REGENERATE = "python manage.py update_schema"


def sdl() -> str:
    from .schema import schema

    # Through strawberry's own printing first: its enums serialise Python defaults itself.
    return print_schema(lexicographic_sort_schema(build_schema(schema.as_str()))) + "\n"


def committed_path() -> Path:
    return Path(settings.BASE_DIR) / FILE_NAME
