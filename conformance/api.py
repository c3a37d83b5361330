"""The one-call entry point: ``check_io_manager(subject) -> Report``."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis.strategies import SearchStrategy

from conformance.contexts import ContextFactory, resolve_context_factory
from conformance.profiles import get_profile
from conformance.report import Report
from conformance.runner import run_checks
from conformance.selection import Selection
from conformance.subject import Subject

__all__ = ["check_io_manager"]


def check_io_manager(
    subject: object,
    *,
    contexts: str | ContextFactory = "reference",
    profile: str = "pr",
    only: str | Selection | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
    name: str | None = None,
    seed: int | None = None,
    values: SearchStrategy[object] | str | None = None,
    equals: Callable[[object, object], bool] | str | None = None,
) -> Report:
    """Check ``subject`` against every requirement of the spec and return the :class:`Report`.

    ``subject`` is anything :meth:`Subject.from_object` accepts. ``contexts`` names a context
    factory (``reference``, ``dagster``) or is one. ``profile`` is ``pr``, ``dev`` or
    ``thorough``. ``only`` keeps the requirements whose ID starts with it (e.g.
    ``"IOM-STORE"``), or those a :class:`~conformance.selection.Selection` selects (ruff-style
    select and ignore prefixes; ignored ones are listed in ``Report.ignored`` with their
    reasons), and runs every check that may report one of them, so each kept requirement gets
    the same verdict as in a full run. ``on_progress(check_name, done,
    total)`` is called after each check. ``seed`` seeds every hypothesis run (``None``: the
    profile decides; ``pr`` is derandomized). ``values`` and ``equals`` say which values the
    manager stores and how a loaded one compares (a family name such as ``"json"``, a strategy,
    ``"MODULE:ATTR"``; see :meth:`Subject.from_object`). The checks run in this process (the
    object is already here); the CLI and
    :func:`conformance.isolation.session.check_in_workers` run a target in worker processes.
    Raises ``SubjectError``, ``ContextFactoryError`` or ``UnknownProfileError`` for bad arguments;
    a failing manager never raises, it yields a report whose ``ok`` is false.
    """
    resolved_subject = Subject.from_object(subject, name=name, values=values, equals=equals)
    factory = resolve_context_factory(contexts)
    return run_checks(
        resolved_subject,
        factory,
        get_profile(profile),
        only=only,
        on_progress=on_progress,
        seed=seed,
    )
