"""Reciprocal rank fusion of the dense and lexical candidate lists into one ranked list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from store.records import Chunk, Hit


@dataclass
class FusedChunk:
    chunk: Chunk
    score: float
    dense_score: float | None = None
    lexical_score: float | None = None
    dense_rank: int | None = None
    lexical_rank: int | None = None
    window: float = 0.0  # best sentence-window coverage of the question's terms
    sentence_score: float | None = None  # best sentence window's dense similarity
    window_similarities: tuple[float, ...] = ()  # each stored sentence window's, in order


def reciprocal_rank_fusion(
    dense: Sequence[Hit], lexical: Sequence[Hit], *, rrf_k: int = 60,
    dense_weight: float = 1.0, lexical_weight: float = 1.0,
) -> list[FusedChunk]:
    """Fuse two ranked lists: score = sum of weight / (rrf_k + rank)."""
    fused: dict[str, FusedChunk] = {}
    for hit in dense:
        item = fused.setdefault(hit.chunk.id, FusedChunk(hit.chunk, 0.0))
        item.score += dense_weight / (rrf_k + hit.rank)
        item.dense_score, item.dense_rank = hit.score, hit.rank
    for hit in lexical:
        item = fused.setdefault(hit.chunk.id, FusedChunk(hit.chunk, 0.0))
        item.score += lexical_weight / (rrf_k + hit.rank)
        item.lexical_score, item.lexical_rank = hit.score, hit.rank
    return sorted(fused.values(), key=lambda f: (-f.score, f.chunk.id))
