"""Demo data of the domain modules: each may ship `modules/<name>/demo.py` with `seed(out)`.

`manage.py seed_demo` loads the organisation first (every module hangs on it),
then calls each module's seeder in the order of INSTALLED_APPS. Seeders must be
idempotent: running `make run` again adds nothing. A seeder sized down for a quick `make run`
loads the issue's full size when `seed_demo --size full` asks for it, and its smallest size that
still reaches every status with `--size small` (the demo test runs every seeder that way; each
module's own demo test checks its quick or full size): `sized(small=, quick=, full=)`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from importlib.util import find_spec
from typing import Any, Literal, TypeVar

from . import registry

Size = Literal["small", "quick", "full"]
SIZES: tuple[Size, ...] = ("small", "quick", "full")
T = TypeVar("T")
_size: Size = "quick"


def size() -> Size:
    """The size this seeding loads: `quick` for `make run`, `full` for the issues' sizes, `small`
    for a check that every seeder runs and reaches every status."""
    return _size


def sized(*, small: T, quick: T, full: T) -> T:
    """A seeder's number for the size being loaded."""
    return {"small": small, "quick": quick, "full": full}[_size]


@contextmanager
def loading(size: Size) -> Iterator[None]:
    """Seeders called inside the block load `size` (a module's own demo test calls its seeder so)."""
    global _size
    if size not in SIZES:
        raise ValueError(f"demo size {size!r} is not one of {SIZES}")
    before, _size = _size, size
    try:
        yield
    finally:
        _size = before


def seed_modules(out: Any, skip: tuple[str, ...] = (), *, size: Size = "quick") -> None:
    """Each module's seeder in turn, saying which one runs and how long it took (a first
    `make run` spends minutes here, and silence looks like a hang)."""
    with loading(size):
        _seed_each(out, skip)


def _seed_each(out: Any, skip: tuple[str, ...]) -> None:
    apps = [app for app in registry.definition_apps() if app not in skip and find_spec(f"{app}.demo")]
    names = {f"modules.{m.label}": m for m in registry.modules()}
    for number, app in enumerate(apps, start=1):
        module = names.get(app)
        title = f"{module.name_vi} / {module.name_en}" if module else app
        out.write(f"[{number}/{len(apps)}] Dữ liệu mẫu / Demo data: {title} …")
        flush = getattr(out, "flush", None)
        if flush:
            flush()
        started = time.monotonic()
        import_module(f"{app}.demo").seed(out)
        seconds = f"{time.monotonic() - started:.1f}"
        vi_seconds = seconds.replace(".", ",")  # Vietnamese decimal comma
        out.write(f"[{number}/{len(apps)}] {title}: xong sau {vi_seconds} s / done in {seconds} s")
