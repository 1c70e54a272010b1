"""One line of plain text typed by a person: a comment, a theme title, a lead's message.

The same rule for all three: the ends are trimmed and nothing else is changed (accents,
arrows, emoji and right-to-left text are kept exactly); it must show something (text made
only of spaces, zero-width or other invisible characters looks empty and is refused); it has
a most length in code points; and it is one line (no control characters, no line or
paragraph separators).
"""

from __future__ import annotations

import unicodedata

from events.errors import DomainError

INVISIBLE = frozenset("\u115f\u1160\u2800\u3164\uffa0")
"""Letters that draw nothing (Hangul fillers, the blank Braille pattern), beside the
categories below."""
_BLANK = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"})
"""Categories that show nothing on their own: controls, format characters (zero-width
spaces and joiners, direction marks), spaces, separators and combining marks."""
_BREAKING = frozenset({"Cc", "Zl", "Zp"})


def visible(text: str) -> bool:
    """Whether ``text`` shows at least one character."""
    return any(ch not in INVISIBLE and unicodedata.category(ch) not in _BLANK for ch in text)


def clean_line(
    text: str,
    *,
    what: str,
    most: int,
    refused: type[DomainError],
    too_long: type[DomainError] | None = None,
) -> str:
    """``text`` as stored, or ``refused`` (``too_long`` for length) saying what is wrong with
    it; ``what`` names it in the message ("a comment")."""
    trimmed = text.strip()
    if not visible(trimmed):
        raise refused(f"{what} needs some text" + (" that shows" if trimmed else ""))
    if len(trimmed) > most:
        raise (too_long or refused)(
            f"{what} is at most {most} characters; this one has {len(trimmed)}"
        )
    bad = next((ch for ch in trimmed if unicodedata.category(ch) in _BREAKING), None)
    if bad is not None:
        raise refused(f"{what} cannot hold control characters (found U+{ord(bad):04X})")
    return trimmed
