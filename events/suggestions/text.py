"""Short comment text as terms to match: folded words, light stems, stop words marked.

Table comments are a few words typed fast ("Increased CSO hours", "Detox/treatment beds"),
so the terms are built for that: accents and case folded, punctuation such as ``/``, dashes
and arrows split words, plurals and common suffixes are stripped so that "housing" meets
"houses" and "coordinated" meets "coordination". English only. The comment's own text is
never changed; this is the matching form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")

_STOP_WORDS = """
    a about above across after again against all also am among an and any are around as at
    be because been before being below between both but by can could did do does doing done
    down during e each eg etc even every few for from further g had has have having he her here
    hers him his how i ie if in into is it its itself just let like may me might more most much
    must my no nor not now of off on once one only or other our ours out over own per re same
    she should so some such than that the their theirs them then there these they this those
    through to too under until up upon us very via vs was we were what when where which while
    who whom why will with within without would yet you your
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
"""Function words: they carry no idea of their own in a comment this short."""

_GENERIC_STEMS = """
    add address allow better bring continu creat effect effort enabl enhanc ensur further
    get good great help improv increas keep make need new provid put support take use
"""
GENERIC_STEMS = frozenset(_GENERIC_STEMS.split())
"""Stems of words that frame a point rather than make it ("increase", "improve", "need")."""

_SUFFIX_LIST = """
    izations isations ization isation ations ation atives ative abilities ibilities ability
    ibility ities ments ment ness ings ing ating ions ion ives ive able ible ated ates ate ized
    ised izes ises ize ise ity ers er ed es e
"""
_SUFFIXES = sorted(_SUFFIX_LIST.split(), key=len, reverse=True)
"""Tried longest first; a suffix is stripped only if four letters remain."""
_KEEP_DOUBLE = frozenset("lsfz")
_SPELLING = {
    "center": "centre",
    "centers": "centres",
    "defense": "defence",
    "offense": "offence",
    "offenses": "offences",
    "neighborhood": "neighbourhood",
    "neighborhoods": "neighbourhoods",
    "behavior": "behaviour",
}
"""US spellings typed on a tablet, folded to the Canadian ones the meetings use."""


@dataclass(frozen=True, slots=True)
class Token:
    """One word: ``stem`` to match any case; ``caps`` when typed as an acronym ("ACT", "CSOs")."""

    stem: str
    caps: str | None
    stop: bool


def fold(text: str) -> str:
    """Text without accents, in one normal form, with typographic apostrophes made plain."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("\u2018", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A light, rule-based stem of a lower-case word; consistent rather than linguistic."""
    if word.isdigit() or len(word) <= 3:
        return word
    word = _SPELLING.get(word, word)
    if word.endswith(("ies", "ied")) and len(word) > 4:
        return stem(word[:-3] + "y")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            base = word[: -len(suffix)]
            doubled = len(base) > 4 and base[-1] == base[-2] and base[-1] not in _KEEP_DOUBLE
            if suffix[0] in "ie" and doubled:
                base = base[:-1]
            return base[:-1] if base.endswith("e") and len(base) > 4 else base
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[Token]:
    """The words of ``text`` in order, each with its stem; stop words kept but marked."""
    found: list[Token] = []
    for match in _WORD.finditer(fold(text)):
        raw = match.group()
        if raw.endswith(("'s", "'S")):
            raw = raw[:-2]
        raw = raw.replace("'", "")
        bare = raw[:-1] if raw.endswith("s") and len(raw) > 2 else raw
        caps = bare if bare.isupper() else None
        lower = raw.casefold()
        found.append(Token(stem(lower), caps, lower in STOP_WORDS))
    return found
