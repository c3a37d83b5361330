"""Test-suite wide settings: a bounded hypothesis profile so the suite stays fast on 2 cores."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "tests",
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("tests-thorough", max_examples=400, deadline=None)
settings.load_profile(os.environ.get("IOMANAGER_SPEC_TEST_PROFILE", "tests"))

pytest_plugins = ["pytester"]
