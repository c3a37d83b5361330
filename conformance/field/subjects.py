"""Published IO managers as kit subjects, each with the contexts its manager needs.

A :class:`FieldTarget` is a :class:`~conformance.subject.Subject` (factory on a fresh storage
directory, declared capabilities, values, equality) plus the context factory that drives it
(:class:`~conformance.field.contexts.FieldContextFactory`: real Dagster contexts with
``dagster_type``, ``resource_config`` and ``partition_expr`` metadata) and the distribution it
comes from. Capabilities are what each package documents, nothing more:

* dagster-duckdb-pandas ``DuckDBPandasIOManager`` and dagster-deltalake-polars
  ``DeltaLakePolarsIOManager`` (``DbIOManager``): assets only (an op output is a table named after
  the output, shared by every run and step); asset keys of one or two components (schema, table),
  each a valid Dagster name (the Subject's ``accepts_asset_key``, :func:`table_asset_key`); ``None``
  is refused (``stores_none`` absent); a partition is the rows whose ``partition_expr`` column
  matches it; an output covering a range stores each partition's rows (``partition_range_outputs``,
  IOM-PART-018); a range loads as ONE table of the rows of every partition
  (``concatenated_range_loads``, IOM-PART-019; ``concat`` is ``concat_frames``), not as a mapping
  (``partition_ranges`` absent); multi-partitions need one ``partition_expr`` per dimension, which
  this trial does not model (``multi_partitions`` absent); durable; everything below the directory
  given.
* dagster-polars ``PolarsParquetIOManager`` (a ``UPathIOManager``): everything but ``None``
  (``stores_none`` absent: a frame manager), durable, confined to ``base_dir``; values are
  ``polars.DataFrame`` and keep their row order.
* dagster-aws ``S3PickleIOManager``: the bridge's subject (any picklable value) on a moto server.
"""

from __future__ import annotations

import pathlib
import re
from collections.abc import Callable, Generator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from typing import Any, cast

from hypothesis.strategies import SearchStrategy

from conformance.bridges.dagster_subjects import init_context, s3_pickle_io_manager_subject
from conformance.contexts import ContextFactory, OutputSpec
from conformance.equality import frames_equal, frames_equal_ignoring_row_order
from conformance.field.binding import PartitionColumnBinding
from conformance.field.contexts import FieldContextFactory
from conformance.strategies.dataframes import (
    PartitionKind,
    concat_frames,
    pandas_frames,
    polars_frames,
)
from conformance.subject import Capabilities, Subject

__all__ = [
    "PARTITION_COLUMNS",
    "TABLE_CAPABILITIES",
    "FieldTarget",
    "deltalake_polars_target",
    "duckdb_pandas_target",
    "local_targets",
    "partition_expr_metadata",
    "polars_parquet_target",
    "moto_s3",
    "s3_pickle_target",
    "table_asset_key",
]

PARTITION_COLUMNS: Mapping[PartitionKind, str] = {"static": "color", "time": "ts"}
"""The column ``partition_expr`` names, per partitions kind, in the table subjects' frames."""

TABLE_CAPABILITIES = Capabilities(
    op_outputs=False,
    assets=True,
    partitions=True,
    partition_ranges=False,
    multi_partitions=False,
    durable=True,
    storage_root=True,
    stores_none=False,
    partition_range_outputs=True,
    concatenated_range_loads=True,
)
"""What a ``DbIOManager`` claims (see the module docstring)."""

_DAGSTER_NAME = re.compile(r"[A-Za-z0-9_]+")
"""What ``@asset`` accepts for a name or key-prefix component (Dagster's ``is_valid_name``)."""


def table_asset_key(key: tuple[str, ...]) -> bool:
    """An asset key a table manager supports: ``(table,)`` (schema ``public``) or
    ``(schema, table)``, each component a valid Dagster name (``[A-Za-z0-9_]+``: what ``@asset``
    accepts). Longer keys are outside the domain and must be refused (IOM-ID-014); a
    ``DbIOManager`` stores them under their last two components instead."""
    return 1 <= len(key) <= 2 and all(_DAGSTER_NAME.fullmatch(part) for part in key)


def partition_expr_metadata(spec: OutputSpec) -> Mapping[str, Any]:
    """``{"partition_expr": <column>}`` for an output of a static or time partitioned asset."""
    if spec.partitions_def is None or spec.partitions_def.kind == "multi":
        return {}
    kind: PartitionKind = "static" if spec.partitions_def.kind == "static" else "time"
    return {"partition_expr": PARTITION_COLUMNS[kind]}


@dataclass(frozen=True)
class FieldTarget:
    """One matrix column: the subject, the contexts that drive it, where it comes from."""

    key: str
    subject: Subject
    contexts: ContextFactory
    distribution: str

    @property
    def version(self) -> str:
        """The installed version of :attr:`distribution`."""
        return importlib_metadata.version(self.distribution)


def _config_dict(resource: Any) -> dict[str, Any]:
    config: dict[str, Any] = resource._convert_to_config_dictionary()
    return config


def _table_target(
    key: str,
    name: str,
    distribution: str,
    frame_type: type,
    values: SearchStrategy[object],
    resource_for: Callable[[pathlib.Path], Any],
) -> FieldTarget:
    """A ``DbIOManager`` target: one table per asset, partitions selected by ``partition_expr``,
    the asset body modelled by :class:`PartitionColumnBinding`."""
    contexts = FieldContextFactory(typing_type=frame_type, output_metadata=partition_expr_metadata)

    def make(directory: pathlib.Path) -> object:
        resource = resource_for(directory)
        config = _config_dict(resource)
        contexts.bind_resource_config(config)
        manager = resource.create_io_manager(init_context(config))
        return PartitionColumnBinding(manager, PARTITION_COLUMNS)

    subject = Subject(
        name,
        make,
        TABLE_CAPABILITIES,
        values=values,
        equals=frames_equal_ignoring_row_order,
        concat=concat_frames,
        accepts_asset_key=table_asset_key,
    )
    return FieldTarget(key, subject, contexts, distribution)


def duckdb_pandas_target() -> FieldTarget:
    """dagster-duckdb-pandas ``DuckDBPandasIOManager`` on ``<directory>/kit.duckdb``."""
    import pandas as pd  # type: ignore[import-untyped]
    from dagster_duckdb_pandas import DuckDBPandasIOManager

    return _table_target(
        "duckdb-pandas",
        "dagster_duckdb_pandas.DuckDBPandasIOManager",
        "dagster-duckdb-pandas",
        pd.DataFrame,
        pandas_frames(partition_columns={"color": "static", "ts": "time"}),
        lambda directory: DuckDBPandasIOManager(database=str(directory / "kit.duckdb")),
    )


def deltalake_polars_target() -> FieldTarget:
    """dagster-deltalake-polars ``DeltaLakePolarsIOManager`` with ``root_uri=<directory>``."""
    import polars as pl
    from dagster_deltalake import LocalConfig
    from dagster_deltalake_polars import DeltaLakePolarsIOManager

    return _table_target(
        "deltalake-polars",
        "dagster_deltalake_polars.DeltaLakePolarsIOManager",
        "dagster-deltalake-polars",
        pl.DataFrame,
        polars_frames(partition_columns={"color": "static", "ts": "time"}),
        lambda directory: DeltaLakePolarsIOManager(
            root_uri=str(directory), storage_options=LocalConfig()
        ),
    )


def polars_parquet_target() -> FieldTarget:
    """dagster-polars ``PolarsParquetIOManager(base_dir=<directory>)``, initialised as Dagster
    does for a run (``from_resource_context`` on an init context of the shared instance, which
    runs ``setup_for_execution``; ``process_config_and_initialize`` would build an ephemeral
    Dagster instance per manager, four times the cost of the whole field matrix cell)."""
    import polars as pl
    from dagster_polars import PolarsParquetIOManager

    contexts = FieldContextFactory(typing_type=pl.DataFrame)

    def make(directory: pathlib.Path) -> object:
        resource = PolarsParquetIOManager(base_dir=str(directory))
        config = _config_dict(resource)
        contexts.bind_resource_config(config)
        # dagster leaves from_resource_context's return type to inference (unknown to pyright).
        return cast(object, type(resource).from_resource_context(
            init_context(config), nested_resources=resource.nested_resources
        ))

    subject = Subject(
        "dagster_polars.PolarsParquetIOManager",
        make,
        Capabilities(durable=True, storage_root=True, stores_none=False),
        values=polars_frames(),
        equals=frames_equal,
    )
    return FieldTarget("polars-parquet", subject, contexts, "dagster-polars")


def s3_pickle_target(endpoint_url: str, bucket: str, client: object) -> FieldTarget:
    """The bridge's dagster-aws ``S3PickleIOManager`` subject, with plain bridge contexts."""
    from conformance.bridges.dagster import DagsterContextFactory

    subject = s3_pickle_io_manager_subject(endpoint_url, bucket, client=client)
    return FieldTarget("s3-pickle", subject, DagsterContextFactory(), "dagster-aws")


def local_targets() -> dict[str, Callable[[], FieldTarget]]:
    """Every target that needs no server, by key."""
    return {
        "duckdb-pandas": duckdb_pandas_target,
        "polars-parquet": polars_parquet_target,
        "deltalake-polars": deltalake_polars_target,
    }


@contextmanager
def moto_s3(bucket: str = "conformance") -> Generator[tuple[str, str, object], None, None]:
    """A moto S3 server on 127.0.0.1 (OS-chosen port) with ``bucket`` and dummy credentials:
    yields ``(endpoint_url, bucket, boto3 client)``; stopped and the environment restored on
    exit."""
    import logging
    import os

    import boto3
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    dummy = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    saved = {k: os.environ.get(k) for k in dummy}
    os.environ.update(dummy)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        aws: Any = boto3  # boto3 ships no types (they are the separate boto3-stubs)
        client = aws.client("s3", endpoint_url=endpoint)
        client.create_bucket(Bucket=bucket)
        yield endpoint, bucket, client
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
