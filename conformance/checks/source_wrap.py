"""Wrap one long line of generated Python source after commas and opening brackets inside
brackets, so reproductions read well in 100 columns and still compile (a line break inside
brackets never changes what the code means)."""

from __future__ import annotations

import io
import tokenize

__all__ = ["wrap_source_line"]


def _break_points(line: str) -> list[int]:
    """Offsets just after each opening bracket and each comma inside brackets (never inside a
    string)."""
    points: list[int] = []
    depth = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(line + "\n").readline):
            if token.type != tokenize.OP:
                continue
            if token.string in "([{":
                depth += 1
                points.append(token.end[1])
            elif token.string in ")]}":
                depth -= 1
            elif token.string == "," and depth > 0:
                points.append(token.end[1])
    except (tokenize.TokenError, SyntaxError):
        return []
    return points


def wrap_source_line(line: str, width: int = 92, indent: str = "    ") -> list[str]:
    """``line`` as lines of at most ``width`` characters where brackets allow it
    (continuations start with ``indent``); a line without brackets is kept whole."""
    if len(line) <= width:
        return [line]
    points = _break_points(line)
    pieces: list[str] = []
    start, prefix = 0, ""
    while len(prefix) + len(line) - start > width:
        limit = start + width - len(prefix)
        fitting = [p for p in points if start < p <= limit]
        if not fitting:
            later = [p for p in points if p > start]
            if not later:
                break
            fitting = [later[0]]
        cut = fitting[-1]
        pieces.append(prefix + line[start:cut].rstrip())
        start, prefix = cut, indent
        while start < len(line) and line[start] == " ":
            start += 1
    pieces.append(prefix + line[start:])
    return pieces
