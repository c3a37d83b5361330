"""Runs every plain-Dagster bug reproduction of docs/DAGSTER.md: each asserts the bug exists."""

from __future__ import annotations

import pathlib
import re
import warnings

import pytest

pytest.importorskip("dagster")

pytestmark = pytest.mark.dagster

DOC = pathlib.Path(__file__).resolve().parents[3] / "docs" / "DAGSTER.md"
_BLOCK = re.compile(r"^### (\d+\..*?)\n\n```python\n(.*?)```", re.S | re.M)
REPROS = dict(_BLOCK.findall(DOC.read_text(encoding="utf-8")))


@pytest.mark.parametrize("title", sorted(REPROS))
def test_reproduction_shows_the_bug(title: str) -> None:
    code = REPROS[title]
    if "PYTHONHASHSEED" in code:
        pytest.skip("spawns interpreters; run by hand (python docs snippet), marked slow")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(code, f"DAGSTER.md: {title}", "exec"), {"__name__": "__repro__"})
