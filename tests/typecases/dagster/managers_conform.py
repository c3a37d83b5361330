"""Dagster's built-in managers satisfy
``IOManager[dagster.InputContext, dagster.OutputContext]``."""

from __future__ import annotations

import dagster as dg
from dagster._core.storage.fs_io_manager import PickledObjectFilesystemIOManager

from spec import InputManager, IOManager, IOManagerFactory


def managers(
    mem: dg.InMemoryIOManager,
    pickled: PickledObjectFilesystemIOManager,
    upath: dg.UPathIOManager,
    configurable: dg.ConfigurableIOManager,
    fs_factory: dg.FilesystemIOManager,
) -> None:
    m1: IOManager[dg.InputContext, dg.OutputContext] = mem
    m2: IOManager[dg.InputContext, dg.OutputContext] = pickled
    m3: IOManager[dg.InputContext, dg.OutputContext] = upath
    m4: IOManager[dg.InputContext, dg.OutputContext] = configurable
    f1: IOManagerFactory[dg.InputContext, dg.OutputContext] = fs_factory
    l1: InputManager[dg.InputContext] = mem
    kit_view: IOManager = mem  # E: [assignment]
    not_a_manager: IOManager[dg.InputContext, dg.OutputContext] = fs_factory  # E: [assignment]
