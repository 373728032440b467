"""Compose the answer a lawyer reads: a lead, then verified passages grouped by judgment, each
with its highlights and citation. Below the relevance floor, the answer declines."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from assistant.citations import judgment_citation
from assistant.highlight import highlight
from assistant.records import Answer, Passage, Synthesis
from assistant.verify import keep_verified

_ENGLISH_WORDS = {
    "the", "what", "was", "were", "is", "are", "did", "does", "which", "how", "who", "when",
    "why", "of", "for", "and", "provider", "court", "damages", "liable", "liability", "can",
}  # fmt: skip
_FRENCH_WORDS = {
    "le", "la", "les", "des", "du", "de", "un", "une", "est", "quel", "quelle", "quels",
    "quelles", "pour", "que", "qui", "il", "elle", "peut", "a-t-il", "au", "aux", "en",
}  # fmt: skip


def question_language(question: str) -> str:
    """'en' when the question reads as English, else 'fr' (the corpus language)."""
    words = re.findall(r"[a-zà-ÿ'-]+", question.lower())
    english = sum(w in _ENGLISH_WORDS for w in words)
    french = sum(w in _FRENCH_WORDS for w in words)
    return "en" if english > french else "fr"


def group_by_judgment(passages: Sequence[Passage]) -> list[Passage]:
    """Passages of one judgment together, judgments in the order of their best passage,
    renumbered from 1."""
    order: dict[str, list[Passage]] = {}
    for passage in sorted(passages, key=lambda p: p.rank):
        order.setdefault(passage.judgment.id, []).append(passage)
    grouped = [p for group in order.values() for p in group]
    return [replace(p, rank=i) for i, p in enumerate(grouped, 1)]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


def lead_text(passages: Sequence[Passage], *, no_answer: bool, language: str,
              unknown_words: Sequence[str] = ()) -> str:
    """'4 passages de 2 décisions : ...' — where the answer comes from, or that none does;
    then the words of the question that the corpus never uses, if any."""
    lead = _sources_text(passages, no_answer=no_answer, language=language)
    if unknown_words:
        quoted = ", ".join(f"« {word} »" for word in unknown_words)
        lead += (f" The corpus never uses: {quoted}." if language == "en"
                 else f" Le corpus n'emploie jamais : {quoted}.")
    return lead


def _sources_text(passages: Sequence[Passage], *, no_answer: bool, language: str) -> str:
    if not passages:
        return (
            "The corpus holds no passage for this question."
            if language == "en"
            else "Le corpus ne contient aucun passage pour cette question."
        )
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for p in passages:
        counts[p.judgment.id] = counts.get(p.judgment.id, 0) + 1
        names[p.judgment.id] = judgment_citation(p.judgment)
    sources = " ; ".join(f"{names[j]} ({counts[j]})" for j in counts)
    if no_answer:
        if language == "en":
            return (
                "No passage of the corpus answers this question. "
                f"Nearest passages, weak matches only: {sources}."
            )
        return (
            "Aucun passage du corpus ne répond à cette question. "
            f"Passages les plus proches, à titre indicatif seulement : {sources}."
        )
    if language == "en":
        return (
            f"{_plural(len(passages), 'passage')} from {_plural(len(counts), 'decision')}: "
            f"{sources}."
        )
    return (
        f"{_plural(len(passages), 'passage')} de {_plural(len(counts), 'décision')} : {sources}."
    )


def compose(
    question: str,
    passages: Sequence[Passage],
    judgment_texts: Mapping[str, str],
    *,
    no_answer: bool,
    standalone_question: str = "",
    synthesis: Synthesis | None = None,
    notice: str = "",
    strict: bool = False,
    unknown_words: Sequence[str] = (),
) -> Answer:
    """The extractive answer: highlighted, verified passages grouped by judgment, with a lead.

    Every passage and highlight is checked against the stored judgment text; a failure is
    raised when `strict` (tests) and dropped and logged otherwise. `unknown_words`: words of
    the question that no stored judgment uses, named in the lead.
    """
    searched = standalone_question or question
    highlighted = [replace(p, highlights=highlight(searched, p.text)) for p in passages]
    verified = keep_verified(highlighted, dict(judgment_texts), strict=strict)
    grouped = group_by_judgment(verified)
    language = question_language(question)
    return Answer(
        question=question,
        lead=lead_text(grouped, no_answer=no_answer, language=language,
                       unknown_words=unknown_words),
        passages=tuple(grouped),
        no_answer=no_answer or not grouped,
        synthesis=synthesis,
        notice=notice,
        standalone_question=searched,
    )
