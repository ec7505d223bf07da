"""Create or update the django-q2 schedule that runs the periodic jobs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from modules.engine import jobs


class Command(BaseCommand):
    help = "Đặt lịch chạy việc định kỳ / Schedule the periodic jobs"

    def handle(self, *args: Any, **options: Any) -> None:
        jobs.sync_schedules()
        self.stdout.write(f"{jobs.SCHEDULE_NAME}: {jobs.TICK} every minute")
