"""Turn a short follow-up question into a standalone one, using the previous question.

Deterministic, no LLM. "et pour le préjudice moral ?" after "Quelles sont les conditions de la
responsabilité pour le préjudice matériel ?" becomes "Quelles sont les conditions de la
responsabilité pour le préjudice moral ?"; a follow-up that shares no word with the previous
question is searched together with the previous question's topic words. A question that stands
on its own is returned unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from assistant.records import Answer

# Openings that mark a follow-up, longest first after sorting (accents folded, lower case).
_MARKERS = (
    "et qu'en est-il de la",
    "et qu'en est-il des",
    "et qu'en est-il du",
    "et qu'en est-il de",
    "et qu'en est-il",
    "qu'en est-il de la",
    "qu'en est-il des",
    "qu'en est-il du",
    "qu'en est-il de l'",
    "qu'en est-il de",
    "qu'en est-il",
    "et concernant",
    "et s'agissant",
    "et en ce qui concerne",
    "et quant a",
    "et quant au",
    "et quant aux",
    "et pour",
    "et sur",
    "et si",
    "et",
    "quid de",
    "quid du",
    "quid des",
    "quid",
    "meme question pour",
    "meme question",
    "and what about",
    "what about",
    "how about",
    "and for",
    "and the",
    "and",
)
_MARKERS_SORTED = sorted(_MARKERS, key=len, reverse=True)

# Function words that carry no topic (French and English), accents folded.
_STOP = frozenset(
    """
    a au aux avec ce ces cet cette dans de des du en est et il ils elle elles la le les leur leurs
    l d qu que qui quoi quel quelle quels quelles sont sur pour par plus pas ne se sa son ses un une
    y ou ou comment quand lorsque peut peuvent doit doivent faut-il est-il est-elle sont-ils
    etre avoir a-t-il a-t-elle il-y ainsi donc alors cas ca cela ceci ete
    the a an of to for in on and or what which who how is are was were be does do did can could
    about with by as at from this that these those it its there
    """.split()  # noqa: SIM905
)

_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
_ENGLISH_HINTS = frozenset({"the", "and", "what", "about", "how", "of", "for", "which"})


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _content_words(text: str) -> list[str]:
    words = []
    for raw in _WORD.findall(text):
        word = _fold(raw).strip("'-")
        word = re.sub(r"^(l|d|qu|s|n|c|j)'", "", word)
        if len(word) > 1 and word not in _STOP:
            words.append(word)
    return words


def _strip_marker(question: str) -> tuple[str, bool]:
    """The question without its follow-up opening, and whether it had one."""
    text = question.strip()
    folded = _fold(text)
    for marker in _MARKERS_SORTED:
        if (
            folded == marker
            or folded.startswith(marker + " ")
            or (marker.endswith("'") and folded.startswith(marker))
        ):
            rest = text[len(marker) :].lstrip(" ,:")
            return rest, True
    return text, False


def _core(rest: str) -> str:
    """Follow-up focus without trailing punctuation and leading articles/prepositions."""
    core = rest.strip().rstrip("?!. ").strip()
    while True:
        words = core.split(maxsplit=1)
        if len(words) == 2 and _fold(words[0]) in {
            "le",
            "la",
            "les",
            "l'",
            "du",
            "des",
            "de",
            "d'",
            "au",
            "aux",
            "the",
            "of",
            "for",
        }:
            core = words[1]
            continue
        if core[:2].lower() in {"l'", "d'", "l’", "d’"}:
            core = core[2:]
            continue
        return core


def is_followup(question: str) -> bool:
    """True for a short question that leans on the previous one ("et pour le préjudice moral ?",
    "qu'en est-il des factures ?", "and the damages?"), False for a self-contained question."""
    rest, has_marker = _strip_marker(question)
    content = _content_words(rest)
    if has_marker:
        return len(content) <= 4
    return len(content) <= 1 and len(question.split()) <= 3


def _substitute(previous: str, core: str, english: bool) -> str | None:
    """Replace, in the previous question, the phrase that shares its head word with `core`
    ("préjudice matériel" → "préjudice moral"); None when no word is shared."""
    core_words = _content_words(core)
    if not core_words:
        return None
    tokens = list(_WORD.finditer(previous))
    folded = [_fold(t.group()).strip("'-") for t in tokens]
    for i, word in enumerate(folded):
        if word in core_words and word not in _STOP:
            start, end = tokens[i].start(), tokens[i].end()
            if english:
                # the modifier precedes the head: "material damage" → "moral damage"
                if i > 0 and folded[i - 1] not in _STOP and folded[i - 1] not in core_words:
                    start = tokens[i - 1].start()
            else:
                # the modifier follows the head: "préjudice matériel" → "préjudice moral"
                if (
                    i + 1 < len(tokens)
                    and folded[i + 1] not in _STOP
                    and folded[i + 1] not in core_words
                ):
                    end = tokens[i + 1].end()
            return previous[:start] + core + previous[end:]
    return None


def standalone_question(question: str, history: Sequence[Answer]) -> str:
    """The question as it should be searched, given the conversation so far.

    A self-contained question, or any question without history, is returned unchanged.
    """
    if not history or not is_followup(question):
        return question
    last = history[-1]
    previous = (last.standalone_question or last.question).strip()
    if not previous:
        return question
    rest, _ = _strip_marker(question)
    core = _core(rest)
    if not core:
        return previous
    english = any(_fold(w) in _ENGLISH_HINTS for w in _WORD.findall(question))
    substituted = _substitute(previous, core, english)
    if substituted is not None:
        return substituted
    topic = [w for w in _content_words(previous) if w not in set(_content_words(core))]
    return f"{core} — {previous.rstrip(' ?!.')} ?" if topic else core
