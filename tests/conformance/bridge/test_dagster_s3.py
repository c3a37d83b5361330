"""dagster-aws ``S3PickleIOManager`` checked by the kit against a moto server on 127.0.0.1."""

from __future__ import annotations

import warnings

import pytest

pytest.importorskip("dagster")
pytest.importorskip("dagster_aws")

from conformance.bridges.dagster import DagsterContextFactory
from conformance.bridges.dagster_subjects import s3_pickle_io_manager_subject
from conformance.runner import run_checks
from tests.conformance.bridge.conftest import S3Server
from tests.conformance.bridge.test_dagster_builtins import NO_SHRINK

pytestmark = [pytest.mark.dagster, pytest.mark.s3]


@pytest.mark.parametrize(
    ("requirement", "status"),
    [
        ("IOM-ID-010", "fail"),  # versions "a//b" and "a/b" share one S3 key (twin check)
        ("IOM-STORE-004", "pass"),  # durable: a new manager on the same prefix loads
        ("IOM-PART-005", "pass"),  # sync range loads are aligned
        ("IOM-PART-017", "fail"),  # stored None dropped from range dicts (UPathIOManager)
    ],
)
def test_s3_pickle_io_manager(s3_server: S3Server, requirement: str, status: str) -> None:
    subject = s3_pickle_io_manager_subject(s3_server.endpoint_url, s3_server.bucket,
                                           client=s3_server.client)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = run_checks(subject, DagsterContextFactory(), NO_SHRINK, only=requirement)
    (result,) = [r for r in report.results if r.requirement_id == requirement]
    assert str(result.status) == status, result.message
