"""`python manage.py update_schema`: write `schema.graphql` from the code (`--check` compares)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from schema.sdl import REGENERATE, committed_path, sdl


class Command(BaseCommand):
    help = "Ghi schema.graphql từ mã nguồn / Write schema.graphql from the code"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="Only compare; exit 1 on drift")
        parser.add_argument(
            "--print", action="store_true", dest="print_only", help="Print instead of writing"
        )

    def handle(self, *args: Any, check: bool = False, print_only: bool = False, **options: Any) -> None:
        text = sdl()
        path = committed_path()
        if print_only:
            self.stdout.write(text, ending="")
        elif check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{path.name} lệch với mã nguồn; chạy `{REGENERATE}`. / drifted: run it.")
            self.stdout.write(f"{path.name}: up to date")
        else:
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {path}")
