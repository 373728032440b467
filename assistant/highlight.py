"""The one to three sentences of a passage that best answer the question.

Sentences are found by offsets inside the passage text, so every highlight is an exact substring.
Scoring is lexical (French stems, accents folded) weighted by how rare a term is among the
candidate sentences, so the words that carry the question count most. The court's words that the
thesaurus adds to the question ("facture" for "invoice", "suspension" for "couper") count at
half weight, as in retrieval: an English or everyday question highlights the French sentence.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from assistant.expand import expand
from assistant.records import Highlight
from store.lexical import analyze
from store.sentences import Span, sentence_spans

_MIN_SENTENCE_CHARS = 25
ADDED_TERM_WEIGHT = 0.5  # a thesaurus term, against 1 for the question's own


def _weights(
    query_terms: dict[str, float], sentence_terms: Sequence[set[str]]
) -> dict[str, float]:
    df = Counter(t for terms in sentence_terms for t in terms & query_terms.keys())
    n = max(len(sentence_terms), 1)
    return {
        t: share * (1.0 + math.log((n + 1) / (df.get(t, 0) + 0.5)))
        for t, share in query_terms.items()
    }


def question_weights(question: str, context_terms: Sequence[str] = ()) -> dict[str, float]:
    """The terms a sentence is matched on: the question's own (and `context_terms`) at 1, the
    thesaurus additions at ADDED_TERM_WEIGHT."""
    own = set(analyze(question)) | set(context_terms)
    terms = dict.fromkeys(expand(question).added, ADDED_TERM_WEIGHT)
    terms.update(dict.fromkeys(own, 1.0))
    return terms


def highlight(
    question: str, text: str, *, max_sentences: int = 3, context_terms: Sequence[str] = ()
) -> tuple[Highlight, ...]:
    """The best sentences of `text` for `question` (document order), each an exact substring.

    A sentence qualifies when it shares at least one content term with the question (or a
    thesaurus word for one) and scores at least half of the best sentence. Returns () when no
    sentence shares a term.
    """
    query_terms = question_weights(question, context_terms)
    if not query_terms:
        return ()
    spans = [s for s in sentence_spans(text) if s.end - s.start >= _MIN_SENTENCE_CHARS]
    if not spans:
        spans = sentence_spans(text)
    sentence_terms = [set(analyze(text[s.start : s.end])) for s in spans]
    weights = _weights(query_terms, sentence_terms)
    scored: list[tuple[float, Span]] = []
    for span, terms in zip(spans, sentence_terms, strict=True):
        matched = terms & query_terms.keys()
        if not matched:
            continue
        score = sum(weights[t] for t in matched) / math.sqrt(max(len(terms), 4) / 4 + 3)
        scored.append((score, span))
    if not scored:
        return ()
    best = max(score for score, _ in scored)
    chosen = sorted(
        (item for item in scored if item[0] >= best / 2), key=lambda item: -item[0]
    )[:max_sentences]
    return tuple(
        Highlight(text=text[s.start : s.end], start=s.start, end=s.end)
        for _, s in sorted(chosen, key=lambda item: item[1].start)
    )
