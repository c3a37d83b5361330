"""Constructor calls of structured-config IO managers, checked by mypy via dataclass_transform."""

from __future__ import annotations

from typing import Any, Literal

from reference_impl.definitions import ConfigurableIOManager, EnvVar, field


class S3LikeIOManager(ConfigurableIOManager):
    bucket: str
    path_prefix: list[str] = field(default_factory=list)
    retries: int = 3
    mode: Literal["rb", "wb"] = "rb"

    def handle_output(self, context: Any, obj: Any) -> None:
        pass

    def load_input(self, context: Any) -> Any:
        return None


ok = S3LikeIOManager(bucket="b", path_prefix=["x", "y"])
from_env = S3LikeIOManager(bucket=EnvVar("BUCKET"), retries=EnvVar.int("RETRIES"))
prefix: list[str] = ok.path_prefix

S3LikeIOManager(bucket=1)  # E: [arg-type]
S3LikeIOManager()  # E: [call-arg]
S3LikeIOManager(bucket="b", path_prefix=["a", 2])  # E: [list-item]
S3LikeIOManager("b")  # E: [call-arg]
S3LikeIOManager(bucket="b", nope=1)  # E: [call-arg]
S3LikeIOManager(bucket="b", mode="xx")  # E: [arg-type]
S3LikeIOManager(bucket="b", retries=EnvVar("R"))  # E: [arg-type]
ok.bucket = "z"  # E: [misc]
