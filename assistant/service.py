"""The assistant as one object, shared by the command line and the chat page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from langchain_core.embeddings import Embeddings

from assistant.amounts import AmountFilters, AmountRow, AmountsCache, amounts_in_store
from assistant.answer import compose
from assistant.answer_types import expected_answer
from assistant.citations import country_label
from assistant.expand import is_english, question_words
from assistant.followup import standalone_question
from assistant.issue_tags import (
    IssueEntry,
    decisions_by_issue,
    issues_overview,
    load_taxonomy,
    tag_store,
)
from assistant.records import Answer
from assistant.retrieve import Retrieval, retrieve
from assistant.settings import Settings
from store.embeddings import make_embeddings
from store.errors import EmptyStoreError
from store.records import SECTION_KINDS, Judgment, SearchFilters, StoreStats
from store.store import Store


@dataclass(frozen=True)
class CourtFacet:
    """One court of the store, in one country, and how many judgments it has there."""

    court: str
    country: str  # ISO code, "" when unknown
    judgments: int
    shared_name: bool = False  # another country's court has the same name

    @property
    def key(self) -> tuple[str, str]:
        return (self.court, self.country)

    @property
    def label(self) -> str:
        """'Cour d'appel de Paris — 12'; the country after a name two countries share:
        'Cour de cassation (FR) — 75'."""
        name = self.court
        if self.shared_name:
            name = f"{name} ({self.country or 'pays inconnu'})"
        return f"{name} — {self.judgments}"


@dataclass(frozen=True)
class Facets:
    """The values the page offers as filters."""

    courts: tuple[str, ...]
    chambers: tuple[str, ...]
    date_min: str
    date_max: str
    section_kinds: tuple[str, ...]
    countries: tuple[tuple[str, int], ...] = ()  # (ISO code, judgments) by code, "" last
    court_facets: tuple[CourtFacet, ...] = ()  # by court name, then country

    def courts_in(self, countries: Sequence[str] = ()) -> tuple[CourtFacet, ...]:
        """The courts of the given countries (all courts when none is given)."""
        if not countries:
            return self.court_facets
        return tuple(c for c in self.court_facets if c.country in countries)

    def country_label(self, code: str) -> str:
        """'France (FR) — 120': the country and its number of judgments."""
        count = dict(self.countries).get(code, 0)
        return f"{country_label(code)} — {count}"


def facets_of(stats: StoreStats) -> Facets:
    """The filters' values from the store's figures (no store access)."""
    per_name = Counter(court for court, _, _ in stats.court_counts)
    courts = tuple(
        CourtFacet(court, country, n, shared_name=per_name[court] > 1)
        for court, country, n in stats.court_counts
    )
    per_country: Counter[str] = Counter()
    for _, country, n in stats.court_counts:
        per_country[country] += n
    return Facets(
        stats.courts,
        stats.chambers,
        stats.date_min,
        stats.date_max,
        SECTION_KINDS,
        countries=tuple(sorted(per_country.items(), key=lambda item: (not item[0], item[0]))),
        court_facets=courts,
    )


def open_store(settings: Settings, *, check_model: bool = True) -> tuple[Store, Embeddings, str]:
    """The configured embedding model (loaded lazily) and the store opened for it."""
    embeddings, model_id = make_embeddings(settings.models.embeddings, settings.models.device)
    store = Store.open(
        settings.store.path,
        model_id,
        chroma_host=settings.store.chroma_host,
        chroma_port=settings.store.chroma_port,
        check_model=check_model,
    )
    return store, embeddings, model_id


AMOUNT_ROWS = 12  # table rows shown beside the quotes of a question on sums


class Assistant:
    """Retrieval, answer composition and optional LLM synthesis over one store."""

    def __init__(self, settings: Settings, store: Store, embeddings: Embeddings) -> None:
        self.settings = settings
        self.store = store
        self.embeddings = embeddings
        self._judgment = lru_cache(maxsize=256)(self._load_judgment)
        self._amounts = AmountsCache()  # damages-table rows per judgment version
        self._reranker = None
        if settings.models.reranker:
            from assistant.rerank import load_reranker

            self._reranker = load_reranker(settings.models.reranker)
        self._chat_model = None
        if settings.llm.spec:
            from assistant.llm import make_chat_model

            self._chat_model = make_chat_model(settings.llm)

    @classmethod
    def from_settings(cls, settings: Settings, *, require_judgments: bool = True) -> Assistant:
        """Open the configured store and model. Raises EmptyStoreError when the store holds no
        judgment (unless `require_judgments` is False)."""
        store, embeddings, _ = open_store(settings)
        if require_judgments and store.stats().judgments == 0:
            raise EmptyStoreError(
                f"The store {settings.store.path} holds no judgment yet. Ask your maintainer to "
                f"run `legal-assistant ingest --store {settings.store.path} PATH...`."
            )
        return cls(settings, store, embeddings)

    def _load_judgment(self, judgment_id: str) -> Judgment:
        return self.store.judgment(judgment_id)

    def judgment(self, judgment_id: str) -> Judgment:
        return self._judgment(judgment_id)

    def refresh(self) -> None:
        """Follow a newer store generation written by an ingest run."""
        if self.store.refresh():
            self._judgment.cache_clear()

    def stats(self) -> StoreStats:
        return self.store.stats()

    def facets(self) -> Facets:
        return facets_of(self.store.stats())

    def court_filters(
        self, selected: Sequence[tuple[str, str]]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(court names, judgment ids) for `SearchFilters` from selected (court, country)
        pairs. The names suffice unless a selected name is also another country's court that
        is not selected: then the judgments of the selected pairs are named too."""
        pairs = set(selected)
        names = tuple(sorted({court for court, _ in pairs}))
        others = {(m.court, m.country) for m in self.store.judgments() if m.court in names} - pairs
        if not others:
            return names, ()
        ids = tuple(sorted(m.id for m in self.store.judgments() if (m.court, m.country) in pairs))
        return names, ids or ("",)

    def search(
        self, question: str, *, filters: SearchFilters = SearchFilters(), k: int | None = None
    ) -> Retrieval:
        """Retrieval only: passages without highlights, and the relevance signals (the
        optional cross-encoder reorders the passages; relevance stays retrieval's)."""
        result = retrieve(
            question,
            self.store,
            self.embeddings,
            filters=filters,
            k=k or self.settings.retrieval.k,
            settings=self.settings.retrieval,
            judgment_loader=self.judgment,
        )
        if self._reranker is not None:
            from assistant.rerank import rerank

            result.passages = rerank(question, result.passages, self._reranker)
        return result

    def ask(
        self,
        question: str,
        *,
        filters: SearchFilters = SearchFilters(),
        k: int | None = None,
        history: Sequence[Answer] = (),
        on_token: Callable[[str], None] | None = None,
        strict: bool = False,
    ) -> Answer:
        """Answer `question` (a follow-up is read in the context of `history`)."""
        self.refresh()
        searched = standalone_question(question, history)
        result = self.search(searched, filters=filters, k=k)
        no_answer = result.relevance < self.settings.retrieval.no_answer_floor
        texts = {p.judgment.id: self.judgment(p.judgment.id).text for p in result.passages}
        answer = compose(
            question,
            result.passages,
            texts,
            no_answer=no_answer,
            standalone_question=searched,
            strict=strict,
            unknown_words=self.unknown_words(question),
        )
        answer.extra.update(relevance=round(result.relevance, 4))
        if expected_answer(searched) == "amount":
            answer = replace(answer, amounts=self.amounts_of_answer(answer))
        if self._chat_model is not None and not answer.no_answer and answer.passages:
            answer = self._synthesize(answer, on_token)
        return answer

    def unknown_words(self, question: str) -> tuple[str, ...]:
        """The words of a French question that no stored judgment uses (an English question's
        words are not the corpus's language: none)."""
        if is_english(question):
            return ()
        words = question_words(question)
        used = self.store.terms_in_use(term for _, term in words)
        return tuple(word for word, term in words if term not in used)

    def amounts(self, filters: AmountFilters | None = None) -> list[AmountRow]:
        """The damages table: every sum claimed, granted or rejected in the store's
        judgments that passes `filters` (each judgment version is read once)."""
        self.refresh()
        return amounts_in_store(self.store, filters, self._amounts)

    def amounts_of_answer(self, answer: Answer, limit: int = AMOUNT_ROWS) -> tuple[AmountRow, ...]:
        """The table rows of the judgments an answer quotes: rows inside a quoted passage
        first, then the sums granted, then the others; judgments in the order of the
        passages."""
        if answer.no_answer:
            return ()
        order = list(dict.fromkeys(p.judgment.id for p in answer.passages))
        spans = [(p.judgment.id, p.char_start, p.char_end) for p in answer.passages]

        def quoted(row: AmountRow) -> bool:
            return any(jid == row.judgment_id and start < row.char_end and row.char_start < end
                       for jid, start, end in spans)  # fmt: skip

        rows = [
            row
            for jid in order
            for row in self._amounts.of(self.store, self.judgment(jid).meta)
        ]
        rows.sort(key=lambda r: (not quoted(r), r.outcome != "granted",
                                 order.index(r.judgment_id), r.char_start))  # fmt: skip
        return tuple(rows[:limit])

    def issues(self) -> list[IssueEntry]:
        """Each issue of the taxonomy with the decisions that discuss it and, for each, the
        tagged passages with their evidence spans (for the browse view)."""
        self.refresh()
        tags = tag_store(self.store, self.embeddings)
        return issues_overview(self.store, tags, load_taxonomy())

    def judgments_on(self, issue_ids: Sequence[str]) -> tuple[str, ...]:
        """The ids of the judgments tagged with any of `issue_ids` (for `SearchFilters`)."""
        decisions = decisions_by_issue(tag_store(self.store, self.embeddings))
        return tuple(sorted({jid for issue in issue_ids for jid in decisions.get(issue, [])}))

    def _synthesize(self, answer: Answer, on_token: Callable[[str], None] | None) -> Answer:
        from assistant.llm import LLMUnavailable, synthesize, unavailable_notice

        if self._chat_model is None:
            return answer
        try:
            synthesis = synthesize(
                answer.question,
                list(answer.passages),
                self._chat_model,
                on_token=on_token,
                deadline_s=self.settings.llm.timeout_s,
            )
        except LLMUnavailable as exc:
            return replace(answer, notice=unavailable_notice(exc))
        return replace(answer, synthesis=synthesis)
