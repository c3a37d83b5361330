"""Unit and property tests of ``reference_impl.asset_key.AssetKey``."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference_impl.asset_key import AssetKey
from reference_impl.errors import InvalidAssetKeyError
from spec.values import AssetKeyLike

components = st.lists(st.text(alphabet="ab/\\c. ", max_size=4), max_size=4)


def test_str_is_one_component_and_sequence_many() -> None:
    assert AssetKey("a/b").path == ["a/b"]
    assert AssetKey(["a", "b"]).parts == ("a", "b")
    assert AssetKey(("a",)) == AssetKey("a") == AssetKey(["a"])


def test_path_is_a_fresh_list() -> None:
    key = AssetKey(["a"])
    key.path.append("b")
    assert key.path == ["a"]


def test_user_strings() -> None:
    assert AssetKey(["a", "b"]).to_user_string() == "a/b"
    assert AssetKey.from_user_string("a//b").path == ["a", "", "b"]
    assert AssetKey(["a/b", "c\\"]).to_escaped_user_string() == "a\\/b/c\\\\"


def test_repr_and_ordering() -> None:
    assert repr(AssetKey(["a", "b"])) == "AssetKey(['a', 'b'])"
    assert sorted([AssetKey("b"), AssetKey(["a", "z"]), AssetKey("a")]) == [
        AssetKey("a"), AssetKey(["a", "z"]), AssetKey("b"),
    ]


def test_immutable_and_picklable() -> None:
    key = AssetKey(["a", "b"])
    with pytest.raises(AttributeError):
        key._parts = ("x",)
    assert pickle.loads(pickle.dumps(key)) == key


def test_satisfies_the_spec_protocol() -> None:
    assert isinstance(AssetKey("a"), AssetKeyLike)


@pytest.mark.parametrize("bad", [1, None, b"a", ["a", 1], {"a"}, ("a", None)])
def test_from_coercible_rejects_other_values(bad: object) -> None:
    with pytest.raises(InvalidAssetKeyError, match="str"):
        AssetKey.from_coercible(bad)


@pytest.mark.parametrize("bad", [["a", 2], 3])
def test_constructor_rejects_non_str(bad: object) -> None:
    with pytest.raises(InvalidAssetKeyError):
        AssetKey(bad)  # type: ignore[arg-type]


def test_from_coercible_accepts_keys_strings_and_sequences() -> None:
    key = AssetKey(["a", "b"])
    assert AssetKey.from_coercible(key) is key
    assert AssetKey.from_coercible("a/b") == AssetKey(["a/b"])
    assert AssetKey.from_coercible(("a", "b")) == key


def test_unpaired_backslash_is_rejected() -> None:
    with pytest.raises(InvalidAssetKeyError, match="backslash"):
        AssetKey.from_escaped_user_string("a\\")


def test_empty_escaped_string_is_the_empty_key() -> None:
    assert AssetKey.from_escaped_user_string("").path == []


@given(components.filter(lambda parts: parts not in ([], [""])))
def test_escaped_user_string_round_trips(parts: list[str]) -> None:
    """Escaping is lossless: from_escaped(to_escaped(k)) == k for every key except the two
    that both render as "" (``[]`` and ``[""]``; "" parses as ``[]``)."""
    key = AssetKey(parts)
    assert AssetKey.from_escaped_user_string(key.to_escaped_user_string()) == key


@given(components, components)
def test_equality_hash_and_order_follow_parts(left: list[str], right: list[str]) -> None:
    """Keys compare, hash and order exactly like their component tuples."""
    a, b = AssetKey(left), AssetKey(right)
    assert (a == b) == (tuple(left) == tuple(right))
    assert (a < b) == (tuple(left) < tuple(right))
    if a == b:
        assert hash(a) == hash(b)


@given(components)
def test_user_string_splits_back_when_no_component_has_a_slash(parts: list[str]) -> None:
    """from_user_string(to_user_string(k)) == k when no component contains '/' (k non-empty)."""
    clean = [part.replace("/", "") for part in parts] or ["x"]
    key = AssetKey(clean)
    assert AssetKey.from_user_string(key.to_user_string()) == key
