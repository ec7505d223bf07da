"""The kiosk page in Debian chromium with a face photo as the camera: the person is greeted with
their tasks. The photo becomes a Y4M video (Pillow), fed by chromium's fake capture device."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from django.utils import timezone
from PIL import Image

from modules.attendance import services
from modules.engine import registry, workdays
from modules.engine import services as engine
from modules.engine.tokens import hash_token, new_token
from tests.browser import chromium
from tests.conftest import make_user
from tests.faces_data import FACES
from tests.live_server import daphne_server
from tests.tasks_helpers import make_task

pytestmark = pytest.mark.django_db(transaction=True)
SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def to_y4m(photo: Path, target: Path, frames: int = 30) -> Path:
    """A still photo as a short 4:2:0 Y4M clip (even sizes), the format chromium can replay."""
    image = Image.open(photo).convert("RGB")
    image.thumbnail((640, 640))
    width, height = image.width // 2 * 2, image.height // 2 * 2
    ycbcr = np.asarray(image.crop((0, 0, width, height)).convert("YCbCr"))
    y = ycbcr[:, :, 0].tobytes()
    cb = Image.fromarray(ycbcr[:, :, 1]).resize((width // 2, height // 2)).tobytes()
    cr = Image.fromarray(ycbcr[:, :, 2]).resize((width // 2, height // 2)).tobytes()
    with target.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + y + cb + cr)
    return target


def test_the_kiosk_greets_the_person_with_their_tasks(org, legal_days):
    keeper = make_user("keeper", org.office, ("biometric_admin",))
    site = engine.create_record(
        registry.entity_by_label("attendance.Site"),
        org.admin,
        {"name": "Trụ sở Bộ", "units": [org.province_a.pk]},
    )
    kiosk = engine.create_record(
        registry.entity_by_label("attendance.Kiosk"), org.admin, {"site": site.pk, "name": "Sảnh"}
    )
    raw = new_token()
    type(kiosk).objects.filter(pk=kiosk.pk).update(token_hash=hash_token(raw), token_prefix=raw[:12])
    obama = registry.model_for("org.Person").objects.get(user=org.officer_a)
    services.enroll(
        keeper, obama.pk, [(FACES / "enroll/obama_1.jpg").read_bytes()], "Đồng ý chấm công bằng khuôn mặt."
    )
    today = timezone.localdate()
    make_task(
        org, title="Hoàn thiện báo cáo chuyển đổi số", deadline=workdays.subtract_working_days(today, 1)
    )
    make_task(org, title="Chuẩn bị họp giao ban tháng", deadline=workdays.add_working_days(today, 1))
    ARTIFACTS.mkdir(exist_ok=True)
    video = to_y4m(FACES / "probe/obama_2.jpg", ARTIFACTS / "kiosk-camera.y4m")
    SCREENS.mkdir(parents=True, exist_ok=True)
    fake_camera = (
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    )
    with daphne_server() as base, chromium(*fake_camera) as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
        context.grant_permissions(["camera"], origin=base)
        page = context.new_page()
        page.goto(f"{base}/kiosk/?token={raw}")
        page.wait_for_selector("body[data-greeted]", timeout=30_000)
        assert page.url == f"{base}/kiosk/" and raw not in page.content()  # traded for a kiosk session
        assert obama.full_name in page.inner_text("#greeting")
        tasks = page.inner_text("#tasks")
        assert "Hoàn thiện báo cáo chuyển đổi số" in tasks and "Chuẩn bị họp giao ban tháng" in tasks
        page.screenshot(path=str(SCREENS / "kiosk.png"))
        # A portrait tablet with touch: the same greeting, nothing wider than the screen.
        tablet = browser.new_context(
            viewport={"width": 800, "height": 1280},
            device_scale_factor=1,
            is_mobile=True,
            has_touch=True,
            locale="vi-VN",
        )
        tablet.grant_permissions(["camera"], origin=base)
        page = tablet.new_page()
        page.goto(f"{base}/kiosk/?token={raw}")
        page.wait_for_selector("body[data-greeted]", timeout=30_000)
        assert obama.full_name in page.inner_text("#greeting")
        assert "Hoàn thiện báo cáo chuyển đổi số" in page.inner_text("#tasks")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        for shown in ("#greeting", "#tasks"):  # in sight, not below the fold
            box = page.locator(shown).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 800
            assert box["y"] >= 0 and box["y"] + box["height"] <= 1280, (shown, box)
        page.screenshot(path=str(SCREENS / "kiosk-tablet.png"))
    # the tablet's check-in came minutes after the first: greeted again, counted once
    assert registry.model_for("attendance.CheckIn").objects.filter(person=obama).count() == 1
