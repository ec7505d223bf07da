"""Run every periodic job once (what the django-q2 schedule does every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from modules.engine import jobs


class Command(BaseCommand):
    help = "Chạy các việc định kỳ một lần / Run the periodic jobs once"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", help="YYYY-MM-DD: run as if it were this day (catch-up, tests)")

    def handle(self, *args: Any, today: str | None = None, **options: Any) -> None:
        for name, result in jobs.tick(today).items():
            self.stdout.write(f"{name}: {result}")
