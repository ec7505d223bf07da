"""The translatable strings a package shows, read from its templates and Python code.

Django's `makemessages` needs GNU xgettext; this reads the same calls with Django's own
`templatize` (templates → Python-like text) and Python's tokenizer, so the locale test
finds every string a package marks for translation without extra tools.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation.template import templatize

# call name → (index of the context argument or None, index of the msgid, of the plural or None)
CALLS = {
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "_": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}

Msgid = tuple[str | None, str, str | None]  # (context, msgid, plural)


def _calls(source: str) -> Iterator[Msgid]:
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    for i, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in CALLS or tokens[i + 1].string != "(":
            continue
        if i and tokens[i - 1].string in (".", "def"):  # a method, or a definition
            continue
        args: list[str | None] = []
        current: str | None = ""
        depth = 0
        for tok in tokens[i + 2 :]:
            if tok.string in "([{" and tok.type == tokenize.OP:
                depth += 1
            elif tok.string in ")]}" and tok.type == tokenize.OP:
                if depth == 0:
                    args.append(current)
                    break
                depth -= 1
            elif tok.string == "," and depth == 0:
                args.append(current)
                current = ""
                continue
            if tok.type == tokenize.STRING and depth == 0 and current is not None:
                current += ast.literal_eval(tok.string)
            elif tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
                current = None if tok.type != tokenize.STRING else current
        context, msgid, plural = CALLS[token.string]
        picked = [args[n] if n is not None and n < len(args) else None for n in (context, msgid, plural)]
        if picked[1]:  # a literal msgid (a variable is no msgid)
            yield picked[0], picked[1], picked[2]


def msgids_in_template(path: Path) -> set[Msgid]:
    # templatize writes each call on one line (its strings as repr()), so lines are read
    # one by one: the placeholder text around them is not valid Python indentation.
    found: set[Msgid] = set()
    for line in templatize(path.read_text(encoding="utf-8"), origin=str(path)).splitlines():
        if "gettext(" in line:
            found |= msgids_in_python_text(line.strip())
    return found


def msgids_in_python_text(source: str) -> set[Msgid]:
    try:
        return set(_calls(source))
    except (tokenize.TokenError, SyntaxError):
        return set()


def msgids_in_python(path: Path) -> set[Msgid]:
    return msgids_in_python_text(path.read_text(encoding="utf-8"))


def msgids_in_package(
    root: Path, *, python: tuple[str, ...] = ("*.py",), skip: tuple[str, ...] = ()
) -> set[Msgid]:
    """Every msgid of a package's templates and (matching) Python files, minus `skip` parts."""
    found: set[Msgid] = set()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if any(part in relative for part in skip):
            continue
        if path.suffix in (".html", ".txt") and "/templates/" in f"/{relative}":
            found |= msgids_in_template(path)
        elif path.suffix == ".py" and any(path.match(pattern) for pattern in python):
            found |= msgids_in_python(path)
    return found
