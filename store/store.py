"""`Store`: the facade ingest and the assistant use: read judgments and chunks, search, write.

A store folder holds numbered generations (store/generations.py). A reader answers from the
generation it opened until `refresh()`; `writer()` builds the next one (store/writer.py).
"""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection

from store import chroma
from store.errors import StoreError
from store.generations import check_schema, mismatch, read_current
from store.lexical import LexicalIndex, analyze
from store.records import (
    SECTION_KINDS,
    Chunk,
    Hit,
    Judgment,
    JudgmentMeta,
    SearchFilters,
    StoreStats,
)
from store.registry import SCHEMA_VERSION, Registry
from store.writer import StoreWriter

COLLECTION_PREFIX = "judgments"
OVERSAMPLE = 10  # unfiltered candidates per wanted hit before falling back to `where`
MIN_UNFILTERED = 200


CASE_OPENING_CHUNKS = 2  # chunks of a judgment's opening that name its case
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre")  # fmt: skip


def date_in_words(iso: str) -> str:
    """"2021-02-25" -> "25 février 2021" ("" when unknown)."""
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"{int(day)} {_MONTHS[int(month) - 1]} {year}"


@dataclass
class _Generation:
    """What a reader holds open for one committed generation."""

    number: int
    model: str = ""
    registry: Registry | None = None
    client: ClientAPI | None = None
    collection: Collection | None = None
    lexical: LexicalIndex = field(default_factory=lambda: LexicalIndex([], None))
    metas: list[JudgmentMeta] = field(default_factory=list)
    row_judgment: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    row_kind: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    case_terms: dict[str, frozenset[str]] | None = None

    def close(self) -> None:
        chroma.close_client(self.client)
        if self.registry is not None:
            self.registry.close()
        self.client = self.collection = self.registry = None


class Store:
    """A store folder opened for reading at its live generation. Use `Store.open`."""

    def __init__(
        self, path: Path, model_id: str, chroma_host: str, chroma_port: int, check_model: bool
    ) -> None:
        self.path = path
        self.model_id = model_id
        self.chroma_host = chroma_host
        self.chroma_port = chroma_port
        self.check_model = check_model
        self._lock = threading.Lock()
        self._gen = _Generation(0)
        self._retired: _Generation | None = None

    @classmethod
    def open(
        cls,
        path: Path,
        model_id: str,
        *,
        chroma_host: str = "",
        chroma_port: int = 8000,
        check_model: bool = True,
    ) -> Store:
        """Open the live generation (a missing or empty store opens with 0 judgments).

        Raises ModelMismatchError when the store was built with another model than
        `model_id`; `check_model=False` defers that check to searches and writers, for an
        ingest that rebuilds the store with a new model (`writer(rebuild=True)`).
        """
        store = cls(Path(path), model_id, chroma_host, chroma_port, check_model)
        store._gen = store._load(read_current(store.path))
        return store

    # -- opening generations -------------------------------------------------------------------

    @property
    def server_mode(self) -> bool:
        return bool(self.chroma_host)

    @property
    def generation(self) -> int:
        return self._gen.number

    def _generation_dir(self, number: int) -> Path:
        return self.path / "generations" / str(number)

    def _collection_prefix(self) -> str:
        if not self.server_mode:
            return COLLECTION_PREFIX
        try:
            store_id = (self.path / "STORE_ID").read_text(encoding="ascii").strip()
        except FileNotFoundError:
            store_id = secrets.token_hex(4)
            self.path.mkdir(parents=True, exist_ok=True)
            (self.path / "STORE_ID").write_text(store_id + "\n", encoding="ascii")
        return f"{COLLECTION_PREFIX}_{store_id}"

    def _client(self, number: int, *, fresh: bool = False) -> ClientAPI:
        folder = None if self.server_mode else self._generation_dir(number) / "chroma"
        return chroma.make_client(folder, self.chroma_host, self.chroma_port, fresh=fresh)

    def _load(self, number: int) -> _Generation:
        gen = _Generation(number)
        if number == 0:
            return gen
        folder = self._generation_dir(number)
        if not (folder / "registry.sqlite").is_file():
            raise StoreError(
                f"store {self.path}: CURRENT names generation {number} but {folder} is missing "
                "or incomplete; run an ingest to write a new generation"
            )
        try:
            gen.registry = Registry(folder / "registry.sqlite", read_only=True)
            if not self.check_model and gen.registry.schema() != SCHEMA_VERSION:
                gen.close()  # opened to be rebuilt (`ingest --rebuild`): nothing to read
                return _Generation(number)
            check_schema(self.path, gen.registry)
            gen.model = gen.registry.get_info("model") or ""
            if self.check_model and gen.model and gen.model != self.model_id:
                raise mismatch(self.path, gen.model, self.model_id)
            gen.client = self._client(number)
            name = chroma.collection_name(self._collection_prefix(), number)
            gen.collection = chroma.get_collection(gen.client, name)
            gen.lexical = LexicalIndex.load(folder / "lexical")
            gen.metas = gen.registry.judgment_metas()
            self._index_rows(gen)
        except Exception:
            gen.close()
            raise
        return gen

    @staticmethod
    def _index_rows(gen: _Generation) -> None:
        """Per lexical row: the judgment (index into `metas`) and section kind, for masks."""
        assert gen.registry is not None
        judgment_index = {m.id: i for i, m in enumerate(gen.metas)}
        kind_index: dict[str, int] = {k: i for i, k in enumerate(SECTION_KINDS)}
        facets = {cid: (jid, kind) for cid, jid, kind in gen.registry.chunk_facets()}
        rows = len(gen.lexical.chunk_ids)
        gen.row_judgment = np.empty(rows, dtype=np.int64)
        gen.row_kind = np.empty(rows, dtype=np.int64)
        for row, cid in enumerate(gen.lexical.chunk_ids):
            jid, kind = facets[cid]
            gen.row_judgment[row] = judgment_index[jid]
            gen.row_kind[row] = kind_index.get(kind, kind_index["other"])

    def refresh(self) -> bool:
        """Switch to the newest committed generation; True when it changed."""
        number = read_current(self.path)
        if number == self._gen.number:
            return False
        new = self._load(number)
        with self._lock:
            # The replaced generation is closed at the next switch, not now: a search running
            # in another thread (the page) may still be reading it.
            retired, self._retired = self._retired, self._gen
            self._gen = new
        if retired is not None:
            retired.close()
        return True

    def close(self) -> None:
        with self._lock:
            old, retired = self._gen, self._retired
            self._gen, self._retired = _Generation(0), None
        old.close()
        if retired is not None:
            retired.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------------------

    def stats(self) -> StoreStats:
        gen = self._gen
        judgments, chunks = gen.registry.counts() if gen.registry else (0, 0)
        dates = sorted(m.date for m in gen.metas if m.date)
        where = str(self.path)
        if self.server_mode:
            where += f" (Chroma server {self.chroma_host}:{self.chroma_port})"
        return StoreStats(
            judgments=judgments,
            chunks=chunks,
            courts=tuple(sorted({m.court for m in gen.metas if m.court})),
            chambers=tuple(sorted({m.chamber for m in gen.metas if m.chamber})),
            date_min=dates[0] if dates else "",
            date_max=dates[-1] if dates else "",
            model=gen.model,
            location=where,
            generation=gen.number,
            countries=tuple(sorted({m.country for m in gen.metas if m.country})),
            court_counts=tuple(
                (court, country, n)
                for (court, country), n in sorted(
                    Counter((m.court, m.country) for m in gen.metas if m.court).items()
                )
            ),
        )

    def judgments(self) -> list[JudgmentMeta]:
        return list(self._gen.metas)

    def judgment(self, judgment_id: str) -> Judgment:
        registry = self._gen.registry
        found = registry.judgment(judgment_id) if registry else None
        if found is None:
            raise KeyError(f"no judgment {judgment_id!r} in store {self.path}")
        return found

    def chunk(self, chunk_id: str) -> Chunk:
        registry = self._gen.registry
        found = registry.chunk(chunk_id) if registry else None
        if found is None:
            raise KeyError(f"no chunk {chunk_id!r} in store {self.path}")
        return found

    def case_terms(self) -> dict[str, frozenset[str]]:
        """Per judgment, the analysed terms that name the case: its court, chamber, date (also
        in words: "25 février 2021"), numbers and title, and the words of its opening chunks
        (parties, counsel, the decision under appeal). Built once per generation."""
        gen = self._gen
        if gen.case_terms is None:
            opening = gen.registry.opening_terms(CASE_OPENING_CHUNKS) if gen.registry else {}
            gen.case_terms = {
                m.id: frozenset(opening.get(m.id, set()) | set(analyze(" ".join((
                    m.court, m.chamber, m.decision_number, m.docket_number, m.title,
                    date_in_words(m.date),
                ))))) for m in gen.metas
            }  # fmt: skip
        return gen.case_terms

    def chunk_vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of the given chunks (those that exist), e.g. to score candidates
        that only the lexical search found."""
        gen = self._gen
        if gen.collection is None or not chunk_ids:
            return {}
        found = gen.collection.get(ids=list(chunk_ids), include=["embeddings"])
        vectors = found["embeddings"] if found["embeddings"] is not None else []
        pairs = zip(found["ids"], vectors, strict=True)
        return {cid: np.asarray(v, dtype=np.float32) for cid, v in pairs}

    def sentence_vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        """Sentence-window vectors (one row per window) of the chunks that have them."""
        gen = self._gen
        return gen.registry.sentence_vectors(chunk_ids) if gen.registry is not None else {}

    def chunks_of(self, judgment_id: str) -> list[Chunk]:
        registry = self._gen.registry
        return registry.chunks_of(judgment_id) if registry else []

    def _hits(
        self, gen: _Generation, scored: list[tuple[str, float]], source: str
    ) -> list[Hit]:
        assert gen.registry is not None
        chunks = gen.registry.chunks([cid for cid, _ in scored])
        hits = [
            Hit(chunks[cid], score, 0, source)  # type: ignore[arg-type]
            for cid, score in scored
            if cid in chunks
        ]
        return [Hit(h.chunk, h.score, rank, h.source) for rank, h in enumerate(hits, start=1)]

    def dense_search(
        self, vector: list[float], k: int, filters: SearchFilters = SearchFilters()
    ) -> list[Hit]:
        """The `k` chunks nearest to `vector`; score = 1 - cosine distance."""
        gen = self._gen
        if gen.model and gen.model != self.model_id:
            raise mismatch(self.path, gen.model, self.model_id)
        if gen.collection is None or k <= 0:
            return []
        count = gen.collection.count()
        if count == 0:
            return []
        query = np.asarray([vector], dtype=np.float32)
        if not filters.is_empty():
            # Chroma's filtered search scans metadata (0.2-0.4 s at 100k chunks). The nearest
            # allowed chunks among the nearest unfiltered ones are the answer whenever there
            # are k of them; only a selective filter needs Chroma's `where`.
            allowed = self._allowed_ids(gen, filters)
            for factor in (OVERSAMPLE, OVERSAMPLE * 4):
                n = min(count, max(k * factor, MIN_UNFILTERED))
                scored = [(cid, s) for cid, s in self._query(gen, query, n) if cid in allowed]
                if len(scored) >= k or n >= count:
                    return self._hits(gen, scored[:k], "dense")
        scored = self._query(gen, query, min(k, count), chroma.where_filter(filters))
        return self._hits(gen, scored, "dense")

    @staticmethod
    def _query(
        gen: _Generation, query: np.ndarray, n: int, where: dict | None = None
    ) -> list[tuple[str, float]]:
        assert gen.collection is not None
        result = gen.collection.query(
            query_embeddings=query, n_results=n, where=where, include=["distances"]
        )
        distances = result["distances"] or [[]]
        return [
            (cid, 1.0 - float(d)) for cid, d in zip(result["ids"][0], distances[0], strict=True)
        ]

    def _allowed_ids(self, gen: _Generation, filters: SearchFilters) -> set[str]:
        mask = self._mask(gen, filters)
        ids = gen.lexical.chunk_ids
        return {ids[row] for row in np.flatnonzero(mask)}

    def lexical_search(
        self, query: str, k: int, filters: SearchFilters = SearchFilters()
    ) -> list[Hit]:
        """The `k` best BM25 chunks for `query` (positive scores only)."""
        gen = self._gen
        if gen.registry is None:
            return []
        mask = None if filters.is_empty() else self._mask(gen, filters)
        return self._hits(gen, gen.lexical.search(query, k, mask), "lexical")

    @staticmethod
    def _mask(gen: _Generation, filters: SearchFilters) -> np.ndarray:
        """Rows of the lexical index that `filters` allow (same rules as the Chroma `where`)."""
        low = chroma.date_int(filters.date_from) if filters.date_from else None
        high = chroma.date_int(filters.date_to) if filters.date_to else None
        allowed_judgments = np.array(
            [
                (not filters.courts or m.court in filters.courts)
                and (not filters.countries or m.country in filters.countries)
                and (not filters.chambers or m.chamber in filters.chambers)
                and (not filters.judgment_ids or m.id in filters.judgment_ids)
                and (low is None or m.date_int >= low)
                and (high is None or m.date_int <= high)
                for m in gen.metas
            ],
            dtype=bool,
        )
        allowed_kinds = np.array(
            [not filters.section_kinds or k in filters.section_kinds for k in SECTION_KINDS],
            dtype=bool,
        )
        if len(gen.row_judgment) == 0:
            return np.zeros(0, dtype=bool)
        return allowed_judgments[gen.row_judgment] & allowed_kinds[gen.row_kind]

    # -- writing -------------------------------------------------------------------------------

    def writer(self, *, rebuild: bool = False) -> StoreWriter:
        """The store's one writer (`with store.writer() as w:`). `rebuild=True` starts from an
        empty generation, e.g. after a change of embedding model."""
        return StoreWriter(self, rebuild=rebuild)
