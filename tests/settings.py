"""Test settings: the platform's settings plus the test-only sample module."""

import os

os.environ.setdefault("ONEMST_EXTRA_APPS", "tests.sample_module")
os.environ.setdefault("DEBUG", "false")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test logins
