"""Contexts log through the ``reference_impl`` logger, which prints nothing unless configured."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from reference_impl.context import build_output_context


def test_warnings_are_silent_without_logging_configuration() -> None:
    code = (
        "from reference_impl.context import build_output_context; "
        "build_output_context().log.warning('should not be printed')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0
    assert "should not be printed" not in done.stderr


def test_warnings_reach_configured_handlers(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="reference_impl"):
        build_output_context().log.warning("visible when configured")
    assert "visible when configured" in caplog.text
