r"""LIKE patterns and portable regexes as Lucene wildcard and regexp syntax.

Both results match a whole keyword term, as Lucene does.

* :func:`like_to_wildcard`: SQL ``%`` and ``_`` become ``*`` and ``?``; a
  backslash escapes the next character (like ``like_to_regex`` in the shared
  evaluator); Lucene's own metacharacters ``* ? \`` are escaped.
* :func:`regex_to_lucene`: the portable subset (literals, ``.``, ``*``, ``+``,
  ``?``, ``[...]``, ``|``, ``(...)``, ``^``, ``$``) as an unanchored search.
  Lucene regexps are anchored, so each top-level alternative is wrapped in
  ``.*`` unless it starts with ``^`` / ends with ``$``. Every literal that is
  not a letter or digit is escaped, which also neutralises Lucene-only
  operators (``@ & ~ < > # "``). Anchors anywhere else, and possessive
  quantifiers, have no Lucene form: the function returns None and the query
  runs that filter in Python.
"""

from __future__ import annotations

__all__ = ["like_to_wildcard", "regex_to_lucene"]

_WILDCARD_META = frozenset("*?\\")
_QUANTIFIERS = frozenset("*+?")


def _lit(ch: str) -> str:
    return ch if ch.isalnum() else "\\" + ch


def like_to_wildcard(pattern: str) -> str:
    r"""Translate a LIKE pattern to a Lucene wildcard pattern.

    Example:
        >>> like_to_wildcard("a%b_c*")
        'a*b?c\\*'
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            literal = pattern[i + 1]
            out.append("\\" + literal if literal in _WILDCARD_META else literal)
            i += 2
            continue
        if ch == "%":
            out.append("*")
        elif ch == "_":
            out.append("?")
        else:
            out.append("\\" + ch if ch in _WILDCARD_META else ch)
        i += 1
    return "".join(out)


def _split_alternatives(pattern: str) -> list[str]:
    """Split at top-level ``|`` (outside groups and classes)."""
    parts: list[str] = []
    depth = 0
    in_class = False
    start = 0
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            if ch == "]" and not _class_opening(pattern, i):
                in_class = False
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _class_opening(pattern: str, i: int) -> bool:
    """Whether the ``]`` at ``i`` is a literal first member of its class (``[]a]``, ``[^]a]``)."""
    j = i - 1
    if j >= 0 and pattern[j] == "^":
        j -= 1
    return j >= 0 and pattern[j] == "[" and (j == 0 or pattern[j - 1] != "\\")


def _class(pattern: str, i: int) -> tuple[str, int]:
    """Translate the class starting at ``pattern[i] == '['``; return it and the next index."""
    i += 1
    negate = pattern[i : i + 1] == "^"
    if negate:
        i += 1
    members: list[tuple[str, str]] = []  # (low, high) characters
    first = True
    while i < len(pattern):
        ch = pattern[i]
        if ch == "]" and not first:
            break
        first = False
        if ch == "\\":
            ch = pattern[i + 1]
            i += 2
        else:
            i += 1
        if pattern[i : i + 1] == "-" and pattern[i + 1 : i + 2] not in ("]", ""):
            high = pattern[i + 1]
            i += 2
            if high == "\\":
                high = pattern[i]
                i += 1
            members.append((ch, high))
        else:
            members.append((ch, ch))
    body = "".join(_lit(lo) if lo == hi else f"{_lit(lo)}-{_lit(hi)}" for lo, hi in members)
    return ("[^" if negate else "[") + body + "]", i + 1


def _body(part: str) -> str | None:
    """Translate one alternative without its leading ``^`` / trailing ``$``."""
    out: list[str] = []
    i = 0
    previous_quantifier = False
    while i < len(part):
        ch = part[i]
        quantifier = False
        if ch == "\\":
            out.append(_lit(part[i + 1]))
            i += 2
        elif ch == "[":
            text, i = _class(part, i)
            out.append(text)
        elif ch in ("^", "$"):
            return None
        elif ch in _QUANTIFIERS:
            if previous_quantifier:
                if ch != "?":  # possessive (Python 3.11+): no Lucene form
                    return None
                i += 1  # lazy: the same set of matches when searching
                continue
            out.append(ch)
            quantifier = True
            i += 1
        elif ch in "()|.":
            if ch == "(" and part[i + 1 : i + 2] == ")":
                out.append("()")
                i += 2
                continue
            out.append(ch)
            i += 1
        else:
            out.append(_lit(ch))
            i += 1
        previous_quantifier = quantifier
    return "".join(out)


def regex_to_lucene(pattern: str) -> str | None:
    r"""Translate a portable regex (unanchored search) to a Lucene regexp, or None.

    Example:
        >>> regex_to_lucene("^ab+c")
        '(ab+c.*)'
        >>> regex_to_lucene("x@y$|z")
        '(.*x\\@y|.*z.*)'
        >>> regex_to_lucene("a(^b)") is None
        True
    """
    alternatives: list[str] = []
    for part in _split_alternatives(pattern):
        head = part.startswith("^")
        if head:
            part = part[1:]
        tail = part.endswith("$") and not _escaped(part, len(part) - 1)
        if tail:
            part = part[:-1]
        body = _body(part)
        if body is None:
            return None
        alternatives.append(("" if head else ".*") + body + ("" if tail else ".*"))
    return "(" + "|".join(alternatives) + ")"


def _escaped(text: str, i: int) -> bool:
    backslashes = 0
    j = i - 1
    while j >= 0 and text[j] == "\\":
        backslashes += 1
        j -= 1
    return backslashes % 2 == 1
