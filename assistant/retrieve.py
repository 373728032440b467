"""Hybrid retrieval in one pass: dense (Chroma) and lexical (BM25) candidates fused by
reciprocal rank fusion (assistant/fusion.py) and filtered alike; their features
(assistant/features.py) ordered by the learned ranker (assistant/ranker.py); adjacent chunks of
one judgment merged into passages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever

from assistant.case_match import named_case_scores
from assistant.citations import format_citation
from assistant.expand import (
    Expansion,
    Group,
    expand,
    is_english,
    lexical_query,
    load_thesaurus,
)
from assistant.features import feature_matrix
from assistant.fusion import FusedChunk, reciprocal_rank_fusion
from assistant.ranker import load_ranker
from assistant.records import Passage
from assistant.settings import RetrievalSettings
from assistant.signals import asks_for_header_fact, sentence_terms, with_case_headers
from store.records import Chunk, Hit, Judgment, SearchFilters
from store.store import Store

MAX_CHUNKS_PER_PASSAGE = 3


@dataclass
class Retrieval:
    """Passages in rank order plus the signals used to decide whether the corpus answers."""

    passages: list[Passage]
    fused: list[FusedChunk] = field(default_factory=list)
    top_window: float = 0.0
    unknown_share: float = 0.0

    @property
    def relevance(self) -> float:
        return relevance_score(self.top_window, self.unknown_share)


def relevance_score(top_window: float, unknown_share: float) -> float:
    """One number compared with the no-answer floor: how much of the question's (IDF-weighted)
    terms the best short span of the top passages holds, lowered by the share of the
    question's words that the corpus never uses. Dense similarity is not used: it separates
    answerable from unanswerable questions poorly (docs/benchmarks.md)."""
    return top_window - 0.5 * unknown_share


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
    labelled = bool(first.paragraph_label_start and last.paragraph_label_end)
    meta = judgment.meta
    fields = dict(
        section_path=first.section_path,
        section_kind=first.section_kind,
        paragraph_start=first.paragraph_start,
        paragraph_end=last.paragraph_end,
        page_start=first.page_start,
        page_end=last.page_end,
        paragraph_label_start=first.paragraph_label_start if labelled else "",
        paragraph_label_end=last.paragraph_label_end if labelled else "",
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


@dataclass
class Candidates:
    """The fused candidates of one question, before ranking, with what their features need."""

    expansion: Expansion
    fused: list[FusedChunk]
    case_scores: dict[str, float]


def fused_candidates(
    question: str,
    store: Store,
    embeddings: Embeddings,
    filters: SearchFilters,
    settings: RetrievalSettings,
    *,
    thesaurus: tuple[Group, ...] | None = None,
    vector: list[float] | None = None,
) -> tuple[list[FusedChunk], list[float]]:
    """Dense and BM25 candidates fused by RRF, and the question's vector (empty without a
    dense search). `thesaurus` (default: the packaged one) and `vector` let the training script
    measure without a thesaurus group and embed each question once."""
    dense: list[Hit] = []
    lexical: list[Hit] = []
    if settings.mode in ("hybrid", "dense"):
        vector = vector or embeddings.embed_query(question)
        dense = store.dense_search(vector, settings.candidates, filters)
    else:
        vector = []
    if settings.mode in ("hybrid", "lexical"):
        query = lexical_query(question, groups=thesaurus)
        lexical = store.lexical_search(query, settings.candidates, filters)
    return reciprocal_rank_fusion(dense, lexical, rrf_k=settings.rrf_k), vector or []


def candidates(
    question: str,
    store: Store,
    embeddings: Embeddings,
    *,
    filters: SearchFilters = SearchFilters(),
    settings: RetrievalSettings | None = None,
    thesaurus: tuple[Group, ...] | None = None,
    vector: list[float] | None = None,
) -> Candidates:
    """The ranker's candidates: the fused ones, each with its dense and best-window
    similarity, and for a question on who sat or who represented whom the headers of the
    judgments fused first; with the question's expansion and the cases it names."""
    settings = settings or RetrievalSettings()
    fused, vector = fused_candidates(
        question, store, embeddings, filters, settings, thesaurus=thesaurus, vector=vector
    )
    if asks_for_header_fact(question) and (
        not filters.section_kinds or "header" in filters.section_kinds
    ):
        fused = with_case_headers(fused, store.chunks_of)
    if vector:
        complete_scores(fused, store, vector)
    cases = named_case_scores(question, store.case_terms())
    return Candidates(expand(question, thesaurus), fused, cases)


def learned_order(found: Candidates) -> list[FusedChunk]:
    """The candidates in the learned ranker's order."""
    matrix = feature_matrix(found.expansion, found.fused, found.case_scores)
    return load_ranker().rank(found.fused, matrix)


def thesaurus_groups(settings: RetrievalSettings) -> tuple[Group, ...] | None:
    """The expansion groups the settings ask for: None for the default (thesaurus, and the
    glossary for an English question), else an explicit tuple."""
    if not settings.thesaurus:
        return ()
    return None if settings.english_glossary else load_thesaurus()


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
    thesaurus = thesaurus_groups(settings)
    if settings.rescore:
        found = candidates(question, store, embeddings, filters=filters, settings=settings,
                           thesaurus=thesaurus)  # fmt: skip
        expansion, fused = found.expansion, learned_order(found)
    else:
        expansion = expand(question, thesaurus)
        fused, _ = fused_candidates(question, store, embeddings, filters, settings,
                                    thesaurus=thesaurus)  # fmt: skip
    groups = group_adjacent(fused, k)
    passages = [build_passage(i, g, load(g[0].chunk.judgment_id)) for i, g in enumerate(groups, 1)]
    top_window = max((f.window for g in groups[:3] for f in g), default=0.0)
    return Retrieval(
        passages, fused, top_window=top_window, unknown_share=unknown_share(expansion, fused)
    )


def complete_scores(fused: Sequence[FusedChunk], store: Store, vector: list[float]) -> None:
    """Give every candidate its dense similarity to the question (a chunk only the lexical
    search found gets it from its stored vector) and its best sentence-window similarity
    (chunks stored without window vectors keep None)."""
    query = np.asarray(vector, dtype=np.float32)
    query_norm = float(np.linalg.norm(query)) or 1.0
    lexical_only = [f for f in fused if f.dense_score is None]
    vectors = store.chunk_vectors([f.chunk.id for f in lexical_only])
    for f in lexical_only:
        v = vectors.get(f.chunk.id)
        if v is not None:
            f.dense_score = float(v @ query) / ((float(np.linalg.norm(v)) or 1.0) * query_norm)
    unscored = [f for f in fused if f.sentence_score is None]
    windows = store.sentence_vectors([f.chunk.id for f in unscored])
    for f in unscored:
        matrix = windows.get(f.chunk.id)
        if matrix is not None and len(matrix):
            f.window_similarities = tuple(float(x) for x in matrix @ query)
            f.sentence_score = max(f.window_similarities)


def unknown_share(expansion: Expansion, fused: Sequence[FusedChunk]) -> float:
    """Share of the question's own terms found, themselves or through a thesaurus alternative,
    in no candidate chunk: words the corpus does not use (a rare term present in the corpus is
    among the BM25 candidates). In an English question only the words the thesaurus
    translates count."""
    if not expansion.terms:
        return 0.0
    seen: set[str] = set()
    for f in fused:
        for sentence in sentence_terms(f.chunk.text):
            seen |= sentence
    english = is_english(expansion.question)
    missing = [
        t for t in expansion.terms
        if t not in seen and not expansion.alternatives.get(t, frozenset()) & seen
        # an English word the thesaurus does not translate says nothing about a French corpus
        and not (english and t not in expansion.alternatives)
    ]
    return len(missing) / len(expansion.terms)


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
