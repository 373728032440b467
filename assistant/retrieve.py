"""Hybrid retrieval: dense (Chroma) and lexical (BM25) candidates fused by reciprocal rank
fusion, filtered alike, then adjacent chunks of one judgment merged into passages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever

from assistant.citations import format_citation
from assistant.records import Passage
from assistant.settings import RetrievalSettings
from store.lexical import analyze
from store.records import Chunk, Hit, Judgment, SearchFilters
from store.store import Store

MAX_CHUNKS_PER_PASSAGE = 3


@dataclass
class FusedChunk:
    chunk: Chunk
    score: float
    dense_score: float | None = None
    lexical_score: float | None = None
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass
class Retrieval:
    """Passages in rank order plus the signals used to decide whether the corpus answers."""

    passages: list[Passage]
    fused: list[FusedChunk] = field(default_factory=list)
    top_dense: float = 0.0
    top_coverage: float = 0.0

    @property
    def relevance(self) -> float:
        return relevance_score(self.top_dense, self.top_coverage)


def relevance_score(top_dense: float, top_coverage: float) -> float:
    """One number compared with the no-answer floor: the best dense similarity, lifted when
    the best passage contains the question's rarer content terms."""
    return top_dense + 0.1 * top_coverage


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


def term_coverage(question: str, text: str) -> float:
    """Share of the question's distinct content terms that appear in `text`."""
    terms = set(analyze(question))
    if not terms:
        return 0.0
    return len(terms & set(analyze(text))) / len(terms)


def _merge_group(group: list[FusedChunk]) -> tuple[int, int, list[Chunk]]:
    chunks = sorted((f.chunk for f in group), key=lambda c: c.ordinal)
    return chunks[0].char_start, chunks[-1].char_end, chunks


def group_adjacent(fused: Sequence[FusedChunk], k: int) -> list[list[FusedChunk]]:
    """Up to `k` groups in rank order; a chunk adjacent to an already chosen chunk of the same
    judgment and section joins its group (at most MAX_CHUNKS_PER_PASSAGE chunks)."""
    groups: list[list[FusedChunk]] = []
    for item in fused:
        chunk = item.chunk
        for group in groups:
            first = group[0].chunk
            ordinals = {g.chunk.ordinal for g in group}
            if (
                first.judgment_id == chunk.judgment_id
                and first.section_path == chunk.section_path
                and len(group) < MAX_CHUNKS_PER_PASSAGE
                and (chunk.ordinal - 1 in ordinals or chunk.ordinal + 1 in ordinals)
            ):
                group.append(item)
                break
        else:
            if len(groups) >= k:
                continue
            groups.append([item])
    return groups


def build_passage(rank: int, group: list[FusedChunk], judgment: Judgment) -> Passage:
    start, end, chunks = _merge_group(group)
    first, last = chunks[0], chunks[-1]
    meta = judgment.meta
    fields = dict(
        section_path=first.section_path,
        section_kind=first.section_kind,
        paragraph_start=first.paragraph_start,
        paragraph_end=last.paragraph_end,
        page_start=first.page_start,
        page_end=last.page_end,
    )
    return Passage(
        rank=rank,
        score=round(max(f.score for f in group), 6),
        text=judgment.text[start:end],
        judgment=meta,
        char_start=start,
        char_end=end,
        citation=format_citation(meta, **fields),  # type: ignore[arg-type]
        chunk_ids=tuple(c.id for c in chunks),
        **fields,  # type: ignore[arg-type]
    )


def retrieve(
    question: str,
    store: Store,
    embeddings: Embeddings,
    *,
    filters: SearchFilters = SearchFilters(),
    k: int = 5,
    settings: RetrievalSettings | None = None,
    judgment_loader: Callable[[str], Judgment] | None = None,
) -> Retrieval:
    """The `k` best passages for `question` with the signals for the no-answer decision."""
    settings = settings or RetrievalSettings()
    load = judgment_loader or store.judgment
    dense: list[Hit] = []
    lexical: list[Hit] = []
    if settings.mode in ("hybrid", "dense"):
        vector = embeddings.embed_query(question)
        dense = store.dense_search(vector, settings.candidates, filters)
    if settings.mode in ("hybrid", "lexical"):
        lexical = store.lexical_search(question, settings.candidates, filters)
    fused = reciprocal_rank_fusion(dense, lexical, rrf_k=settings.rrf_k)
    groups = group_adjacent(fused, k)
    passages = [build_passage(i, g, load(g[0].chunk.judgment_id)) for i, g in enumerate(groups, 1)]
    top_dense = max((f.dense_score or 0.0 for g in groups[:3] for f in g), default=0.0)
    top_coverage = max((term_coverage(question, p.text) for p in passages[:3]), default=0.0)
    return Retrieval(passages, fused, top_dense, top_coverage)


class HybridRetriever(BaseRetriever):
    """LangChain retriever over the store: documents are passages, metadata their JSON form."""

    store: Store
    embeddings: Embeddings
    filters: SearchFilters = SearchFilters()
    k: int = 5
    settings: RetrievalSettings = RetrievalSettings()

    model_config = {"arbitrary_types_allowed": True}

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        result = retrieve(
            query, self.store, self.embeddings, filters=self.filters, k=self.k,
            settings=self.settings,
        )
        return [Document(page_content=p.text, metadata=p.to_json()) for p in result.passages]


def renumber(passages: Sequence[Passage]) -> list[Passage]:
    """Ranks 1..n in the given order."""
    return [replace(p, rank=i) for i, p in enumerate(passages, 1)]
