"""Form errors one to a line (issue 12.3).

Unfold's error box prints a form's non-field errors one after another in one block, so
"Thiếu giấy tờ: A" and "Thiếu giấy tờ: B" ran together on one line. Each error of our
forms is its own block element instead, wherever a template iterates over the list.
"""

from __future__ import annotations

from typing import Any

from django.forms.utils import ErrorList
from django.utils.html import format_html


class LineErrorList(ErrorList):
    def __getitem__(self, index: Any) -> Any:
        error = super().__getitem__(index)
        if isinstance(index, slice):
            return error
        return format_html('<span class="block" data-error>{}</span>', error)
