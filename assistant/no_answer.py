"""Features of a question against its best candidates for the no-answer decision (do the best
passages answer the question, or only share its topic?). bench/train_no_answer.py fits a
logistic model on them in the mixed store and compares it with the relevance floor the
assistant uses (assistant/retrieve.py:relevance_score); it does not beat the floor there
(docs/benchmarks.md), so no model is wired in."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from assistant.answer_types import expected_answer, sentences_stating
from assistant.fusion import FusedChunk

FEATURES = (
    "top_window",  # best 2-sentence coverage of the question's terms among the top 3 chunks
    "unknown_share",  # share of the question's terms found in no candidate
    "top_dense",  # best chunk cosine among the top 3
    "top_sentence",  # best sentence-window cosine among the top 3
    "dense_margin",  # top_dense above the median cosine of all candidates
    "answer_type_missing",  # asks how much / when, and no top-3 sentence states a sum / date
    "spread",  # distinct judgments among the top 5, over 5
)


def no_answer_features(
    question: str, ranked: Sequence[FusedChunk], top_window: float, unknown_share: float
) -> dict[str, float]:
    """The features of `question` against its candidates in rank order."""
    top = list(ranked[:3])
    dense = [f.dense_score for f in ranked if f.dense_score is not None]
    top_dense = max((f.dense_score for f in top if f.dense_score is not None), default=0.0)
    top_sentence = max(
        (f.sentence_score if f.sentence_score is not None else f.dense_score or 0.0
         for f in top), default=0.0)  # fmt: skip
    kind = expected_answer(question)
    missing = bool(kind) and not any(
        any(sentences_stating(f.chunk.text, kind)) for f in top  # type: ignore[arg-type]
    )
    judgments = {f.chunk.judgment_id for f in ranked[:5]}
    return {
        "top_window": top_window,
        "unknown_share": unknown_share,
        "top_dense": top_dense,
        "top_sentence": top_sentence,
        "dense_margin": top_dense - statistics.median(dense) if dense else 0.0,
        "answer_type_missing": float(missing),
        "spread": len(judgments) / 5,
    }
