"""Round trips on s3:// through a local moto server (127.0.0.1 only)."""

from __future__ import annotations

import asyncio
import errno
import uuid
from typing import Any

import pytest
from upath import UPath

from reference_impl.context import build_input_context, build_output_context
from reference_impl.errors import (
    StoragePermissionError,
    StoredValueNotFoundError,
    StoreError,
    UnpicklableValueError,
)
from reference_impl.partitions import PartitionKeyRange, StaticPartitionsDefinition
from reference_impl.storage import PickledObjectFilesystemIOManager
from reference_impl.storage.pickling import load_pickle
from spec.contexts import InputContextLike

pytestmark = pytest.mark.s3
BUCKET = "storage-tests"
STATIC = StaticPartitionsDefinition(["a", "b", "c"])


def s3_manager(endpoint: str) -> PickledObjectFilesystemIOManager:
    return PickledObjectFilesystemIOManager(
        f"s3://{BUCKET}/{uuid.uuid4().hex}", endpoint_url=endpoint, key="testing",
        secret="testing")


def test_s3_round_trip_overwrite_missing_and_failed_store(s3_endpoint: str) -> None:
    manager = s3_manager(s3_endpoint)
    output = build_output_context(step_key="s", name="result", run_id="r1")
    manager.handle_output(output, {"a": 1})
    assert output.get_logged_metadata()["path"].value.endswith("/r1/s/result")
    assert manager.load_input(build_input_context(upstream_output=output)) == {"a": 1}
    manager.handle_output(build_output_context(asset_key=["x", ".."]), 1)
    manager.handle_output(build_output_context(asset_key=["x", ".."]), 2)
    with pytest.raises(UnpicklableValueError):
        manager.handle_output(build_output_context(asset_key=["x", ".."]), lambda: 0)
    assert manager.load_input(build_input_context(asset_key=["x", ".."])) == 2
    with pytest.raises(StoredValueNotFoundError):
        manager.load_input(build_input_context(asset_key=["nope"]))


class AsyncPickleManager(PickledObjectFilesystemIOManager):
    async def load_from_path(self, context: InputContextLike, path: UPath) -> Any:
        data = await asyncio.to_thread(path.read_bytes)
        import io

        return load_pickle(io.BytesIO(data), where=str(path))


def test_s3_partitions_sync_and_async(s3_endpoint: str) -> None:
    manager = s3_manager(s3_endpoint)
    for key in ["a", "c"]:
        manager.handle_output(build_output_context(
            asset_key=["p"], partition_key=key, asset_partitions_def=STATIC), key.upper())
    async_manager = AsyncPickleManager(str(manager.base_path), endpoint_url=s3_endpoint,
                                       key="testing", secret="testing")
    for reader in (manager, async_manager):
        context = build_input_context(
            asset_key=["p"], asset_partition_key_range=PartitionKeyRange("a", "c"),
            asset_partitions_def=STATIC, definition_metadata={"allow_missing_partitions": True})
        assert reader.load_input(context) == {"a": "A", "c": "C"}
        with pytest.raises(StoredValueNotFoundError, match="'b'"):
            reader.load_input(build_input_context(
                asset_key=["p"], asset_partition_key_range=PartitionKeyRange("a", "c"),
                asset_partitions_def=STATIC))


def test_s3_failures_are_typed_and_keep_the_previous_value(
        s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """On S3 (moto): a refused upload is a typed StoreError naming key and root, a value
    whose pickling raises RuntimeError is an UnpicklableValueError; the old value stays and a
    failed first store leaves no object."""
    manager = s3_manager(s3_endpoint)
    manager.handle_output(build_output_context(asset_key=["a"]), "old")

    class Exploding:
        def __reduce__(self) -> Any:
            raise RuntimeError("boom")

    with pytest.raises(UnpicklableValueError):
        manager.handle_output(build_output_context(asset_key=["a"]), Exploding())

    def refused(path: str, value: bytes, **kwargs: Any) -> None:
        raise PermissionError(errno.EACCES, "Access Denied", path)

    monkeypatch.setattr(manager.fs, "pipe_file", refused)  # s3fs mirrors it per instance
    with pytest.raises(StoragePermissionError) as raised:
        manager.handle_output(build_output_context(asset_key=["a"]), "new")
    assert raised.value.key == ["a"] and raised.value.storage_root == str(manager.base_path)
    with pytest.raises(StoreError):
        manager.handle_output(build_output_context(asset_key=["fresh", "key"]), 1)
    monkeypatch.undo()
    assert manager.load_input(build_input_context(asset_key=["a"])) == "old"
    assert not manager.fs.exists(str(manager.base_path.joinpath("fresh")).split("://")[1])


_S3_WRITER = """
import sys
from reference_impl.context import build_output_context
from reference_impl.storage import PickledObjectFilesystemIOManager

endpoint, root = sys.argv[1], sys.argv[2]
manager = PickledObjectFilesystemIOManager(root, endpoint_url=endpoint, key="testing",
                                           secret="testing")
context = build_output_context(asset_key=["k"])
print("r", flush=True)
index = 0
while True:
    index += 1
    manager.handle_output(context, bytes([index % 251]) * (512 * 1024))
    print("w", flush=True)  # one upload finished
"""


def test_s3_writers_killed_mid_upload_never_leave_a_torn_value(s3_endpoint: str) -> None:
    """Law (crash consistency on S3 through moto): a writer process SIGKILLed at a random
    moment mid-upload leaves the key loading a whole value, the one stored before or one of
    the writer's, never a torn or empty one (one PUT per value). Each writer is killed at a
    random moment after its first upload finished (so the kill lands in a later upload however
    slow the machine is, and the key holds a writer's value, not only the old one)."""
    import random
    import signal
    import subprocess
    import sys
    import time

    manager = s3_manager(s3_endpoint)
    root = str(manager.base_path)
    manager.handle_output(build_output_context(asset_key=["k"]), b"old")
    rng = random.Random(17)
    replaced = 0
    for _ in range(6):
        writer = subprocess.Popen([sys.executable, "-c", _S3_WRITER, s3_endpoint, root],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert writer.stdout is not None and writer.stdout.readline().strip() == b"r"
        assert writer.stdout.readline().strip() == b"w", "the writer died before one upload"
        time.sleep(rng.uniform(0.0, 0.3))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=60)
        loaded = s3_manager_at(s3_endpoint, root).load_input(
            build_input_context(asset_key=["k"]))
        assert isinstance(loaded, bytes)
        assert loaded == b"old" or (len(loaded) == 512 * 1024 and len(set(loaded)) == 1)
        replaced += loaded != b"old"
    assert replaced, "no writer finished an upload before its kill: the test proved nothing"


def s3_manager_at(endpoint: str, root: str) -> PickledObjectFilesystemIOManager:
    """A new manager instance on an existing S3 root."""
    return PickledObjectFilesystemIOManager(root, endpoint_url=endpoint, key="testing",
                                            secret="testing")
