"""Load the demo organisation: the Ministry, its units, the 34 provincial
Departments of S&T, about 60 people across every role, and one API token.

Idempotent: units are keyed on their code and people on their username, so
running it again creates nothing and changes nothing (a value edited in
`demo_data.py` is brought up to date through the engine's write path).
Passwords are set only when an account is created.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse

from modules.engine import registry, services
from modules.engine.demo import SIZES, seed_modules
from modules.engine.models import ApiToken
from modules.engine.roles import sync_roles
from modules.org import demo_data
from modules.org.roles import ROLES

TOKEN_NAME = "demo"


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo unit tree, people and an API token for `admin`."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--organisation-only",
            action="store_true",
            help="only the units, people and token; not the modules' demo data",
        )
        parser.add_argument(
            "--size",
            choices=SIZES,
            default="quick",
            help="quick (default, for `make run`); full: the issues' sizes where a module's demo is "
            "sized down (3,200 room bookings, 600 vehicle trips, 3,000 documents; minutes longer); "
            "small: each module's smallest demo that still reaches every status (a quick check)",
        )
        parser.add_argument("--full", action="store_true", help="the same as --size full")

    def handle(self, *args: Any, **options: Any) -> None:
        self.counts = {"created": 0, "updated": 0, "unchanged": 0}
        self._password_hash: str | None = None
        with transaction.atomic():
            sync_roles()
            admin = self._admin_user()
            units = self._units(admin)
            people = self._people(admin, units)
            raw_token = self._token(admin)
        self.stdout.write(
            f"Tổ chức / Organisation: {len(units)} đơn vị / units, {len(people)} người / people "
            f"({self.counts['created']} tạo mới / created, {self.counts['updated']} cập nhật / updated)."
        )
        if not options.get("organisation_only"):
            # The demo's people are fictional: the notices its replayed history sends them
            # (a schedule changed after publishing, …) stay in memory, not printed over the
            # addresses and logins this command ends with.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                size = "full" if options.get("full") else options.get("size") or "quick"
                seed_modules(self.stdout, skip=("modules.org",), size=size)
        self._report(people, raw_token)
        self._addresses()

    # --- accounts -----------------------------------------------------------------

    def _admin_user(self) -> User:
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            return User.objects.create_superuser(
                "admin", f"admin@{demo_data.EMAIL_DOMAIN}", demo_data.DEMO_PASSWORD
            )
        if not (admin.is_superuser and admin.is_staff and admin.is_active):
            admin.is_superuser = admin.is_staff = admin.is_active = True
            admin.save(update_fields=["is_superuser", "is_staff", "is_active"])
        return admin

    def _account(self, spec: dict[str, Any]) -> User:
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            user = User(
                username=spec["username"],
                email=f"{spec['username']}@{demo_data.EMAIL_DOMAIN}",
                is_staff=True,
                is_superuser=bool(spec["superuser"]),
            )
            # One hash for every demo account: hashing ~60 times would take half a minute.
            if self._password_hash is None:
                self._password_hash = make_password(demo_data.DEMO_PASSWORD)
            user.password = self._password_hash
            user.save()
            return user
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        return user

    # --- engine records -----------------------------------------------------------

    def _upsert(self, label: str, admin: User, lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        """Create through the engine, or update only the values that differ."""
        entity = registry.entity_by_label(label)
        model = registry.model_for(entity)
        existing = model.objects.filter(**lookup).first()
        if existing is None:
            self.counts["created"] += 1
            return services.create_record(entity, admin, {**lookup, **values})
        changed = {name: value for name, value in values.items() if not _same(existing, name, value)}
        if not changed:
            self.counts["unchanged"] += 1
            return existing
        self.counts["updated"] += 1
        return services.update_record(entity, admin, existing.pk, changed, version=existing.version)

    def _units(self, admin: User) -> dict[str, Any]:
        units: dict[str, Any] = {}
        ministry = dict(demo_data.MINISTRY)
        ministry_code = ministry.pop("code")
        units[ministry_code] = self._upsert(
            "org.Unit", admin, {"code": ministry_code}, {**ministry, "parent": None}
        )
        for code, name, short_name, sees_all, _head in demo_data.MINISTRY_UNITS:
            units[code] = self._upsert(
                "org.Unit",
                admin,
                {"code": code},
                {
                    "name": name,
                    "short_name": short_name,
                    "kind": "ministry_unit",
                    "parent": units[ministry_code].pk,
                    "sees_all_units": sees_all,
                },
            )
        for code, name, is_city in demo_data.PROVINCES:
            values = demo_data.provincial_unit(code, name, is_city)
            unit_code = values.pop("code")
            # Top-level on purpose: a provincial officer's sub-tree must not reach the Ministry.
            units[unit_code] = self._upsert(
                "org.Unit", admin, {"code": unit_code}, {**values, "parent": None, "sees_all_units": False}
            )
        return units

    def _people(self, admin: User, units: dict[str, Any]) -> list[dict[str, Any]]:
        groups = {g.name: g.pk for g in Group.objects.filter(name__in=[r.code for r in ROLES])}
        people = demo_data.demo_people()
        for spec in people:
            user = admin if spec["username"] == "admin" else self._account(spec)
            self._upsert(
                "org.Person",
                admin,
                {"user": user.pk},
                {
                    "full_name": spec["full_name"],
                    "position": spec["position"],
                    "email": f"{spec['username']}@{demo_data.EMAIL_DOMAIN}",
                    "roles": [groups[r] for r in spec["roles"]],
                    "owner_unit": units[spec["unit"]].pk,
                },
            )
        return people

    def _token(self, admin: User) -> str | None:
        if ApiToken.objects.filter(user=admin, name=TOKEN_NAME).exists():
            return None
        _token, raw = ApiToken.issue(admin, TOKEN_NAME)
        return raw

    # --- output -------------------------------------------------------------------

    def _report(self, people: list[dict[str, Any]], raw_token: str | None) -> None:
        out = self.stdout
        c = self.counts
        out.write(
            self.style.SUCCESS(
                f"Demo data: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged "
                f"({len(demo_data.PROVINCES)} provincial Departments, "
                f"{len(demo_data.MINISTRY_UNITS)} Ministry units, {len(people)} people)."
            )
        )
        unit_names = {demo_data.MINISTRY["code"]: demo_data.MINISTRY["short_name"]}
        unit_names |= {code: short for code, _n, short, _a, _h in demo_data.MINISTRY_UNITS}
        unit_names |= {
            f"SKHCN-{code}": demo_data.provincial_unit(code, name, city)["short_name"]
            for code, name, city in demo_data.PROVINCES
        }
        shown: list[dict[str, Any]] = []
        per_role: dict[str, int] = {}
        for spec in people:
            role = spec["roles"][0]
            if spec["superuser"] or per_role.get(role, 0) < (1 if role == "platform_admin" else 2):
                shown.append(spec)
                if not spec["superuser"]:
                    per_role[role] = per_role.get(role, 0) + 1
        rows = [("username", "password", "full name", "role", "unit")]
        for spec in shown:
            role = "superuser" if spec["superuser"] else spec["roles"][0]
            rows.append(
                (
                    spec["username"],
                    demo_data.DEMO_PASSWORD,
                    spec["full_name"],
                    role,
                    unit_names.get(spec["unit"], spec["unit"]),
                )
            )
        widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
        out.write("")
        site = settings.SITE_URL.rstrip("/")  # `make run` sets it from HOST and PORT
        out.write(f"Demo logins ({site}/admin/):")
        for i, row in enumerate(rows):
            out.write("  " + "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
            if i == 0:
                out.write("  " + "  ".join("-" * w for w in widths))
        out.write(f"  … and {len(people) - len(shown)} more (same password; see modules/org/demo_data.py)")
        out.write("  Passwords are set only when an account is created; existing ones are left as they are.")
        out.write("")
        if raw_token:
            out.write(
                self.style.WARNING(f"API token for admin (named {TOKEN_NAME!r}), shown only this once:")
            )
            out.write(f"  {raw_token}")
            out.write(
                "  It is stored hashed and cannot be recovered; use it as `Authorization: Bearer <token>`."
            )
        else:
            out.write(
                f"admin already has an API token named {TOKEN_NAME!r}; its secret was shown when it was "
                "created and cannot be recovered (delete it in the admin and re-run to get a new one)."
            )

    def _addresses(self) -> None:
        """Where to go next: every page the modules declare, and how to get new tokens."""
        site = settings.SITE_URL.rstrip("/")
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"onemst đang chạy tại / is served at {site}/"))
        rows = [
            ("Quản trị / Admin", f"{site}/admin/"),
            ("GraphQL (GraphiQL)", f"{site}{reverse('graphql')}"),
        ]
        audiences = {"board": "bảng / board", "public": "công khai / public", "staff": "cán bộ / staff"}
        for module in registry.modules():
            for page in module.pages:
                rows.append(
                    (
                        f"{page.title_vi} / {page.title_en} [{audiences[page.audience]}]",
                        f"{site}{reverse(page.url_name)}",
                    )
                )
        width = max(len(title) for title, _ in rows)
        for title, url in rows:
            out.write(f"  {title.ljust(width)}  {url}")
        out.write("")
        out.write("Mã truy cập mới / New tokens:")
        out.write(
            f"  API: {site}{reverse('admin:engine_apitoken_add')} "
            "(chỉ đọc cho bảng treo tường / read-only for wall boards)"
        )
        out.write(
            f"  Ki-ốt / Kiosk: {site}{reverse('admin:attendance_kiosk_changelist')} → "
            "«Cấp mã ki-ốt mới / New kiosk token»"
        )


def _same(instance: Any, name: str, value: Any) -> bool:
    """Whether a stored value already equals an input value (ids for links, id sets for multi-links)."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return set(getattr(instance, name).values_list("pk", flat=True)) == set(value)
    if field.is_relation:
        return getattr(instance, field.attname) == value
    return getattr(instance, name) == value
