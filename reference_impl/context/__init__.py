"""Input and output contexts, and the builders that make them for tests.

``build_output_context`` / ``build_input_context`` take Dagster's parameters, cost microseconds
(no instance, no global state) and return contexts that are also context managers.
"""

from reference_impl.context.builders import (
    RUN_ID_PLACEHOLDER,
    build_input_context,
    build_output_context,
)
from reference_impl.context.input import InputContext
from reference_impl.context.output import VERSIONED_OUTPUTS_PREFIX, OutputContext
from reference_impl.context.resources import Resources

__all__ = [
    "RUN_ID_PLACEHOLDER",
    "VERSIONED_OUTPUTS_PREFIX",
    "InputContext",
    "OutputContext",
    "Resources",
    "build_input_context",
    "build_output_context",
]
