"""Tracing a ``@job`` body: op calls inside it record nodes and return output handles.

While :func:`recording` is active, calling an op does not run it: the recorder (installed through
:func:`~reference_impl.execution.op_definition.intercepting_calls`) binds the arguments (which
must be handles of earlier calls) to the op's inputs, records a :class:`NodeInvocation` under a
unique node name (``op``, ``op_2``, ...), and returns the handle of its output (a tuple of handles
for several outputs).
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from reference_impl.errors import InvalidDefinitionError
from reference_impl.execution.op_definition import OpDefinition, intercepting_calls
from reference_impl.execution.specs import NO_VALUE

__all__ = ["CompositionRecorder", "NodeInvocation", "OutputHandle", "recording"]


@dataclass(frozen=True)
class OutputHandle:
    """A reference to output ``output_name`` of node ``node_name`` in the job being traced."""

    node_name: str
    output_name: str


@dataclass(frozen=True)
class NodeInvocation:
    """One node of a job: a (possibly aliased) use of an op and where its inputs come from."""

    name: str
    op_def: OpDefinition
    inputs: Mapping[str, OutputHandle]


@dataclass
class CompositionRecorder:
    """Collects the nodes of one job body, in call order (which is a topological order)."""

    job_name: str
    nodes: list[NodeInvocation] = field(default_factory=list[NodeInvocation])

    def _unique_name(self, op_name: str) -> str:
        taken = {node.name for node in self.nodes}
        if op_name not in taken:
            return op_name
        index = 2
        while f"{op_name}_{index}" in taken:
            index += 1
        return f"{op_name}_{index}"

    def _bind(
        self, op_def: OpDefinition, args: Sequence[Any], kwargs: Mapping[str, Any]
    ) -> dict[str, OutputHandle]:
        names = [d.name for d in op_def.input_defs]
        if len(args) > len(names):
            raise InvalidDefinitionError(
                f"job {self.job_name!r}: op {op_def.name!r} takes {len(names)} input(s) {names} "
                f"but was called with {len(args)} positional argument(s)."
            )
        bound: dict[str, Any] = dict(zip(names, args, strict=False))
        for name, value in kwargs.items():
            if name not in names:
                raise InvalidDefinitionError(
                    f"job {self.job_name!r}: op {op_def.name!r} has no input {name!r}; "
                    f"inputs: {names}."
                )
            if name in bound:
                raise InvalidDefinitionError(
                    f"job {self.job_name!r}: input {name!r} of op {op_def.name!r} given twice."
                )
            bound[name] = value
        for name, value in bound.items():
            if not isinstance(value, OutputHandle):
                raise InvalidDefinitionError(
                    f"job {self.job_name!r}: input {name!r} of op {op_def.name!r} got "
                    f"{value!r}; inside a job body pass the result of another op call "
                    "(for constants use In(default_value=...) or an input manager)."
                )
        return bound

    def invoke(
        self, op_def: OpDefinition, args: Sequence[Any], kwargs: Mapping[str, Any]
    ) -> OutputHandle | tuple[OutputHandle, ...]:
        """Record a call of ``op_def`` and return its output handle(s)."""
        inputs = self._bind(op_def, args, kwargs)
        for input_def in op_def.input_defs:
            unconnected = input_def.name not in inputs and input_def.input_manager_key is None
            no_default = input_def.default_value is NO_VALUE
            if unconnected and no_default and not input_def.is_nothing:
                raise InvalidDefinitionError(
                    f"job {self.job_name!r}: input {input_def.name!r} of op {op_def.name!r} has "
                    "no upstream output, no input_manager_key and no default value. Pass another "
                    "op's output, or declare In(input_manager_key=...) or In(default_value=...)."
                )
        node = NodeInvocation(self._unique_name(op_def.name), op_def, inputs)
        self.nodes.append(node)
        handles = tuple(OutputHandle(node.name, d.name) for d in op_def.output_defs)
        return handles[0] if len(handles) == 1 else handles


@contextmanager
def recording(job_name: str) -> Generator[CompositionRecorder, None, None]:
    """Trace op calls made inside the ``with`` block into a fresh recorder."""
    recorder = CompositionRecorder(job_name)
    with intercepting_calls(recorder.invoke):
        yield recorder
