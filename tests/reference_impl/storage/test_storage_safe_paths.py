"""Safe key → path mapping: Dagster's layout for plain keys, injective, confined to the root."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from upath import UPath

from reference_impl.errors import UnsafeKeyError
from reference_impl.storage.safe_paths import (
    MAX_COMPONENT_BYTES,
    encode_component,
    encode_components,
    ensure_inside_root,
    escape_component,
    is_plain_component,
)

ADVERSARIAL = st.sampled_from(
    ["", ".", "..", "/", "a/b", "/abs", "..\\x", "\x00", "a::b", "%", "%2F", "%a%2Fb",
     "%#00", "é", "日本", "x" * 300, "é" * 150, "2023-01-01-05:00", "v1.2", "a_b"]
)
COMPONENT = st.one_of(st.text(max_size=30), ADVERSARIAL)
KEY = st.lists(COMPONENT, min_size=1, max_size=4)


@pytest.mark.parametrize("component", ["asset", "my-asset", "v1.2", "2023-01-01",
                                       "2023-01-01-05:00", "red|2023-01-02", "each[k1]",
                                       "__EPHEMERAL_RUN_ID", "a b", "日本"])
def test_plain_components_keep_dagsters_layout(component: str) -> None:
    assert encode_component(component) == component


@pytest.mark.parametrize("component", ["", ".", "..", "a/b", "/abs", "a\\b", "a\x00b",
                                       "a::b", "%x", "x" * (MAX_COMPONENT_BYTES + 1)])
def test_unsafe_components_are_encoded_behind_the_marker(component: str) -> None:
    encoded = encode_component(component)
    assert encoded != component
    assert encoded.startswith("%")
    assert "/" not in encoded and "\\" not in encoded and "\x00" not in encoded
    assert len(encoded.encode()) <= MAX_COMPONENT_BYTES


def test_non_string_component_is_a_typed_error() -> None:
    with pytest.raises(UnsafeKeyError, match="not a str"):
        encode_component(3)  # type: ignore[arg-type]


@given(COMPONENT, COMPONENT)
def test_component_encoding_is_injective(first: str, second: str) -> None:
    """IOM-ID-011, IOM-SEC-002: distinct components map to distinct path components."""
    if first != second:
        assert encode_component(first) != encode_component(second)


@given(KEY, KEY)
def test_key_encoding_is_injective(first: list[str], second: list[str]) -> None:
    """IOM-ID-011: distinct keys (e.g. ["a/b"] vs ["a","b"], ["a",""] vs ["a"]) map to distinct
    relative paths."""
    if first != second:
        assert "/".join(encode_components(first)) != "/".join(encode_components(second))


@given(COMPONENT)
def test_encoded_components_are_single_safe_path_components(component: str) -> None:
    """IOM-SEC-001/002: an encoded component is one real path component, never '.', '..', empty
    or absolute, and fits in a file name."""
    encoded = encode_component(component)
    assert encoded not in ("", ".", "..")
    assert Path(encoded).parts == (encoded,)
    assert len(encoded.encode("utf-8", errors="surrogatepass")) <= MAX_COMPONENT_BYTES
    assert is_plain_component(component) == (encoded == component)


@given(KEY)
def test_encoded_keys_stay_inside_the_root(tmp_path_factory: pytest.TempPathFactory,
                                           key: list[str]) -> None:
    """IOM-SEC-001: a path built from encoded components is strictly below the root."""
    root = UPath(str(tmp_path_factory.getbasetemp() / "root"))
    ensure_inside_root(root, root.joinpath(*encode_components(key)))


@pytest.mark.parametrize("relative", ["..", "../x", "a/../../x", "/etc/passwd"])
def test_escaping_paths_are_refused(tmp_path: Path, relative: str) -> None:
    root = UPath(str(tmp_path / "root"))
    with pytest.raises(UnsafeKeyError, match="not inside the storage root"):
        ensure_inside_root(root, root / relative)


def test_the_root_itself_is_not_inside_the_root(tmp_path: Path) -> None:
    root = UPath(str(tmp_path))
    with pytest.raises(UnsafeKeyError):
        ensure_inside_root(root, root.joinpath("a", ".."))


def test_symlink_out_of_the_root_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    (root / "link").symlink_to(outside)
    with pytest.raises(UnsafeKeyError):
        ensure_inside_root(UPath(str(root)), UPath(str(root / "link" / "value")))


def test_memory_paths_are_checked_lexically() -> None:
    root = UPath("memory://bucket/root")
    ensure_inside_root(root, root.joinpath("a", "b"))
    with pytest.raises(UnsafeKeyError):
        ensure_inside_root(root, UPath("memory://bucket/other"))
    with pytest.raises(UnsafeKeyError, match="protocol"):
        ensure_inside_root(root, UPath("/tmp/x"))


def test_escape_component_reserves_a_name_no_key_maps_to() -> None:
    escaped = escape_component("versioned_outputs")
    assert escaped.startswith("%")
    assert escaped != encode_component("versioned_outputs")
    with pytest.raises(UnsafeKeyError):
        escape_component("a/b")
