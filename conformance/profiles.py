"""Hypothesis settings per kit profile: ``pr`` (seconds, derandomized), ``dev``, ``thorough``.

Profiles are registered with hypothesis under ``iomanager-<name>`` (for users who pick them with
``--hypothesis-profile``) but never loaded globally: the runner passes settings explicitly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import cast

from hypothesis import HealthCheck, Phase, settings
from hypothesis import settings as HypothesisSettings

__all__ = ["PROFILES", "Profile", "UnknownProfileError", "get_profile"]


class UnknownProfileError(ValueError):
    """The profile name is not one of :data:`PROFILES`."""


@dataclass(frozen=True)
class Profile:
    """A named budget: ``settings`` for property checks, ``stateful`` for the state machines."""

    name: str
    settings: HypothesisSettings
    stateful: HypothesisSettings


def _settings(max_examples: int, *, derandomize: bool, steps: int = 50) -> settings:
    return settings(
        max_examples=max_examples,
        derandomize=derandomize,
        database=None,
        deadline=None,
        stateful_step_count=steps,
        print_blob=True,  # the blob replays a stored failure (conformance.failures)
        report_multiple_bugs=False,
        # every member; HealthCheckMeta.__iter__ is unannotated, so pyright cannot tell
        suppress_health_check=cast("list[HealthCheck]", list(HealthCheck)),
        # the explain phase replays many variants of a failure; the report does not use it
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    )


PROFILES: Mapping[str, Profile] = MappingProxyType(
    {
        "pr": Profile(
            "pr", _settings(12, derandomize=True), _settings(25, derandomize=True, steps=12)
        ),
        "dev": Profile(
            "dev", _settings(60, derandomize=False), _settings(80, derandomize=False, steps=25)
        ),
        "thorough": Profile(
            "thorough",
            _settings(500, derandomize=False),
            _settings(500, derandomize=False, steps=50),
        ),
    }
)

for _profile in PROFILES.values():
    settings.register_profile(f"iomanager-{_profile.name}", _profile.settings)


def get_profile(name: str) -> Profile:
    """The profile called ``name``; raises :class:`UnknownProfileError` naming the valid ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise UnknownProfileError(
            f"unknown profile {name!r}; expected one of: {', '.join(PROFILES)}"
        ) from None
