"""Definitions of IO managers and input managers (see docs/ARCHITECTURE.md).

* :class:`IOManager`, :class:`InputManager`: the ABCs users subclass;
* :class:`IOManagerDefinition`, :func:`io_manager`, :class:`InputManagerDefinition`,
  :func:`input_manager`: function-based definitions;
* :class:`ConfigurableIOManager`, :class:`ConfigurableIOManagerFactory`, :class:`EnvVar`:
  structured config;
* :class:`InitResourceContext`, :func:`build_init_resource_context`: the resource init context;
* :func:`initialize_io_manager`, :func:`open_io_manager` (and the input-manager variants): turn
  any of the above into a ready manager;
* config schemas: :class:`Field`, :class:`Noneable`, :class:`Array`, :data:`StringSource`, ...
"""

from reference_impl.definitions.config import (
    Array,
    BoolSource,
    ConfigType,
    Field,
    IntSource,
    Noneable,
    Permissive,
    Shape,
    StringSource,
    resolve_schema,
    validate_config,
)
from reference_impl.definitions.configurable import (
    ConfigurableIOManager,
    ConfigurableIOManagerFactory,
)
from reference_impl.definitions.env_var import EnvVar, IntEnvVar
from reference_impl.definitions.init_context import (
    InitResourceContext,
    Resources,
    build_init_resource_context,
)
from reference_impl.definitions.initialize import (
    initialize_input_manager,
    initialize_io_manager,
    open_input_manager,
    open_io_manager,
)
from reference_impl.definitions.input_manager_definition import (
    InputManagerDefinition,
    InputManagerWrapper,
    input_manager,
)
from reference_impl.definitions.io_manager_definition import IOManagerDefinition, io_manager
from reference_impl.definitions.managers import InputManager, IOManager, OutputManager
from reference_impl.definitions.protocol_check import explain_protocol_mismatch
from reference_impl.definitions.structured_config import Config, ConfigFieldInfo, field

__all__ = [
    "Array",
    "BoolSource",
    "Config",
    "ConfigFieldInfo",
    "ConfigType",
    "ConfigurableIOManager",
    "ConfigurableIOManagerFactory",
    "EnvVar",
    "Field",
    "IOManager",
    "IOManagerDefinition",
    "InitResourceContext",
    "InputManager",
    "InputManagerDefinition",
    "InputManagerWrapper",
    "IntEnvVar",
    "IntSource",
    "Noneable",
    "OutputManager",
    "Permissive",
    "Resources",
    "Shape",
    "StringSource",
    "build_init_resource_context",
    "explain_protocol_mismatch",
    "field",
    "initialize_input_manager",
    "initialize_io_manager",
    "input_manager",
    "io_manager",
    "open_input_manager",
    "open_io_manager",
    "resolve_schema",
    "validate_config",
]
