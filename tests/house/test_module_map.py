"""The module map in docs/ARCHITECTURE.md matches the modules and their docstrings."""

from __future__ import annotations

import pytest

from tests.house.importgraph import ROOT, iter_modules
from tests.house.layering import PACKAGES
from tests.house.module_map import (
    COMMAND,
    DOC,
    END,
    START,
    ModuleMapError,
    job_of,
    render_map,
    replace_block,
)


def test_the_module_map_is_in_sync() -> None:
    """The generated block of docs/ARCHITECTURE.md is what the modules say today."""
    current = DOC.read_text(encoding="utf-8")
    assert replace_block(current, render_map()) == current, (
        f"docs/ARCHITECTURE.md module map is out of date; regenerate it with `{COMMAND}`"
    )


def test_every_module_states_its_job() -> None:
    """Every module of the packages has a docstring whose summary sentence ends like one."""
    summaries = {path: job_of(path) for p in PACKAGES for path in iter_modules(p)}
    unfinished = [
        str(path.relative_to(ROOT)) for path, job in summaries.items()
        if not job.endswith((".", "?", "!"))
    ]
    assert not unfinished, "docstrings whose first sentence does not end:\n" + "\n".join(unfinished)


def test_a_stale_map_is_detected_and_rewritten_in_place() -> None:
    """Replacing the block changes only the block; a changed map no longer matches."""
    document = f"intro\n{START}\nold map\n{END}\noutro\n"
    rewritten = replace_block(document, "new map")
    assert rewritten == f"intro\n{START}\nnew map\n{END}\noutro\n"
    assert replace_block(rewritten, "new map") == rewritten
    assert replace_block(rewritten, "newer map") != rewritten


def test_missing_markers_and_docstrings_are_clear_errors() -> None:
    """A document without markers, or a module without a docstring, raises ModuleMapError."""
    with pytest.raises(ModuleMapError, match="lacks the markers"):
        replace_block("no markers here", "map")
    with pytest.raises(ModuleMapError, match="has no docstring"):
        job_of(ROOT / "tests" / "house" / "__init__.py")
