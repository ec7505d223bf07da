"""Heavy work in a child process with a memory cap and a time limit: the caller never pays for it.

A parser fed a hostile or simply huge file (a 12 MB spreadsheet once took a minute and
2.8 GB inside a request) must not take the web or job worker with it. `run_capped` starts
`python -m modules.engine.sandbox`, which sets `RLIMIT_AS` (address space: every allocation,
C libraries' included) and `RLIMIT_CPU` on itself before it reads its input or imports the
target, then calls `target(data, **args, progress=...)`. The parent reads its progress
lines, kills it at the wall-clock limit, and turns every ending into either the target's
JSON result or a typed error with a bilingual message: TIMEOUT, MEMORY_LIMIT, WORK_FAILED,
or the target's own refusal (any exception with `code` and `message`).

The protocol is JSON lines on stdout; the input is one JSON header line then the raw bytes
on stdin. The target module must not need Django: the child does not set it up.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import EngineError

ROOT = Path(__file__).resolve().parents[2]
OnProgress = Callable[[int, int], None]
# How running out of address space shows when it is not a Python MemoryError.
MEMORY_SIGNS = (
    "MemoryError",
    "bad_alloc",
    "Cannot allocate memory",
    "failed to map segment",
    "out of memory",
    "Memory allocation",
)
# Native libraries' thread pools reserve address space per thread: one thread each.
CHILD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class WorkRefused(EngineError):
    """The work did not finish: `code` says why (TIMEOUT, MEMORY_LIMIT, WORK_FAILED, or the target's)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.problems[0] = type(self.problems[0])(None, code, message)


def timed_out(seconds: float) -> WorkRefused:
    return WorkRefused(
        "TIMEOUT",
        f"Xử lý quá {seconds:g} giây nên đã dừng; hãy chia nhỏ tệp hoặc bỏ bớt trang tính, trang. / "
        f"The work took over {seconds:g} s and was stopped; split the file or remove sheets or pages.",
    )


def out_of_memory(memory_mb: int) -> WorkRefused:
    return WorkRefused(
        "MEMORY_LIMIT",
        f"Xử lý cần hơn {memory_mb} MB bộ nhớ nên đã dừng; hãy chia nhỏ tệp. / "
        f"The work needed more than {memory_mb} MB of memory and was stopped; split the file.",
    )


def failed(detail: str = "") -> WorkRefused:
    return WorkRefused(
        "WORK_FAILED",
        "Xử lý bị lỗi bất ngờ, hãy thử lại hoặc báo quản trị. / The work failed unexpectedly; "
        f"try again or tell the administrator.{f' ({detail})' if detail else ''}",
    )


def run_capped(
    target: str,
    data: bytes,
    args: dict[str, Any] | None = None,
    *,
    seconds: float,
    memory_mb: int,
    on_progress: OnProgress | None = None,
) -> Any:
    """`target` ("package.module:function") run on `data` in a capped child; its JSON result."""
    header = {
        "target": target,
        "args": args or {},
        "size": len(data),
        "seconds": seconds,
        "memory_mb": memory_mb,
    }
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed below; a pipe could fill and stall it
    child = subprocess.Popen(
        [sys.executable, "-m", "modules.engine.sandbox"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errors,
        cwd=ROOT,
        env={**os.environ, **CHILD_ENV},
    )
    deadline = time.monotonic() + seconds
    try:
        try:
            assert child.stdin is not None
            child.stdin.write(json.dumps(header).encode() + b"\n")
            child.stdin.write(data)
            child.stdin.close()
        except BrokenPipeError:
            pass  # the child is gone already: its exit status says why
        answer = _read_answer(child, deadline, on_progress)
    except TimeoutError:
        child.kill()
        child.wait()
        errors.close()
        raise timed_out(seconds) from None
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    child.wait()
    with errors:
        errors.seek(0)
        stderr = errors.read()[-20_000:].decode(errors="replace")
    return _judge(child, answer, stderr, seconds, memory_mb)


def _read_answer(child: subprocess.Popen, deadline: float, on_progress: OnProgress | None) -> dict[str, Any]:
    """Progress lines go to `on_progress`; the last line is the answer. TimeoutError at the deadline."""
    assert child.stdout is not None
    answer: dict[str, Any] = {}
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            if not selector.select(timeout=min(left, 0.5)):
                continue
            chunk = os.read(child.stdout.fileno(), 1 << 16)
            if not chunk:
                return answer
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                message = json.loads(line)
                if "progress" in message:
                    if on_progress is not None:
                        on_progress(*message["progress"])
                else:
                    answer = message


def _judge(
    child: subprocess.Popen, answer: dict[str, Any], stderr: str, seconds: float, memory_mb: int
) -> Any:
    if "result" in answer:
        return answer["result"]
    if "refused" in answer:
        raise WorkRefused(answer["refused"]["code"], answer["refused"]["message"])
    if answer.get("error") == "MEMORY" or child.returncode == 3:
        raise out_of_memory(memory_mb)
    if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise timed_out(seconds)
    if any(sign in stderr for sign in MEMORY_SIGNS) or _caused_by_memory_text(answer.get("detail", "")):
        raise out_of_memory(memory_mb)
    raise failed(answer.get("detail") or f"exit {child.returncode}")


# --- the child ---------------------------------------------------------------------------


def _cap(seconds: float, memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _child() -> int:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    header = json.loads(stdin.readline())
    _cap(header["seconds"], header["memory_mb"])

    def say(message: dict[str, Any]) -> None:
        stdout.write(json.dumps(message, ensure_ascii=False).encode() + b"\n")
        stdout.flush()

    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.2 or done >= total:
            last[0] = now
            say({"progress": [int(done), int(total)]})

    try:
        data = stdin.read(header["size"])
        module, name = header["target"].split(":")
        function = getattr(importlib.import_module(module), name)
        result = function(data, **header["args"], progress=progress)
    except MemoryError:
        data = result = None  # let go of what can be let go, to have room to say it
        say({"error": "MEMORY"})
        return 3
    except Exception as exc:
        if _caused_by_memory(exc):
            say({"error": "MEMORY"})
            return 3
        if isinstance(getattr(exc, "code", None), str) and isinstance(getattr(exc, "message", None), str):
            say({"refused": {"code": exc.code, "message": exc.message}})
            return 0
        say({"error": "FAILED", "detail": type(exc).__name__})
        return 1
    say({"result": result})
    return 0


def _caused_by_memory_text(text: str) -> bool:
    return any(sign.lower() in text.lower() for sign in (*MEMORY_SIGNS, "Memory allocation failed"))


def _caused_by_memory(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, MemoryError) or _caused_by_memory_text(str(exc)):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


if __name__ == "__main__":
    sys.exit(_child())
