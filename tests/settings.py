"""Test settings: the platform's settings plus the test-only sample module."""

import os
import uuid

os.environ.setdefault("ONEMST_EXTRA_APPS", "tests.sample_module")
os.environ.setdefault("DEBUG", "false")
# DEBUG=false needs a key (config/settings.py refuses to start without one); a fixed one, so the
# Daphne servers a test starts sign and check board sessions with the same key.
os.environ.setdefault("SECRET_KEY", "onemst-tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test logins

# Keep the tests' shared cache apart from a platform running on the same machine, and
# from earlier test runs (rate-limit counts live there): one name per run, inherited by
# the Daphne processes a test starts, so they share it with the test.
RUN = os.environ.setdefault("ONEMST_TEST_RUN", uuid.uuid4().hex[:10])
if "LOCATION" in CACHES["default"] and "KEY_PREFIX" not in CACHES["default"]:  # noqa: F405
    CACHES["default"]["LOCATION"] = str(BASE_DIR / "var" / "test-cache" / RUN)  # noqa: F405
else:
    CACHES["default"]["KEY_PREFIX"] = f"onemst-test-{RUN}"  # noqa: F405

# Live events of concurrent test runs on one Redis stay apart too: the prefix is set in the
# environment, so the Daphne servers a test starts and tests/live_server.py use the same one.
if CHANNEL_LAYERS["default"]["BACKEND"].startswith("channels_redis"):  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = os.environ.setdefault(  # noqa: F405
        "CHANNELS_PREFIX", f"onemst-test-{RUN}"
    )
