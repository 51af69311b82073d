r"""LIKE and portable-regex patterns rewritten for PostgreSQL, over both text domains.

Plain strings are stored as jsonb strings and never contain U+0000 or U+0001; strings
that do are stored escaped (:func:`~.storage.escape_text`: U+0000 -> U+0001 U+0001,
U+0001 -> U+0001 U+0002). Each pattern therefore has two translations: one for plain
text (PostgreSQL LIKE, or an ARE regex) and one ARE regex for escaped text, in which
one original character is ``[^\x01]`` or ``\x01`` followed by one character.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["like_escaped_regex", "like_plain", "regex_escaped", "regex_plain"]

# Nothing in plain text is U+0001, and in escaped text U+0001 is followed by U+0001/U+0002.
_NEVER_PLAIN = "\\u0001"
_NEVER_ESCAPED = "(?:\\u0001\\u0003)"
_ONE_ESCAPED = "(?:[^\\u0001]|\\u0001.)"


def _char(cp: int) -> str:
    """An ARE character-entry escape (valid inside and outside brackets)."""
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


def _literal(ch: str) -> str:
    return ch if ch.isalnum() and ch.isascii() else _char(ord(ch))


@dataclass(frozen=True)
class _Class:
    negated: bool
    ranges: tuple[tuple[int, int], ...]

    def holds(self, cp: int) -> bool:
        inside = any(lo <= cp <= hi for lo, hi in self.ranges)
        return inside != self.negated


_Token = str | tuple[str, str] | _Class  # operator text | ("lit", ch) | ("any", "") | class


def _parse_class(pattern: str, i: int) -> tuple[_Class, int]:
    """Parse a ``[...]`` starting after ``[``; return the class and the index after ``]``."""
    negated = pattern[i : i + 1] == "^"
    if negated:
        i += 1
    chars: list[tuple[int, bool]] = []  # (code point, was a plain '-')
    first = True
    while i < len(pattern):
        ch = pattern[i]
        if ch == "]" and not first:
            i += 1
            break
        if ch == "\\" and i + 1 < len(pattern):
            chars.append((ord(pattern[i + 1]), False))
            i += 2
        else:
            chars.append((ord(ch), ch == "-"))
            i += 1
        first = False
    ranges: list[tuple[int, int]] = []
    j = 0
    while j < len(chars):
        cp = chars[j][0]
        if j + 2 < len(chars) and chars[j + 1][1]:
            ranges.append((cp, chars[j + 2][0]))
            j += 3
        else:
            ranges.append((cp, cp))
            j += 1
    return _Class(negated, tuple(ranges)), i


def _tokens(pattern: str) -> list[_Token]:
    out: list[_Token] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(("lit", pattern[i + 1]))
            i += 2
        elif ch == "[":
            cls, i = _parse_class(pattern, i + 1)
            out.append(cls)
        elif ch == ".":
            out.append(("any", ""))
            i += 1
        elif ch in "*+?|()^$":
            out.append(ch)
            i += 1
        else:
            out.append(("lit", ch))
            i += 1
    return out


def _items(ranges: tuple[tuple[int, int], ...], floor: int) -> str:
    """Bracket items for ``ranges`` clipped to code points >= ``floor``."""
    parts = []
    for lo, hi in ranges:
        if hi < floor:
            continue
        lo = max(lo, floor)
        parts.append(_char(lo) if lo == hi else f"{_char(lo)}-{_char(hi)}")
    return "".join(parts)


def _class_plain(cls: _Class) -> str:
    # U+0000 and U+0001 never occur in plain text (and U+0000 cannot be written).
    items = _items(cls.ranges, 2)
    if cls.negated:
        return f"[^{items}]" if items else "."
    return f"[{items}]" if items else _NEVER_PLAIN


def _class_escaped(cls: _Class) -> str:
    items = _items(cls.ranges, 2)
    alternatives: list[str] = []
    if cls.negated:
        alternatives.append(f"[^{items}\\u0001]")
    elif items:
        alternatives.append(f"[{items}]")
    if cls.holds(0):
        alternatives.append("\\u0001\\u0001")
    if cls.holds(1):
        alternatives.append("\\u0001\\u0002")
    if not alternatives:
        return _NEVER_ESCAPED
    return "(?:" + "|".join(alternatives) + ")"


def _literal_escaped(ch: str) -> str:
    if ch == "\x00":
        return "(?:\\u0001\\u0001)"
    if ch == "\x01":
        return "(?:\\u0001\\u0002)"
    return _literal(ch)


def regex_plain(pattern: str) -> str:
    """The ARE regex for plain text of a portable-subset pattern (unanchored search)."""
    out: list[str] = []
    for tok in _tokens(pattern):
        if isinstance(tok, _Class):
            out.append(_class_plain(tok))
        elif isinstance(tok, tuple):
            kind, ch = tok
            if kind == "any":
                out.append(".")
            else:
                out.append(_NEVER_PLAIN if ch in "\x00\x01" else _literal(ch))
        else:
            out.append(tok)
    return "".join(out)


def regex_escaped(pattern: str) -> str:
    """The ARE regex for escaped text of a portable-subset pattern."""
    out: list[str] = []
    for tok in _tokens(pattern):
        if isinstance(tok, _Class):
            out.append(_class_escaped(tok))
        elif isinstance(tok, tuple):
            kind, ch = tok
            out.append(_ONE_ESCAPED if kind == "any" else _literal_escaped(ch))
        else:
            out.append(tok)
    return "".join(out)


def _like_tokens(pattern: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(("lit", pattern[i + 1]))
            i += 2
            continue
        out.append((ch, "") if ch in "%_" else ("lit", ch))
        i += 1
    return out


def like_plain(pattern: str) -> str | None:
    r"""The PostgreSQL LIKE pattern (``ESCAPE '\'``) for plain text; None: cannot match."""
    out: list[str] = []
    for kind, ch in _like_tokens(pattern):
        if kind != "lit":
            out.append(kind)
        elif ch in "\x00\x01":
            return None
        else:
            out.append("\\" + ch if ch in "%_\\" else ch)
    return "".join(out)


def like_escaped_regex(pattern: str) -> str:
    """An anchored ARE regex matching escaped text exactly when LIKE matches the original."""
    out: list[str] = ["^"]
    for kind, ch in _like_tokens(pattern):
        if kind == "%":
            out.append(_ONE_ESCAPED + "*")
        elif kind == "_":
            out.append(_ONE_ESCAPED)
        else:
            out.append(_literal_escaped(ch))
    out.append("$")
    return "".join(out)


def like_escape(text: str) -> str:
    """Escape LIKE wildcards so ``text`` matches itself literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
