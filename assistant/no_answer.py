"""Whether the best passages answer the question, not only share its topic: features of the
question against its best candidates, and the logistic model over them that
bench/train_no_answer.py fits on the development questions in the mixed store
(assistant/data/no_answer-v1.json)."""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.answer_types import expected_answer, sentences_stating
from assistant.fusion import FusedChunk

MODEL_PATH = Path(__file__).with_name("data") / "no_answer-v1.json"
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


@dataclass(frozen=True)
class NoAnswerModel:
    """Logistic regression on standardised features: the probability that the best passages
    answer; below `threshold` the assistant declines."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def probability(self, values: Mapping[str, float]) -> float:
        z = self.intercept + sum(
            c * (values[name] - m) / s
            for name, m, s, c in zip(self.features, self.mean, self.scale, self.coef, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def declines(self, values: Mapping[str, float]) -> bool:
        return self.probability(values) < self.threshold


def model_from_json(data: Mapping[str, object]) -> NoAnswerModel:
    def floats(key: str) -> tuple[float, ...]:
        return tuple(float(x) for x in data[key])  # type: ignore[attr-defined]

    features = tuple(str(x) for x in data["features"])  # type: ignore[attr-defined]
    unknown = set(features) - set(FEATURES)
    if unknown:
        raise ValueError(f"no-answer model uses unknown features {sorted(unknown)}")
    return NoAnswerModel(features, floats("mean"), floats("scale"), floats("coef"),
                         float(data["intercept"]), float(data["threshold"]))  # type: ignore[arg-type]  # fmt: skip


@lru_cache(maxsize=4)
def load_no_answer_model(path: Path = MODEL_PATH) -> NoAnswerModel:
    return model_from_json(json.loads(path.read_text(encoding="utf-8")))
