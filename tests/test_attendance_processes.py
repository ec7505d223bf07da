"""The face index across processes: a Daphne worker recognises a face enrolled by another process,
and stops recognising it as soon as that process deletes the person's biometric data."""

from __future__ import annotations

import pytest

from modules.attendance import services
from modules.engine import registry
from modules.engine import services as engine
from modules.engine.tokens import hash_token, new_token
from tests.conftest import make_user
from tests.faces_data import FACES
from tests.live_server import daphne_server, post_image

pytestmark = pytest.mark.django_db(transaction=True)


def check_in(base: str, token: str, image: bytes) -> dict:
    return post_image(f"{base}/attendance/checkin", image, {"X-Kiosk-Token": token})


def test_enrollment_and_deletion_reach_a_running_worker(org, legal_days):
    keeper = make_user("keeper", org.office, ("biometric_admin",))
    site = engine.create_record(
        registry.entity_by_label("attendance.Site"),
        org.admin,
        {"name": "Trụ sở", "units": [org.province_a.pk]},
    )
    kiosk = engine.create_record(
        registry.entity_by_label("attendance.Kiosk"), org.admin, {"site": site.pk, "name": "Sảnh"}
    )
    raw = new_token()
    type(kiosk).objects.filter(pk=kiosk.pk).update(token_hash=hash_token(raw), token_prefix=raw[:12])
    person = registry.model_for("org.Person").objects.get(user=org.officer_a)
    probe = (FACES / "probe/obama_2.jpg").read_bytes()
    with daphne_server() as base:
        assert not check_in(base, raw, probe)["recognised"]  # the worker has loaded an empty index
        services.enroll(keeper, person.pk, [(FACES / "enroll/obama_1.jpg").read_bytes()], "Đồng ý.")
        seen = check_in(base, raw, probe)
        assert seen["recognised"] and seen["person_id"] == person.pk
        services.delete_biometrics(keeper, person.pk)
        assert not check_in(base, raw, (FACES / "probe/obama_3.jpg").read_bytes())["recognised"]
