"""Copy-paste reproduction snippets from a harness trace (reference_impl builders)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["reproduction"]

_HEADER = """\
# Reproduces the counterexample with reference_impl contexts.
from reference_impl.asset_key import AssetKey
from reference_impl.context import build_input_context, build_output_context
from reference_impl.partitions import *  # noqa: F403 (partitions definitions, PartitionKeyRange)

manager = {factory}  # a fresh manager{directory_note}
"""


def _partitions_source(spec: Mapping[str, object]) -> str:
    kind = spec["kind"]
    if kind == "static":
        return f"StaticPartitionsDefinition({spec['keys']!r})"
    if kind == "multi":
        dims = spec["dimensions"]
        assert isinstance(dims, Mapping)
        inner = ", ".join(f"{n!r}: {_partitions_source(d)}" for n, d in dims.items())
        return f"MultiPartitionsDefinition({{{inner}}})"
    return (
        f"{str(kind).capitalize()}PartitionsDefinition(start_date={spec['start']!r}, "
        f"end_date={spec['end']!r}, timezone={spec['timezone']!r})"
    )


def _kwargs(spec: Mapping[str, object]) -> list[str]:
    args: list[str] = []
    for key, value in spec.items():
        if key == "upstream" and isinstance(value, Mapping):
            args.append(f"upstream_output=build_output_context({', '.join(_kwargs(value))})")
        elif key == "asset_key":
            args.append(f"asset_key=AssetKey({value!r})")
        elif key == "partitions_def" and isinstance(value, Mapping):
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
    lines = [
        _HEADER.format(
            factory=f"make_manager()  # {subject_name}",
            directory_note=" (pass a fresh, empty directory)" if takes_directory else "",
        )
    ]
    if any("PartitionShares(" in str(step.get("value_repr", "")) for step in steps):
        lines.append("from conformance import PartitionShares  # a range output's value\n")
    for step in steps:
        op = step.get("op")
        note = f"  # raised {step['raised']}" if "raised" in step else ""
        if op == "store":
            output = step["output"]
            assert isinstance(output, Mapping)
            lines.append(
                f"manager.handle_output(build_output_context({', '.join(_kwargs(output))}), "
                f"{step.get('value_repr', step.get('value'))}){note}"
            )
        elif op == "load":
            spec = step["input"]
            assert isinstance(spec, Mapping)
            lines.append(
                f"print(manager.load_input(build_input_context({', '.join(_kwargs(spec))}))){note}"
            )
        elif op == "new_instance":
            lines.append("manager = make_manager()  # a new instance on the same storage")
        else:
            lines.append(f"# {op}")
    return "\n".join(lines) + "\n"
