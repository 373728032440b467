"""Query expansion from a small curated French legal thesaurus (`data/thesaurus_fr.json`) and,
for a question worded in English, a general English → French legal glossary
(`data/glossary_en_fr.json`).

A question phrased in everyday words or in English ("couper le service", "liable", "invoice")
is searched with the court's terms too ("suspension", "exception d'inexécution",
"responsabilité", "facture"). Matching and expansion work on analysed terms (French stems,
accents folded), so inflections and missing accents match alike.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from store.lexical import STOP_WORDS, analyze, fold

_WORD = re.compile(r"[^\W_]+")
THESAURUS_PATH = Path(__file__).with_name("data") / "thesaurus_fr.json"
GLOSSARY_PATH = Path(__file__).with_name("data") / "glossary_en_fr.json"

# English function words, dropped from a question's terms (the French ones are already stop
# words of `analyze`); they are absent from a French corpus and would read as unknown terms.
_ENGLISH_STOP_TEXT = """
    a about after all also am and any are as at be because been before being between both
    but by can could did do does doing done for from had has have having he her his how if
    in into is it its may might more most must no nor not of on or other our out over own
    same shall she should so some such than that the their them then there these they this
    those through to too under until up upon was we were what when where which while who
    whom why will with would you your
"""
ENGLISH_STOP_WORDS = frozenset(_ENGLISH_STOP_TEXT.split())


@dataclass(frozen=True)
class Group:
    """French phrases for one notion (`phrases`), and the other wordings that call it up."""

    phrases: tuple[tuple[str, ...], ...]  # analysed
    triggers: tuple[tuple[str, ...], ...]  # analysed: phrases + 'from'
    texts: tuple[str, ...]  # the French phrases as written


@dataclass(frozen=True)
class Expansion:
    """The question's own terms and the terms added by the thesaurus (none repeated)."""

    question: str
    terms: tuple[str, ...]
    added: tuple[str, ...]
    phrases: tuple[str, ...]  # the French phrases whose terms were added
    alternatives: dict[str, frozenset[str]] = field(default_factory=dict)  # own term -> added


def is_english(question: str) -> bool:
    """Whether the question is worded in English: two or more English function words that are
    not French words too ("the", "was", "did"; not "a", "on", "son")."""
    words = _WORD.findall(fold(question))
    return sum(1 for w in words if w in ENGLISH_STOP_WORDS and w not in STOP_WORDS) >= 2


def question_words(question: str) -> list[tuple[str, str]]:
    """(word as written, its index term) for each distinct content word of a French
    question: no stop words, numbers or words under three letters."""
    found: dict[str, str] = {}
    for word in re.findall(r"[^\W\d_]{3,}(?:-[^\W\d_]+)*", question):
        terms = analyze(word)
        if len(terms) == 1 and terms[0] not in found.values():
            found[word] = terms[0]
    return list(found.items())


def question_terms(question: str) -> list[str]:
    """`analyze(question)` without English function words (dropped before stemming)."""
    words = _WORD.findall(fold(question))
    return analyze(" ".join(w for w in words if w not in ENGLISH_STOP_WORDS))


def _analysed(phrase: str) -> tuple[str, ...]:
    return tuple(question_terms(phrase))


@lru_cache(maxsize=4)
def load_thesaurus(path: Path = THESAURUS_PATH) -> tuple[Group, ...]:
    """The thesaurus groups; phrases that analyse to no term are ignored."""
    data = json.loads(path.read_text(encoding="utf-8"))
    groups = []
    for entry in data["groups"]:
        phrases = [p for p in entry["phrases"] if _analysed(p)]
        triggers = {_analysed(p) for p in [*phrases, *entry.get("from", [])]} - {()}
        groups.append(
            Group(tuple(_analysed(p) for p in phrases), tuple(sorted(triggers)), tuple(phrases))
        )
    return tuple(groups)


@lru_cache(maxsize=4)
def load_glossary(path: Path = GLOSSARY_PATH) -> tuple[Group, ...]:
    """The glossary's entries as groups: English wordings call up the French ones (never the
    reverse: a French question is not expanded by it)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    groups = []
    for entry in data["entries"]:
        phrases = [p for p in entry["fr"] if _analysed(p)]
        triggers = {_analysed(w) for w in entry["en"]} - {()}
        if phrases and triggers:
            groups.append(Group(tuple(_analysed(p) for p in phrases), tuple(sorted(triggers)),
                                tuple(phrases)))
    return tuple(groups)


def _contains(terms: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(terms[i : i + n]) == phrase for i in range(len(terms) - n + 1))


def expand(question: str, groups: tuple[Group, ...] | None = None) -> Expansion:
    """The question's terms plus those of every thesaurus group one of its wordings matches
    (by default the packaged thesaurus, and for an English question the glossary too; computed
    once per question: ranking and each passage's highlights ask for it). Callers must not
    modify the result."""
    if groups is None:
        return _expand_with_thesaurus(question)
    return _expand(question, groups)


@lru_cache(maxsize=1024)
def _expand_with_thesaurus(question: str) -> Expansion:
    glossary = load_glossary() if is_english(question) else ()
    return _expand(question, load_thesaurus() + glossary)


def _expand(question: str, groups: tuple[Group, ...]) -> Expansion:
    terms = question_terms(question)
    present = set(terms)
    own = list(dict.fromkeys(terms))
    added: dict[str, None] = {}
    phrases: list[str] = []
    alternatives: dict[str, set[str]] = {}
    for group in groups:
        matched = [t for t in group.triggers if t[0] in present and _contains(terms, t)]
        if not matched:
            continue
        phrases.extend(group.texts)
        group_terms = {t for phrase in group.phrases for t in phrase}
        for phrase in group.phrases:
            added.update((t, None) for t in phrase if t not in own)
        for trigger in matched:
            for term in trigger:
                alternatives.setdefault(term, set()).update(group_terms - {term})
    return Expansion(
        question, tuple(own), tuple(added), tuple(phrases),
        {t: frozenset(a) for t, a in alternatives.items()},
    )


def lexical_query(
    question: str, *, own_weight: int = 2, groups: tuple[Group, ...] | None = None
) -> str:
    """A query string for BM25 (which analyses it again, so words, not stems): the question
    `own_weight` times, then the thesaurus phrases it calls up once (BM25 sums repeated query
    terms, so the question's own words weigh more)."""
    return " ".join([question] * own_weight + list(expand(question, groups).phrases))
