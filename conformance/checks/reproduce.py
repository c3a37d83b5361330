"""Copy-paste reproduction snippets from a harness trace (reference_impl builders).

A snippet is for reading and pasting: it always compiles, imports the target the way the user
named it, and replays the calls of the shrunk example. The test that *asserts* the law on that
example is the standalone file ``python -m conformance check ... --repro-dir DIR`` writes
(:mod:`conformance.replay`). A stored value whose ``repr`` is not Python source (a lambda, an
object at an address) appears as ``...`` with the ``repr`` in a comment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from typing_extensions import TypeIs

from conformance.checks.source_wrap import wrap_source_line
from reference_impl.narrowing import is_list

__all__ = ["is_trace", "reproduction"]

_HEADER = """\
# Replays the calls of the counterexample with reference_impl contexts (a sketch to read; the
# test that asserts the law is written by: python -m conformance check ... --repro-dir DIR).
from reference_impl.asset_key import AssetKey
from reference_impl.context import build_input_context, build_output_context
from reference_impl.partitions import *  # noqa: F403 (definitions, PartitionKeyRange)
{imports}
manager = {construct}  # a fresh manager
"""


def _factory_source(subject_name: str) -> tuple[str, str]:
    """(import lines, factory expression) for the target the user named."""
    source, _, attribute = subject_name.rpartition(":")
    if source.startswith("builtin") or not attribute.isidentifier() or not source:
        return (f"make_manager = ...  # replace with the factory of {subject_name!r}\n",
                "make_manager")
    if source.endswith(".py"):
        return (f"import runpy\n\nmake_manager = runpy.run_path({source!r})[{attribute!r}]\n",
                "make_manager")
    if all(part.isidentifier() for part in source.split(".")):
        return f"from {source} import {attribute} as make_manager\n", "make_manager"
    return (f"make_manager = ...  # replace with the factory of {subject_name!r}\n",
            "make_manager")


def _value_source(value_repr: object) -> str:
    text = str(value_repr)
    try:
        compile(text, "<value>", "eval")
    except (SyntaxError, ValueError):
        return f"...  # not Python source: {text[:200]!r}"
    return text


def _is_json_object(value: object) -> TypeIs[Mapping[str, object]]:
    """Whether ``value`` is a mapping; in a trace (JSON-able data) its keys are str."""
    return isinstance(value, Mapping)


def is_trace(value: object) -> TypeIs[list[Mapping[str, object]]]:
    """Whether ``value`` is a harness trace: a list of mappings (JSON objects: str keys)."""
    return is_list(value) and all(_is_json_object(step) for step in value)


def _partitions_source(spec: Mapping[str, object]) -> str:
    kind = spec["kind"]
    if kind == "static":
        return f"StaticPartitionsDefinition({spec['keys']!r})"
    if kind == "multi":
        dims = spec["dimensions"]
        assert _is_json_object(dims)
        inner = ", ".join(  # each dimension's value is a partitions spec, a JSON object
            f"{n!r}: {_partitions_source(cast('Mapping[str, object]', d))}" for n, d in dims.items()
        )
        return f"MultiPartitionsDefinition({{{inner}}})"
    return (
        f"{str(kind).capitalize()}PartitionsDefinition(start_date={spec['start']!r}, "
        f"end_date={spec['end']!r}, timezone={spec['timezone']!r})"
    )


def _kwargs(spec: Mapping[str, object]) -> list[str]:
    args: list[str] = []
    for key, value in spec.items():
        if key == "upstream" and _is_json_object(value):
            args.append(f"upstream_output=build_output_context({', '.join(_kwargs(value))})")
        elif key == "asset_key":
            args.append(f"asset_key=AssetKey({value!r})")
        elif key == "partitions_def" and _is_json_object(value):
            args.append(f"asset_partitions_def={_partitions_source(value)}")
        elif key == "partition_key_range" and isinstance(value, Sequence):
            args.append(f"asset_partition_key_range=PartitionKeyRange({value[0]!r}, {value[1]!r})")
        elif key != "resources":
            args.append(f"{key}={value!r}")
    return args


def reproduction(
    subject_name: str, takes_directory: bool, steps: Sequence[Mapping[str, object]]
) -> str:
    """Python source replaying ``steps`` (a harness trace) against a fresh manager."""
    imports, factory = _factory_source(subject_name)
    if takes_directory:
        imports = "import tempfile\n" + imports + "storage = tempfile.mkdtemp()  # fresh, empty\n"
        construct = f"{factory}(storage)"
    else:
        construct = f"{factory}()"
    lines = [_HEADER.format(imports=imports, construct=construct)]
    if any("PartitionShares(" in str(step.get("value_repr", "")) for step in steps):
        lines.append("from conformance import PartitionShares  # a range output's value\n")
    for step in steps:
        op = step.get("op")
        note = f"  # raised {step['raised']}" if "raised" in step else ""
        if op == "store":
            output = step["output"]
            assert _is_json_object(output)
            value = _value_source(step.get("value_repr", step.get("value")))
            if "#" in value:  # the value's comment must close the line
                lines.append(f"value = {value}")
                value = "value"
            lines.append(
                f"manager.handle_output(build_output_context({', '.join(_kwargs(output))}), "
                f"{value}){note}"
            )
        elif op == "load":
            spec = step["input"]
            assert _is_json_object(spec)
            lines.append(
                f"print(manager.load_input(build_input_context({', '.join(_kwargs(spec))}))){note}"
            )
        elif op == "new_instance":
            lines.append(f"manager = {construct}  # a new instance on the same storage")
        else:
            lines.append(f"# {op}")
    text = "\n".join(wrapped for line in "\n".join(lines).splitlines()
                     for wrapped in wrap_source_line(line)) + "\n"
    try:
        compile(text, "<reproduction>", "exec")
    except (SyntaxError, ValueError):  # never hand out a snippet that does not compile
        return "".join(f"# {line}\n" for line in text.splitlines())
    return text
