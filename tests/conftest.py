"""Test-suite wide settings: a bounded hypothesis profile so the suite stays fast on 2 cores."""

from __future__ import annotations

import os

import pytest
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


def _initial_chunk_sizes(total: int, workers: int) -> list[int]:
    """How ``pytest-xdist --dist worksteal`` first splits ``total`` tests over ``workers``."""
    sizes, left = [], total
    for remaining in range(workers, 0, -1):
        sizes.append(left // remaining)
        left -= sizes[-1]
    return sizes


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``-n N --dist worksteal``, start each worker on its share of the ``heavy`` tests.

    worksteal hands each worker one contiguous slice of the collection and later moves tests
    from the *end* of a busy worker's queue to an idle one. Heavy tests (minutes each) are dealt
    round-robin to the front of the slices, so they run in parallel from the start and the short
    tests balance the end. Without xdist the order is unchanged; every worker computes the same
    order (xdist requires identical collections).
    """
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    heavy = [item for item in items if item.get_closest_marker("heavy") is not None]
    if workers < 2 or not heavy:
        return
    light = [item for item in items if item.get_closest_marker("heavy") is None]
    ordered: list[pytest.Item] = []
    for index, size in enumerate(_initial_chunk_sizes(len(items), workers)):
        own_heavy = heavy[index::workers]
        take = max(size - len(own_heavy), 0)
        ordered += own_heavy + light[:take]
        light = light[take:]
    ordered += light
    items[:] = ordered
