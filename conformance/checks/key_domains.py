"""Asset-key domain checks: a key outside the declared domain is refused, never aliased
(IOM-ID-014).

A subject may declare the asset keys its manager accepts (``Subject.accepts_asset_key``,
:mod:`conformance.domain`); every other check discards plain keys outside that domain. This
check draws them on purpose: keys of three components, components joined with ``-`` or ``.``,
each next to an in-domain key a careless layout maps it onto (the last two components kept,
``-``/``.`` sanitised to ``_``, ``.`` split into components).
"""

from __future__ import annotations

from hypothesis import strategies as st

from conformance.checks.base import CheckEnv, Harness, RequirementViolation, check
from conformance.contexts import OutputSpec
from conformance.domain import in_domain, without_domain
from conformance.strategies.contexts import input_spec_for

__all__ = ["ALIASING_KEY_PAIRS", "aliasing_key_pairs"]

ALIASING_KEY_PAIRS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("a", "b"), ("x", "a", "b")),
    (("y", "t"), ("x", "y", "t")),
    (("a_b",), ("a-b",)),
    (("a_b",), ("a.b",)),
    (("a", "b"), ("a.b",)),
    (("a", "b"), ("a-b",)),
    (("ab",), ("a-b",)),
    (("a_b",), ("a b",)),
)
"""``(in-domain key, key outside the minimum domain)`` pairs that a layout keeping the last two
components, sanitising ``-``/``.``/space to ``_`` (or dropping them), or splitting on ``.`` maps
onto one storage location; always checked first, in both store orders (IOM-ID-014)."""

_POOL = ("a", "b", "t", "x1", "a_b", "Sales")


@st.composite
def aliasing_key_pairs(draw: st.DrawFn) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """An in-domain key (one or two ``[A-Za-z0-9_]+`` components) and a related key outside the
    minimum domain: more components in front, components joined with ``-``/``.``, or ``_``
    replaced by ``-``/``.``."""
    inside = tuple(draw(st.lists(st.sampled_from(_POOL), min_size=1, max_size=2)))
    longer = draw(st.sampled_from((("x",), ("raw", "y")))) + inside
    options: list[tuple[str, ...]] = [longer if len(longer) >= 3 else ("x", *longer)]
    separator = draw(st.sampled_from(("-", ".")))
    if len(inside) == 2:
        options.append((separator.join(inside),))
    if any("_" in part for part in inside):
        options.append(tuple(part.replace("_", separator) for part in inside))
    return inside, draw(st.sampled_from(options))


def _asset(key: tuple[str, ...]) -> OutputSpec:
    return OutputSpec(run_id="run-1", step_key="s", name="result", asset_key=key)


@check("IOM-ID-014", needs=("assets",))
def out_of_domain_keys_never_alias(env: CheckEnv) -> None:
    """Law: for an in-domain key K and a related key L outside the minimum domain (three
    components, ``-`` or ``.`` in a component: :data:`ALIASING_KEY_PAIRS` first, in both store
    orders, then drawn pairs), storing a under K and b under L (either order) leaves K loading
    a. Storing L may raise when L is outside the subject's declared domain (the harness checks
    the error is clear and typed, IOM-SEC-003); when L is stored, it never loads K's value.
    Without a declared domain every key is in it: L must then be stored, and each key loads its
    own value. A layout that maps L onto K's storage (the last two components kept, ``-``
    sanitised to ``_``) breaks the law. IOM-ID-014."""
    a, b = env.distinct_values()
    accepts = env.subject.accepts_asset_key
    equals = env.subject.equals

    def body(
        h: Harness,
        case: tuple[tuple[str, ...], tuple[str, ...]],
        outside_first: bool,
        values: tuple[object, object],
    ) -> None:
        h.contexts = without_domain(h.contexts)  # out-of-domain keys are the point here
        inside, outside = case
        domain_key = in_domain(accepts, outside)
        first, second = values
        if outside_first:
            stored = h.store(_asset(outside), second, may_fail=not domain_key)
            if not h.store(_asset(inside), first):
                return
        else:
            if not h.store(_asset(inside), first):
                return
            stored = h.store(_asset(outside), second, may_fail=not domain_key)
        loaded = h.load(input_spec_for(_asset(inside)), requirement="IOM-ID-014")
        if not equals(loaded, first):
            rule = (
                "keys of the domain are stored separately"
                if domain_key
                else "a key outside the domain must be refused, never stored under another key"
            )
            raise RequirementViolation(
                "IOM-ID-014",
                f"storing asset {list(outside)} changed what asset {list(inside)} loads: "
                f"{loaded!r} != {first!r} ({rule})",
                h.counterexample(loaded=loaded, expected=first),
            )
        if not stored:
            return
        ok, got = h.load_outcome(input_spec_for(_asset(outside)))
        if ok and equals(got, first) and not equals(first, second):
            raise RequirementViolation(
                "IOM-ID-014",
                f"asset {list(outside)} loaded the value stored for asset {list(inside)}: "
                f"{got!r} (they share one storage location)",
                h.counterexample(loaded=got, expected=second),
            )
        if domain_key and (not ok or not equals(got, second)):
            raise RequirementViolation(
                "IOM-STORE-001",
                f"asset {list(outside)} (in the domain) loaded "
                + (f"{got!r}, stored {second!r}" if ok else f"nothing: {got!r}"),
                h.counterexample(loaded=got, expected=second),
            )

    distinct = st.tuples(env.subject.values, env.subject.values).filter(
        lambda p: p[0] is not None and p[1] is not None and not equals(p[0], p[1])
    )
    env.run(
        body,
        explicit=[
            {"case": case, "outside_first": order, "values": (a, b)}
            for case in ALIASING_KEY_PAIRS
            for order in (False, True)
        ],
        case=aliasing_key_pairs(),
        outside_first=st.booleans(),
        values=distinct,
    )
