"""`manage.py serve --workers N`: N Daphne processes sharing one listening socket.

One Python process serves one core at most (the GIL), and onemst's work per request
is Python. The production layout is therefore several Daphne processes behind one
address. This command opens the socket once and starts N `daphne --fd` children on
it (the kernel hands each new connection to one of them), restarts a child that
dies, and stops them all on SIGTERM/SIGINT. No balancer is needed.

Several processes need a shared channel layer (REDIS_URL): a live event written in
one process must reach the sockets held by the others. Each process has its own
database pool (DB_POOL_MAX connections): size it so that
(workers + job workers) × DB_POOL_MAX stays under PostgreSQL's max_connections.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def shared_layer() -> bool:
    """Whether live events cross processes (any channel layer but the in-memory one)."""
    backend = settings.CHANNEL_LAYERS.get("default", {}).get("BACKEND", "")
    return not backend.endswith("InMemoryChannelLayer")


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


class Command(BaseCommand):
    help = "Serve HTTP and WebSockets with N Daphne processes on one address (WEB_WORKERS, default 1)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "1")))
        parser.add_argument("--application", default="config.asgi:application")

    def handle(
        self, *args: Any, host: str, port: int, workers: int, application: str, **options: Any
    ) -> None:
        if workers < 1:
            raise CommandError("Số tiến trình phải từ 1 trở lên. / --workers must be at least 1.")
        if workers > 1 and not shared_layer():
            raise CommandError(
                "Nhiều tiến trình cần REDIS_URL để sự kiện trực tiếp đi giữa các tiến trình. / "
                "Several workers need REDIS_URL, so live events reach every process."
            )
        try:
            sock = listening_socket(host, port)
        except OSError as error:
            raise CommandError(
                f"Không mở được {host}:{port}. / Cannot listen on {host}:{port}: {error}"
            ) from error
        command = [sys.executable, "-m", "daphne", "--fd", str(sock.fileno()), application]
        self.stdout.write(f"Serving http://{host}:{port}/ with {workers} Daphne process(es)")
        self.stdout.flush()
        Supervisor(command, sock.fileno(), workers).run()


class Supervisor:
    """Keep N children running on the shared socket until told to stop."""

    def __init__(self, command: list[str], fd: int, workers: int) -> None:
        self.command, self.fd, self.workers = command, fd, workers
        self.children: list[subprocess.Popen] = []
        self.stopping = False

    def spawn(self) -> subprocess.Popen:
        return subprocess.Popen(self.command, pass_fds=(self.fd,))

    def stop(self, *_args: Any) -> None:
        self.stopping = True

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        self.children = [self.spawn() for _ in range(self.workers)]
        try:
            while not self.stopping:
                for i, child in enumerate(self.children):
                    if child.poll() is not None and not self.stopping:
                        time.sleep(0.5)  # a child that dies at once must not spin the machine
                        self.children[i] = self.spawn()
                time.sleep(0.2)
        finally:
            for child in self.children:
                if child.poll() is None:
                    child.terminate()
            deadline = time.monotonic() + 10
            for child in self.children:
                try:
                    child.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
