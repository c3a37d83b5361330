"""The built-in IO managers: in-memory, UPath-based and pickling filesystem storage."""

from reference_impl.storage.definitions import FilesystemIOManager, fs_io_manager, mem_io_manager
from reference_impl.storage.filesystem import PickledObjectFilesystemIOManager
from reference_impl.storage.memory import InMemoryIOManager
from reference_impl.storage.upath_manager import UPathIOManager

__all__ = [
    "FilesystemIOManager",
    "InMemoryIOManager",
    "PickledObjectFilesystemIOManager",
    "UPathIOManager",
    "fs_io_manager",
    "mem_io_manager",
]
