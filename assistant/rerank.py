"""Optional cross-encoder reranking of retrieved passages.

Off by default: it runs only when `settings.models.reranker` (LEGAL_ASSISTANT_RERANKER) names a
local sentence-transformers CrossEncoder folder. No multilingual cross-encoder is shipped with
the project, so retrieval does not depend on one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.records import Passage
from assistant.retrieve import renumber
from store.errors import ConfigurationError


@dataclass(frozen=True)
class Reranker:
    """A CrossEncoder that scores (question, passage text) pairs; higher is more relevant."""

    model: Any  # sentence_transformers.CrossEncoder
    batch_size: int = 16

    def scores(self, question: str, passages: Sequence[Passage]) -> list[float]:
        if not passages:
            return []
        pairs = [(question, p.text) for p in passages]
        return [float(s) for s in self.model.predict(pairs, batch_size=self.batch_size)]


@lru_cache(maxsize=2)
def load_reranker(folder: str) -> Reranker | None:
    """The CrossEncoder in `folder`, or None when `folder` is empty (reranking off)."""
    if not folder:
        return None
    path = Path(folder)
    if not path.is_dir():
        raise ConfigurationError(f"Reranker folder not found: {folder}")
    from sentence_transformers import CrossEncoder

    return Reranker(CrossEncoder(str(path), num_labels=1, device="cpu"))


def rerank(
    question: str, passages: Sequence[Passage], reranker: Reranker | None
) -> list[Passage]:
    """`passages` ordered by the cross-encoder's score (ties keep retrieval order), ranks
    renumbered from 1; unchanged when `reranker` is None. Texts and offsets are untouched."""
    if reranker is None or len(passages) < 2:
        return list(passages)
    scores = reranker.scores(question, passages)
    order = sorted(range(len(passages)), key=lambda i: (-scores[i], i))
    return renumber([passages[i] for i in order])
