"""Metadata and event checks: contexts (IOM-META-001..005, 009) and managers (006, 007, 010)."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from hypothesis import strategies as st

from conformance.checks.base import (
    CheckEnv,
    Harness,
    NotApplicable,
    RequirementViolation,
    check,
    outputs_for,
)
from conformance.checks.harness import describe_output
from conformance.checks.watched_metadata import WriteAttempt, watch_definition_metadata
from conformance.contexts import OutputSpec
from conformance.isolation.calls import tracked
from conformance.strategies.contexts import asset_output_specs, input_spec_for
from conformance.strategies.values import (
    invalid_metadata_values,
    metadata_mappings,
    raw_metadata_values,
)
from reference_impl.narrowing import is_path_like

_OUT = OutputSpec(run_id="run-1", step_key="s", name="result", asset_key=("a",))


def _logged(context: Any) -> dict[str, Any]:
    return dict(context.get_logged_metadata())


def _logged_events(context: object) -> list[object]:
    """``context.get_logged_events()`` as a list; empty when the context has no such method."""
    get_events: Callable[[], Iterable[object]] = getattr(context, "get_logged_events", list)
    return list(get_events())


def _logged_metadata(context: object) -> dict[str, object]:
    """``context.get_logged_metadata()`` as a dict; empty when the context has no such method."""
    get_metadata: Callable[[], Mapping[str, object]] = getattr(
        context, "get_logged_metadata", dict
    )
    return dict(get_metadata())


def _wraps(wrapped: Any, raw: object) -> bool:
    value = getattr(wrapped, "value", wrapped)
    if is_path_like(raw):
        return bool(value == os.fspath(raw))
    return bool(value == raw) or (isinstance(raw, float) and value != value and raw != raw)


@check("IOM-META-001", "IOM-META-009", target="context")
def raw_metadata_normalized(env: CheckEnv) -> None:
    """Law: add_output_metadata records each raw value as a metadata value wrapping it, and the
    recorded metadata reads back in the order added. IOM-META-001/009."""

    def body(metadata: dict[str, object]) -> None:
        context = env.contexts.output_context(_OUT)
        for key, raw in metadata.items():
            context.add_output_metadata({key: raw})
        logged = _logged(context)
        if list(logged) != list(metadata):
            raise RequirementViolation(
                "IOM-META-009",
                f"recorded keys {list(logged)} != added {list(metadata)}",
                {"metadata": repr(metadata)},
            )
        for key, raw in metadata.items():
            if not _wraps(logged[key], raw):
                raise RequirementViolation(
                    "IOM-META-001",
                    f"{key!r}: {raw!r} recorded as {logged[key]!r}",
                    {"metadata": repr(metadata)},
                )

    env.run_contexts(body, metadata=metadata_mappings(min_size=1))


@check("IOM-META-002", target="context")
def invalid_metadata_rejected(env: CheckEnv) -> None:
    """Law: a call with one unnormalizable value raises a typed error naming the key, and records
    nothing. IOM-META-002."""

    def body(good: object, bad: object) -> None:
        context = env.contexts.output_context(_OUT)
        try:
            context.add_output_metadata({"good": good, "bad_key": bad})
        except Exception as error:
            if (
                type(error) is Exception
                or isinstance(error, AssertionError)
                or "bad_key" not in str(error)
            ):
                raise RequirementViolation("IOM-META-002", f"unclear error {error!r}") from error
        else:
            raise RequirementViolation("IOM-META-002", f"{type(bad).__name__} value accepted")
        if _logged(context):
            raise RequirementViolation("IOM-META-002", f"partially recorded: {_logged(context)}")

    env.run_contexts(body, good=raw_metadata_values(), bad=invalid_metadata_values())


@check("IOM-META-003", target="context")
def duplicate_metadata_rejected(env: CheckEnv) -> None:
    """Law: adding an already recorded key raises and records nothing of that call.
    IOM-META-003."""

    def body(value: object) -> None:
        context = env.contexts.output_context(_OUT)
        context.add_output_metadata({"k": value})
        try:
            context.add_output_metadata({"other": 1, "k": value})
        except Exception:
            if "other" in _logged(context):
                raise RequirementViolation("IOM-META-003", "partially recorded") from None
            return
        raise RequirementViolation("IOM-META-003", "duplicate key accepted")

    env.run_contexts(body, value=raw_metadata_values())


@check("IOM-META-004", "IOM-META-005", "IOM-META-009", target="context")
def log_event_rules(env: CheckEnv) -> None:
    """Law: log_event takes asset events for this output's asset, rejects other objects and other
    assets, and returns what it took from get_logged_events in order. IOM-META-004/005/009."""

    def body(junk: object, other: tuple[str, ...]) -> None:
        context = env.contexts.output_context(_OUT)
        for bad, rid in (
            (junk, "IOM-META-004"),
            (env.contexts.materialization(other), "IOM-META-005"),
        ):
            try:
                context.log_event(bad)
            except Exception:
                continue
            raise RequirementViolation(rid, f"log_event accepted {bad!r}")
        events = [env.contexts.materialization(("a",)) for _ in range(2)]
        for event in events:
            context.log_event(event)
        if _logged_events(context) != events:
            raise RequirementViolation("IOM-META-009", "logged events do not read back in order")

    env.run_contexts(
        body,
        junk=st.sampled_from([None, "event", 1, {"asset_key": "a"}]),
        other=st.sampled_from([("b",), ("a", "b"), ("A",)]),
    )


NESTED_DEFINITION_METADATA: dict[str, object] = {
    "nested": {"list": [1, "two", {"deep": [3]}], "dict": {"key": "value"}},
    "items": [{"name": "a"}, [1, 2]],
}
"""Always part of the definition metadata IOM-META-006 checks: mutable containers nested in the
(possibly read-only) top-level mapping, where an in-place change would otherwise hide."""


def _snapshot(metadata: Any) -> dict[str, object]:
    return copy.deepcopy(dict(metadata))


@check("IOM-META-006")
def definition_metadata_untouched(env: CheckEnv) -> None:
    """Law: handle_output and load_input leave definition metadata unchanged, nested containers
    included: the output context's, the input context's and the input's upstream output's.
    Each context hands out a read-only view of its metadata
    (:func:`~conformance.checks.watched_metadata.watch_definition_metadata`) on which every write
    attempt, top-level or nested, raises ``TypeError`` and is recorded: an attempt fails the
    check even when the manager swallowed the error (under Dagster the same write succeeds and
    changes shared definitions). Besides, the view and the context's own mapping are compared
    with deep copies taken before the calls. The metadata always holds nested lists and dicts
    (:data:`NESTED_DEFINITION_METADATA`) plus drawn entries. IOM-META-006."""

    def body(h: Harness, out: OutputSpec, metadata: dict[str, object], value: object) -> None:
        output_meta = {**copy.deepcopy(NESTED_DEFINITION_METADATA), **metadata}
        input_meta = {**copy.deepcopy(NESTED_DEFINITION_METADATA), **copy.deepcopy(metadata)}
        with_meta = replace(out, definition_metadata=output_meta)
        context = h.output_context(with_meta)
        input_context = h.input_context(input_spec_for(with_meta, definition_metadata=input_meta))
        labelled = [
            ("output", context),
            ("input", input_context),
            ("input's upstream output", input_context.upstream_output),
        ]
        # the contexts' own mappings, then the watched views they hand out from now on
        mappings = [(label, ctx.definition_metadata) for label, ctx in labelled]
        attempts: list[WriteAttempt] = []
        watch_definition_metadata(context, "output", attempts)
        watch_definition_metadata(input_context, "input", attempts)
        mappings += [(label, ctx.definition_metadata) for label, ctx in labelled]
        before = [_snapshot(mapping) for _, mapping in mappings]

        def verify(call: str, raised: BaseException | None) -> None:
            if attempts:
                how = (
                    f"refused with TypeError; {call} raised {type(raised).__name__}"
                    if raised is not None
                    else f"refused with TypeError, which {call} swallowed; under Dagster the "
                    "write succeeds"
                )
                shown = "; ".join(attempt.describe() for attempt in attempts[:3])
                more = f"; and {len(attempts) - 3} more" if len(attempts) > 3 else ""
                raise RequirementViolation(
                    "IOM-META-006",
                    f"{call} tried to write definition metadata ({how}): {shown}{more}",
                    h.counterexample(),
                )
            for (label, mapping), snapshot in zip(mappings, before, strict=True):
                now = dict(mapping)
                if now != snapshot:
                    raise RequirementViolation(
                        "IOM-META-006",
                        f"after {call}, the {label} definition metadata changed from "
                        f"{snapshot!r} to {now!r}",
                        h.counterexample(),
                    )

        # storage failures are other checks' business; the metadata must stay intact regardless
        verify("handle_output", _call(lambda: h.manager.handle_output(context, value), out))
        verify("load_input", _call(lambda: h.manager.load_input(input_context), out, "load_input"))

    env.run(
        body, out=outputs_for(env.subject), metadata=metadata_mappings(), value=env.subject.values
    )


def _call(
    fn: Callable[[], object], out: OutputSpec, name: str = "handle_output"
) -> Exception | None:
    """Run a manager call, returning the exception it raised (None when it returned)."""
    try:
        with tracked(name, describe_output(out)):
            fn()
    except Exception as error:
        return error
    return None


@check("IOM-META-007", "IOM-META-010")
def manager_metadata_and_events(env: CheckEnv) -> None:
    """Law: handle_output adds only valid, fresh metadata (its add_output_metadata calls never
    raise), and the events it logs concern the handled asset. IOM-META-007/010."""

    def body(h: Harness, out: OutputSpec, value: object) -> None:
        context = h.output_context(out)
        try:
            with tracked("handle_output", describe_output(out)):
                h.manager.handle_output(context, value)
        except Exception as error:
            raise RequirementViolation(
                "IOM-META-007", f"handle_output raised {error!r}", h.counterexample()
            ) from error
        events: list[Any] = (
            _logged_events(context) if context.has_asset_key else []
        )
        for event in events:
            if list(getattr(event.asset_key, "path", [])) != list(context.asset_key.path):
                raise RequirementViolation(
                    "IOM-META-010",
                    f"logged {event!r} for {context.asset_key!r}",
                    h.counterexample(),
                )
        for key, item in _logged_metadata(context).items():
            if not hasattr(item, "value"):
                raise RequirementViolation("IOM-META-007", f"metadata {key!r} is {item!r}")

    outputs = (
        asset_output_specs(exotic=False)
        if env.subject.capabilities.assets
        else outputs_for(env.subject)
    )
    env.run(body, out=outputs, value=env.subject.values)


def _path_text(item: Any) -> str | None:
    """The path a ``path`` metadata entry names (its ``value``/``path``, or the raw PathLike)."""
    for candidate in (getattr(item, "path", None), getattr(item, "value", None), item):
        if isinstance(candidate, str) and candidate:
            return candidate
        if is_path_like(candidate):
            return str(os.fspath(candidate))
    return None


@check("IOM-META-008")
def path_metadata(env: CheckEnv) -> None:
    """Law: when a manager confined to its storage directory records ``path`` metadata for a
    stored (non-None) value, it names where the value is: a local path is an existing file
    inside the storage root (a URL, e.g. memory://, only has to be non-empty). Needs
    ``storage_root`` (a key in a bucket is not a local file, K6); a manager that records no path
    metadata is reported as not applicable too (the requirement is a MAY). IOM-META-008."""
    if not env.subject.takes_directory:
        raise NotApplicable("the subject is not directory-backed (its factory takes no directory)")
    seen: list[str] = []

    def body(h: Harness, out: OutputSpec, value: object) -> None:
        if value is None:
            return
        context = h.output_context(out)
        try:
            with tracked("handle_output", describe_output(out)):
                h.manager.handle_output(context, value)
        except Exception:
            return  # storage failures are other checks' business
        logged = _logged_metadata(context)
        if "path" not in logged:
            return
        text = _path_text(logged["path"])
        if text is None:
            raise RequirementViolation(
                "IOM-META-008",
                f"path metadata {logged['path']!r} names no path",
                h.counterexample(),
            )
        seen.append(text)
        if "://" in text and not text.startswith("file://"):
            return
        assert h.root is not None
        local = os.path.realpath(text.removeprefix("file://"))
        root = os.path.realpath(h.root)
        if not os.path.isfile(local) or os.path.commonpath([local, root]) != root:
            raise RequirementViolation(
                "IOM-META-008",
                f"path metadata {text!r} is not a stored file inside the root {str(h.root)!r}",
                h.counterexample(),
            )

    env.run(body, out=outputs_for(env.subject), value=env.subject.values)
    if not seen:
        raise NotApplicable("the manager recorded no path metadata (optional: a MAY)")
    env.note("IOM-META-008", f"path metadata recorded, e.g. {seen[0]!r}")
