"""Settings for the test suite: base settings plus a small test-only app and fast hashing."""

import os
from pathlib import Path

os.environ.setdefault("STEWARD_HOME", str(Path(__file__).resolve().parents[3] / "var" / "test"))

from steward.config.settings.base import *  # noqa: E402, F403
from steward.config.settings.base import HUEY, INSTALLED_APPS  # noqa: E402

TESTING = True
INSTALLED_APPS = [*INSTALLED_APPS, "steward.testing.sample"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": os.environ.get("STEWARD_HUEY_IMMEDIATE", "1") == "1"}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
NINJA_DEFAULT_THROTTLE_RATES = {"token": "100000/min", "address": "100000/min"}
