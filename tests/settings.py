"""Test settings: the platform's settings plus the test-only sample module."""

import os

os.environ.setdefault("ONEMST_EXTRA_APPS", "tests.sample_module")
os.environ.setdefault("DEBUG", "false")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test logins

# Keep the tests' shared cache apart from a platform running on the same machine.
if "LOCATION" in CACHES["default"] and "KEY_PREFIX" not in CACHES["default"]:  # noqa: F405
    CACHES["default"]["LOCATION"] = str(BASE_DIR / "var" / "test-cache")  # noqa: F405
else:
    CACHES["default"]["KEY_PREFIX"] = "onemst-test"  # noqa: F405
