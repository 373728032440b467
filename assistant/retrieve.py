"""Hybrid retrieval: dense (Chroma) and lexical (BM25) candidates fused by reciprocal rank
fusion, filtered alike, then adjacent chunks of one judgment merged into passages."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever

from assistant.citations import format_citation
from assistant.expand import Expansion, expand, is_english, lexical_query
from assistant.highlight import sentence_spans
from assistant.records import Passage
from assistant.settings import RetrievalSettings
from store.lexical import analyze
from store.records import Chunk, Hit, Judgment, SearchFilters
from store.store import Store

MAX_CHUNKS_PER_PASSAGE = 3
WINDOW = 2  # sentences in the span scored against the question
HEADER_FACT_BIAS = 2.0
CASE_HEADER_JUDGMENTS = 2  # judgments whose header joins the candidates for a header question
CASE_PRIOR_WEIGHT = 1.0


@dataclass
class FusedChunk:
    chunk: Chunk
    score: float
    dense_score: float | None = None
    lexical_score: float | None = None
    dense_rank: int | None = None
    lexical_rank: int | None = None
    window: float = 0.0  # best sentence-window coverage of the question's terms


@dataclass
class Retrieval:
    """Passages in rank order plus the signals used to decide whether the corpus answers."""

    passages: list[Passage]
    fused: list[FusedChunk] = field(default_factory=list)
    top_dense: float = 0.0
    top_coverage: float = 0.0
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


def _sentence_terms(text: str) -> list[set[str]]:
    """Analysed terms of each sentence of `text` (cached: chunks are searched again and again)."""
    return _sentence_terms_cached(text)


@lru_cache(maxsize=8192)
def _sentence_terms_cached(text: str) -> list[set[str]]:
    return [set(analyze(text[s.start : s.end])) for s in sentence_spans(text)]


@lru_cache(maxsize=8192)
def _sentence_voices(text: str) -> list[float]:
    return [court_voice(text[s.start : s.end]) for s in sentence_spans(text)]


def _window_scores(
    weights: dict[str, float], sentences: Sequence[set[str]], window: int
) -> list[float]:
    total = sum(weights.values())
    if not total or not sentences:
        return [0.0]
    scores = []
    for i in range(max(1, len(sentences) - window + 1)):
        terms = set().union(*sentences[i : i + window])
        scores.append(sum(w for t, w in weights.items() if t in terms) / total)
    return scores


def best_window_score(
    weights: dict[str, float], sentences: Sequence[set[str]], window: int = 2
) -> float:
    """The largest share of the question's term weight found in `window` consecutive
    sentences (a short span that holds the question's rare terms beats a long chunk that
    scatters them)."""
    return max(_window_scores(weights, sentences, window))


# Judgments report the parties' case in reported speech (conditional mood, "fait valoir",
# "soutient") and give the court's own view in the indicative ("le Tribunal retient", "il y a
# lieu", "partant", "déclare"). Nouns ending in -rait (extrait, retrait, portrait...) are not
# verbs.
_REPORTED = re.compile(
    r"\b(?:\w+(?<!ext)(?<!ret)(?<!port)(?<!abst)(?<!att)(?<!dist)raient"
    r"|\w+(?<!ext)(?<!ret)(?<!port)(?<!abst)(?<!att)(?<!dist)rait"
    r"|fai(?:t|sant) valoir|soutien(?:t|nent)|soul[èe]v\w*|reproch\w*|concl\w+ (?:au|à)"
    r"|contest\w*|expos\w+|fait état|invoqu\w*|estim(?:e|ent) que|r[ée]clam\w*|sollicit\w*)\b",
    re.IGNORECASE,
)
_COURT = re.compile(
    r"\b(?:le tribunal|la cour|il convient|il y a lieu|partant|d[èe]s lors|en l'esp[èe]ce"
    r"|il (?:est|n'est) (?:pas )?(?:établi|constant|admis|de principe)|il ressort"
    r"|il se dégage|reste en défaut|retient|est à (?:rejeter|abjurer|déclarer)|est fond[ée]e?"
    r"|n'est pas fond|déclare|condamne|dit (?:que|non|fond)|rejette|déboute|alloue"
    r"|n'établit)\b",
    re.IGNORECASE,
)


def court_voice(text: str) -> float:
    """From -1 (the parties' case, in reported speech) to 1 (the court's own reasoning):
    (court markers - reported-speech markers) / (both + 1)."""
    reported = len(_REPORTED.findall(text))
    court = len(_COURT.findall(text))
    return (court - reported) / (court + reported + 1)


_DECISION = re.compile(
    r"\b(accord|allou|condamn|d[ée]cid|jug[ée]|retenu|rejet|d[ée]bout|obtenu|rembours|"
    r"tribunal|cour|juge|did the court|award|grant|dismiss|reject|held)", re.IGNORECASE
)
_CLAIM = re.compile(
    # "réclamait", "invoquait": what a party did; "peut-il ... en invoquant": a point of law.
    r"\b(r[ée]clam(?!er\b|ant\b)|demandai|invoqu(?!er\b|ant\b)|reproch(?!er\b|ant\b)|soutien|"
    r"fait valoir|pr[ée]tend|claim|sought|argu|disai|expliquai|r[ée]pondai|contestai|affirmai"
    r"|selon (?:le|la|les|l.) (?:prestataire|client|demand|d[ée]fend|partie|soci[ée]t)"
    r"|contend|submitted that|maintained that)",
    re.IGNORECASE,
)


_IDENTIFICATION = re.compile(
    r"\b(num[ée]ro (?:de r[ôo]le|du jugement|de l'arr[êe]t|de pourvoi|rg)|n° de r[ôo]le|docket"
    r"|case number|composition|greffier|quelle juridiction|which court)",
    re.IGNORECASE,
)


# Facts that only the header states: who sat and who represented whom, the hearing, the
# deliberation, the closing order, the date the judgment was delivered.
_HEADER_FACT = re.compile(
    r"\b(pr[ée]sid(?:ait|é|ée|ent|ence|ant)\b|vice-pr[ée]sident|juges\b|quels? juges?\b"
    r"|magistrat|greffi|rapport oral|rapporteur|quels? avocats?|repr[ée]sent[ée]e?s? par"
    r"|repr[ée]sentai(?:t|ent)|comparant|d[ée]lib[ée]r(?!ément|atel)|ordonnance de cl[ôo]ture"
    r"|instruction .{0,30}cl(?:ose|[ôo]tur)|audiences?\b|(?:quel jour|quelle date|quand)\b.{0,60}"
    r"\b(?:prononc|rendu)|prononc[ée]e? (?:le|quel)|presid|judges\b|which judge|bench\b|clerk"
    r"|registrar|reporting judge|(?:which|what) (?:lawyer|counsel)|counsel (?:for|of)"
    r"|represented by|who represented|lawyer (?:for|of|acting|representing)|hearing"
    r"|deliberat(?!e\b|ely)|closing order|delivered)",
    re.IGNORECASE,
)


def asks_for_header_fact(question: str) -> bool:
    """Whether the question asks about the composition, the counsel or a procedural date."""
    return bool(_HEADER_FACT.search(question))


def asks_for_claims(question: str) -> bool:
    """Whether the question asks what a party claimed or argued (not what the court held)."""
    return bool(_CLAIM.search(question))


def section_bias(question: str) -> dict[str, float]:
    """Section kinds to favour: the header for the case's references, what the parties
    claimed, or what the court decided."""
    if _IDENTIFICATION.search(question):
        return {"header": 3.0}  # the only place for them: outweighs the topic's passages
    if asks_for_header_fact(question):
        return {"header": HEADER_FACT_BIAS}
    if asks_for_claims(question):
        return {"claims": 1.0, "facts": 0.5}
    if _DECISION.search(question):
        return {"reasons": 1.0, "operative": 1.0}
    return {}


def rescore(
    expansion: Expansion, fused: list[FusedChunk], settings: RetrievalSettings
) -> list[FusedChunk]:
    """Order candidates by a weighted sum of normalised dense similarity, normalised BM25, the
    best sentence-window coverage of the question's terms (IDF over the candidates) and, unless
    the question asks what a party claimed, the court's voice in that window and chunk."""
    if not fused:
        return fused
    sentences = {f.chunk.id: _sentence_terms(f.chunk.text) for f in fused}
    n = len(fused)
    df: Counter[str] = Counter()
    for sents in sentences.values():
        df.update(set().union(*sents) if sents else set())
    def idf(t: str) -> float:
        return math.log(1 + (n + 1) / (df.get(t, 0) + 0.5))
    weights = {t: idf(t) for t in expansion.terms}
    weights.update({t: 0.5 * idf(t) for t in expansion.added if t not in weights})
    dense = [f.dense_score for f in fused if f.dense_score is not None]
    lexical = [f.lexical_score for f in fused if f.lexical_score is not None]
    d_low, d_high = (min(dense), max(dense)) if dense else (0.0, 1.0)
    l_high = max(lexical) if lexical else 1.0
    favoured = section_bias(expansion.question)
    claims = asks_for_claims(expansion.question)
    # a header question: header chunks inherit how well their judgment matched so far
    prior = case_prior(fused) if asks_for_header_fact(expansion.question) else {}
    for f in fused:
        nd = ((f.dense_score if f.dense_score is not None else d_low) - d_low) / max(
            d_high - d_low, 1e-9
        )
        nl = (f.lexical_score or 0.0) / max(l_high, 1e-9)
        windows = _window_scores(weights, sentences[f.chunk.id], WINDOW)
        sw = max(windows)
        f.window = concept_coverage(expansion, sentences[f.chunk.id], idf)
        bias = settings.section_weight * favoured.get(f.chunk.section_kind, 0.0)
        if prior and is_header_chunk(f.chunk):
            bias += CASE_PRIOR_WEIGHT * prior.get(f.chunk.judgment_id, 0.0)
        f.score = (
            settings.dense_weight * nd + settings.lexical_weight * nl
            + settings.window_weight * sw + bias
        )
        if settings.voice_weight and not claims:
            voices = _sentence_voices(f.chunk.text)
            window_voice = max(
                (max(voices[i : i + WINDOW], default=0.0)
                 for i, score in enumerate(windows) if score == sw),
                default=0.0,
            )
            f.score += settings.voice_weight * (window_voice + court_voice(f.chunk.text))
    return sorted(fused, key=lambda f: (-f.score, f.chunk.id))


def is_header_chunk(chunk: Chunk) -> bool:
    """The header, or the unsectioned opening of a judgment (excerpts without headings)."""
    return chunk.section_kind == "header" or (
        chunk.section_kind == "other" and not chunk.section_path and chunk.ordinal < 3
    )


def with_case_headers(
    fused: list[FusedChunk], chunks_of: Callable[[str], list[Chunk]],
    cases: int = CASE_HEADER_JUDGMENTS,
) -> list[FusedChunk]:
    """`fused` plus the header chunks of the `cases` judgments ranked first: a question on
    who sat or which lawyer names its case by the facts ("the lawyer's e-mail outages"), which
    the body holds, while the answer is in a header that shares none of those words."""
    judgments = list(
        dict.fromkeys(f.chunk.judgment_id for f in fused if not is_header_chunk(f.chunk))
    )[:cases]
    present = {f.chunk.id for f in fused}
    added = [
        FusedChunk(c, 0.0) for jid in judgments for c in chunks_of(jid)
        if is_header_chunk(c) and c.id not in present
    ]
    return fused + added


def case_prior(fused: Sequence[FusedChunk]) -> dict[str, float]:
    """Each judgment's best score for a chunk of its body (what the question says about the
    case), scaled from 0 to 1; a judgment with no body chunk among `fused` gets 0."""
    best: dict[str, float] = {}
    for f in fused:
        if not is_header_chunk(f.chunk):
            best[f.chunk.judgment_id] = max(best.get(f.chunk.judgment_id, f.score), f.score)
    low = min(best.values(), default=0.0)
    high = max(best.values(), default=1.0)
    return {j: (v - low) / max(high - low, 1e-9) for j, v in best.items()}


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
        lexical = store.lexical_search(lexical_query(question), settings.candidates, filters)
    expansion = expand(question)
    fused = reciprocal_rank_fusion(dense, lexical, rrf_k=settings.rrf_k)
    if settings.rescore:
        fused = rescore(expansion, fused, settings)
        if asks_for_header_fact(question) and (
            not filters.section_kinds or "header" in filters.section_kinds
        ):
            fused = rescore(expansion, with_case_headers(fused, store.chunks_of), settings)
    groups = group_adjacent(fused, k)
    passages = [build_passage(i, g, load(g[0].chunk.judgment_id)) for i, g in enumerate(groups, 1)]
    top_dense = max((f.dense_score or 0.0 for g in groups[:3] for f in g), default=0.0)
    top_coverage = max((term_coverage(question, p.text) for p in passages[:3]), default=0.0)
    top_window = max((f.window for g in groups[:3] for f in g), default=0.0)
    return Retrieval(
        passages, fused, top_dense, top_coverage, top_window, unknown_share(expansion, fused)
    )


def concept_coverage(
    expansion: Expansion, sentences: Sequence[set[str]], idf: Callable[[str], float],
    window: int = 2,
) -> float:
    """IDF-weighted share of the question's own terms found in the best `window` consecutive
    sentences; a term also counts as found when a thesaurus alternative is there (an English
    "invoice" is found as "facture")."""
    weights = {t: idf(t) for t in expansion.terms}
    total = sum(weights.values())
    if not total or not sentences:
        return 0.0
    best = 0.0
    for i in range(max(1, len(sentences) - window + 1)):
        terms = set().union(*sentences[i : i + window])
        found = sum(
            w for t, w in weights.items()
            if t in terms or expansion.alternatives.get(t, frozenset()) & terms
        )
        best = max(best, found)
    return best / total


def unknown_share(expansion: Expansion, fused: Sequence[FusedChunk]) -> float:
    """Share of the question's own terms found, themselves or through a thesaurus alternative,
    in no candidate chunk: words the corpus does not use (a rare term present in the corpus is
    among the BM25 candidates). In an English question only the words the thesaurus
    translates count."""
    if not expansion.terms:
        return 0.0
    seen: set[str] = set()
    for f in fused:
        for sentence in _sentence_terms(f.chunk.text):
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
