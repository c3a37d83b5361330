"""conformance.checks.source_wrap: wrapped reproduction lines mean what the long line meant."""

from __future__ import annotations

import ast

from hypothesis import given
from hypothesis import strategies as st

from conformance.checks.source_wrap import wrap_source_line

NAMES = st.from_regex(r"[a-z_][a-z0-9_]{0,12}", fullmatch=True).filter(
    lambda name: name not in {"if", "in", "is", "or", "as", "and", "not", "for", "def", "del"})
LITERALS = st.one_of(
    st.text(st.sampled_from("ab,() '#\"[]{}"), max_size=20).map(repr),
    st.integers().map(repr),
    NAMES,
)


def _calls(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return LITERALS
    argument = st.one_of(LITERALS, _calls(depth - 1))
    keyword = st.tuples(NAMES, argument).map(lambda pair: f"{pair[0]}={pair[1]}")
    return st.tuples(NAMES, st.lists(st.one_of(argument, keyword), max_size=6)).map(
        lambda call: f"{call[0]}({', '.join(call[1])})")


@given(_calls(3), st.integers(min_value=40, max_value=100))
def test_wrapping_keeps_the_meaning_and_the_width_where_brackets_allow(
    line: str, width: int
) -> None:
    """The wrapped lines parse to the same AST as the original line (breaks only inside
    brackets, never inside a string); a continuation is over ``width`` only when no break
    point fits (a long literal)."""
    try:
        expected = ast.dump(ast.parse(line))
    except SyntaxError:  # a positional argument after a keyword one: never a reproduction
        return
    wrapped = wrap_source_line(line, width)
    assert ast.dump(ast.parse("\n".join(wrapped))) == expected
    assert "".join(piece.strip() for piece in wrapped).replace(" ", "") == line.replace(" ", "")


def test_a_short_line_and_a_line_without_brackets_stay_whole() -> None:
    assert wrap_source_line("x = 1", 10) == ["x = 1"]
    long_comment = "# " + "word " * 30
    assert wrap_source_line(long_comment, 40) == [long_comment]


def test_a_reproduction_call_is_broken_after_an_opening_bracket() -> None:
    line = ("print(manager.load_input(build_input_context(upstream_output=build_output_context("
            "run_id='run-1', step_key='op', name='result'), name='input')))")
    assert wrap_source_line(line) == [
        "print(manager.load_input(build_input_context(upstream_output=build_output_context(",
        "    run_id='run-1', step_key='op', name='result'), name='input')))",
    ]
