"""Fixtures of the Dagster bridge tests: a moto S3 server on 127.0.0.1 (port chosen by the OS)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass(frozen=True)
class S3Server:
    """A running moto server: its endpoint, a bucket in it, and a boto3 client for it."""

    endpoint_url: str
    bucket: str
    client: Any


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """Start moto on 127.0.0.1 with dummy credentials; stopped at the end of the session."""
    moto_server = pytest.importorskip("moto.moto_server.threaded_moto_server")
    boto3 = pytest.importorskip("boto3")
    dummy = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    saved = {k: os.environ.get(k) for k in dummy}
    os.environ.update(dummy)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        client = boto3.client("s3", endpoint_url=endpoint)
        client.create_bucket(Bucket="conformance")
        yield S3Server(endpoint, "conformance", client)
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
