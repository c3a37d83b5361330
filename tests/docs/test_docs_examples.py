"""The code examples in the README and the conformance guide run as written.

Placeholders (``my_package.io.MyIOManager``) are provided by a small, correct, directory-backed
manager, so every example exercises the real kit. docs/DAGSTER.md's examples are run by
tests/conformance/bridge (they need the dagster extra).
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parents[2]

MY_PACKAGE_IO = textwrap.dedent(
    '''
    import pickle
    import uuid
    from pathlib import Path
    from typing import Any

    from spec import InputContextLike, OutputContextLike


    class MyIOManager:
        """A correct manager: one pickle file per identifier; the kind (op output, asset,
        partition) and the hex-encoded components make every name unique."""

        def __init__(self, base_dir: str) -> None:
            self.base_dir = Path(base_dir)

        def _path(self, parts: "list[str]") -> Path:
            return self.base_dir / "-".join(p.encode().hex() or "_" for p in parts)

        def _out_path(self, context: OutputContextLike) -> Path:
            if context.has_asset_partitions:
                return self._path(["partition", *context.get_asset_identifier()])
            if context.has_asset_key:
                return self._path(["asset", *context.asset_key.path])
            return self._path(["op", *context.get_identifier()])

        def handle_output(self, context: OutputContextLike, obj: Any) -> None:
            if context.has_asset_partitions and len(context.asset_partition_keys) != 1:
                raise ValueError("MyIOManager stores one partition at a time")
            path = self._out_path(context)
            tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")  # one per writer
            tmp.write_bytes(pickle.dumps(obj))
            tmp.replace(path)

        def load_input(self, context: InputContextLike) -> Any:
            if not context.has_asset_key:
                return pickle.loads(self._path(["op", *context.get_identifier()]).read_bytes())
            base = list(context.asset_key.path)
            if not context.has_asset_partitions:
                return pickle.loads(self._path(["asset", *base]).read_bytes())
            keys = list(context.asset_partition_keys)
            allow = bool(context.definition_metadata.get("allow_missing_partitions"))
            loaded = {}
            for key in keys:
                path = self._path(["partition", *base, key])
                if path.exists():
                    loaded[key] = pickle.loads(path.read_bytes())
                elif not allow:
                    raise FileNotFoundError(f"partition {key!r} of {base} was never stored")
            if len(keys) == 1:
                return loaded.get(keys[0])
            return loaded if keys else None
    '''
)


def _python_blocks(path: Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", path.read_text(encoding="utf-8"), re.S | re.M)


@pytest.fixture
def my_package(tmp_path: Path) -> Iterator[Path]:
    package = tmp_path / "my_package"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "io.py").write_text(MY_PACKAGE_IO)
    sys.path.insert(0, str(tmp_path))
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == "my_package" or m.startswith("my_package.")]:
            del sys.modules[name]


def test_readme_type_check_example_runs_and_type_checks(tmp_path: Path) -> None:
    (block,) = [b for b in _python_blocks(ROOT / "README.md") if "from spec import" in b]
    exec(compile(block, "README.md", "exec"), {"__name__": "readme_example"})
    snippet = tmp_path / "readme_example.py"
    snippet.write_text(block.replace(": ...", ":\n        raise NotImplementedError"))
    stdout, _, status = api.run(
        ["--config-file", str(ROOT / "mypy.ini"), "--no-error-summary", str(snippet)]
    )
    assert status == 0, stdout


def test_guide_function_api_example(my_package: Path) -> None:
    blocks = _python_blocks(ROOT / "docs" / "CONFORMANCE.md")
    (function_api,) = [b for b in blocks if "check_io_manager(" in b]
    namespace: dict[str, object] = {"__name__": "guide_example"}
    exec("from my_package.io import MyIOManager\n" + function_api, namespace)
    assert namespace["report"].ok  # type: ignore[attr-defined]


def test_guide_pytest_examples(my_package: Path, pytester: pytest.Pytester) -> None:
    blocks = [
        b for b in _python_blocks(ROOT / "docs" / "CONFORMANCE.md") if "ConformanceTests" in b
    ]
    assert len(blocks) >= 2
    class_based, fixture_based = blocks[0], blocks[1]
    header = "\n".join(
        line for line in class_based.splitlines() if line.startswith(("from", "import"))
    )
    pytester.makepyfile(
        test_class_based=class_based,
        test_fixture_based="import pytest\n" + header + "\n" + fixture_based,
    )
    result = pytester.runpytest_subprocess(
        "-q",
        "-p",
        "no:cacheprovider",
        f"--rootdir={pytester.path}",
        "-o",
        f"pythonpath={my_package}",
    )
    outcomes = result.parseoutcomes()
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert outcomes.get("passed", 0) > 20, outcomes


def test_readme_lists_the_two_setup_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -e . && python -m conformance check" in text
    assert "pip install -e '.[test,field]' && python -m pytest -n auto" in text
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q -e '.[test,field]'" in ci and "python -m pytest -n auto" in ci


def test_guide_values_example(my_package: Path) -> None:
    (example,) = [b for b in _python_blocks(ROOT / "docs" / "CONFORMANCE.md")
                  if 'values="json"' in b and "Subject.from_object" in b]
    namespace: dict[str, object] = {"__name__": "guide_values_example"}
    exec(example, namespace)
    from conformance.families import FAMILIES

    json_subject, texts = namespace["json_subject"], namespace["texts"]
    assert json_subject.equals is FAMILIES["json"].equals  # type: ignore[attr-defined]
    assert texts.equals(["a"], ["a"]) and not texts.equals("a", "b")  # type: ignore[attr-defined]


def test_parametrize_with_checks_examples(
    my_package: Path, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's and the guide's decorator examples, each run as a test module."""
    blocks = [("README.md", b) for b in _python_blocks(ROOT / "README.md")]
    blocks += [("CONFORMANCE.md", b) for b in _python_blocks(ROOT / "docs" / "CONFORMANCE.md")]
    examples = [b for _, b in blocks if "@conformance.parametrize_with_checks(" in b]
    assert len(examples) == 2
    monkeypatch.setenv("PYTHONPATH", f"{ROOT}{os.pathsep}{my_package}")
    pytester.makepyfile(test_readme=examples[0], test_guide=examples[1])
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", "-k", "IOM-STORE-00")
    result.stdout.fnmatch_lines(["*passed*"])
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) >= 12 and "failed" not in outcomes, outcomes
    collected = pytester.runpytest_subprocess("-q", "--collect-only", "-p", "no:cacheprovider")
    collected.stdout.fnmatch_lines(["test_guide.py::test_my_manager?IOM-STORE-007?"])


def _toml_tables(path: Path) -> list[str]:
    blocks = re.findall(r"^```toml\n(.*?)^```", path.read_text(encoding="utf-8"), re.S | re.M)
    return [b for b in blocks if "[tool.iomanager-conformance]" in b]


@pytest.mark.parametrize("document", ["README.md", "docs/CONFORMANCE.md", "conformance/config.py"])
def test_configuration_examples_are_valid_tables(tmp_path: Path, document: str) -> None:
    """Every ``[tool.iomanager-conformance]`` example in the docs (and the config module's
    docstring) passes the kit's own validation, ignores with their reasons included."""
    from conformance.config import load_config

    path = ROOT / document
    if path.suffix == ".py":
        text = path.read_text(encoding="utf-8")
        start = text.index("    [tool.iomanager-conformance]\n") + 4
        blocks = [textwrap.dedent("    " + text[start:text.index("\n\nRelative paths", start)])]
    else:
        blocks = _toml_tables(path)
    assert blocks, f"no configuration example in {document}"
    for block in blocks:
        pyproject = tmp_path / "pyproject.toml"
        pyproject.write_text(block, encoding="utf-8")
        config = load_config(pyproject)
        assert config.values or config.selection.select, block
        assert all(reason for reason in config.selection.ignore.values())
