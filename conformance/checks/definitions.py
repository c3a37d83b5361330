"""Definition checks: manager and factory shape, config validation, unsupported contexts
(IOM-DEF-001..004)."""

from __future__ import annotations

import inspect
from typing import Any, cast

from hypothesis import strategies as st

from conformance.checks.base import CheckEnv, Harness, NotApplicable, RequirementViolation, check
from conformance.contexts import OutputSpec
from conformance.strategies.contexts import (
    asset_output_specs,
    input_spec_for,
    op_output_specs,
    partitioned_output_specs,
)


def _callable_with(method: Any, *args: object) -> bool:
    try:
        inspect.signature(method).bind(*args)
    except TypeError:
        return False
    except ValueError:
        return True  # no signature available (a builtin): assume it is callable
    return True


@check("IOM-DEF-001", "IOM-DEF-002", target="definition")
def manager_shape(env: CheckEnv) -> None:
    """Law: the factory returns an object whose handle_output(context, obj) and
    load_input(context) are callable with those arguments. IOM-DEF-001/002."""
    with env.harness() as h:
        manager = h.manager
    for (
        method,
        args,
    ) in (("handle_output", (None, None)), ("load_input", (None,))):
        found = getattr(manager, method, None)
        if found is None or not _callable_with(found, *args):
            rid = "IOM-DEF-001"
            raise RequirementViolation(
                rid,
                f"{type(manager).__name__}.{method} does not accept "
                f"{len(args)} positional argument(s)",
            )


@check("IOM-DEF-003", target="definition")
def config_validated(env: CheckEnv) -> None:
    """Law: a definition given config of the wrong type is rejected before use, naming the field.
    IOM-DEF-003 (only for subjects made from a definition with a config schema)."""
    source = env.subject.source
    schema = getattr(source, "config_schema", None)
    if not isinstance(schema, dict) or not schema:
        raise NotApplicable("the subject is not a definition with a config schema")
    from conformance.subject import initialize_source

    field = next(iter(cast("dict[str, object]", schema)))  # a schema maps field names
    env.examples += 1
    try:
        initialize_source(source, {field: object()})
    except Exception as error:
        if field not in str(error):
            raise RequirementViolation(
                "IOM-DEF-003", f"error does not name {field!r}: {error}"
            ) from error
        return
    raise RequirementViolation("IOM-DEF-003", f"config {{{field!r}: object()}} was accepted")


@check("IOM-DEF-004")
def absent_capabilities_refused(env: CheckEnv) -> None:
    """Law: given a context needing a capability it declares absent, the manager raises, or
    what it stores loads back. IOM-DEF-004."""
    caps = env.subject.capabilities
    options: list[st.SearchStrategy[OutputSpec]] = []
    if not caps.op_outputs:
        options.append(op_output_specs())
    if not caps.assets:
        options.append(asset_output_specs(exotic=False))
    if caps.assets and not caps.partitions:
        options.append(partitioned_output_specs())
    if not options:
        raise NotApplicable("the subject declares every context capability")

    def body(h: Harness, out: OutputSpec, value: object) -> None:
        if not h.store(out, value, may_fail=True):
            return
        ok, loaded = h.load_outcome(input_spec_for(out))
        if not ok or not h.subject.equals(loaded, value):
            raise RequirementViolation(
                "IOM-DEF-004",
                f"stored a value for an unsupported context that does not load back ({loaded!r})",
                h.counterexample(),
            )

    env.run(body, out=st.one_of(options), value=env.subject.values)
