"""`Store`: the facade ingest and the assistant use: read judgments and chunks, search, write.

Layout of a store folder::

    CURRENT             number of the live generation (replaced atomically)
    LOCK                held by the one writer (fcntl.flock)
    STORE_ID            names this store's collections on a Chroma server
    generations/<n>/    chroma/ (embedded mode), registry.sqlite, lexical/

A writer copies the live generation n to n+1, changes n+1 and switches CURRENT to it on
`commit()`. Readers keep answering from the generation they opened until `refresh()`. A crash
at any point leaves CURRENT on a complete generation; the next writer deletes the unfinished
one. The last two committed generations are kept.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO

import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection

from store import chroma
from store.errors import ModelMismatchError, StoreBusyError, StoreError
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
from store.registry import SCHEMA_VERSION, Registry, RegistryEntry

KEEP_GENERATIONS = 2
COLLECTION_PREFIX = "judgments"


def read_current(path: Path) -> int:
    """The live generation of the store at `path`, 0 when nothing was committed yet."""
    try:
        text = (path / "CURRENT").read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return 0
    if not text.isdigit():
        raise StoreError(f"store {path}: CURRENT holds {text!r}, expected a generation number")
    return int(text)


def _write_current(path: Path, generation: int) -> None:
    """Point CURRENT at `generation`: temp file, fsync, os.replace, fsync of the folder."""
    temp = path / f"CURRENT.tmp-{os.getpid()}"
    with open(temp, "w", encoding="ascii") as handle:
        handle.write(f"{generation}\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path / "CURRENT")
    folder = os.open(path, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _generation_numbers(path: Path) -> list[int]:
    folder = path / "generations"
    if not folder.is_dir():
        return []
    return sorted(int(p.name) for p in folder.iterdir() if p.name.isdigit())


def _model_spec(model_id: str) -> str:
    """The LEGAL_ASSISTANT_EMBEDDINGS value that gives `model_id`."""
    if model_id.startswith("e5:"):
        return "e5"
    if model_id == "st:all-MiniLM-L6-v2":
        return "minilm"
    return model_id


def _check_schema(path: Path, registry: Registry) -> None:
    """Refuse a store written with another registry layout, saying how to re-index."""
    found = registry.schema()
    if found != SCHEMA_VERSION:
        raise StoreError(
            f"store {path} was written by another version of legal-assistant (registry layout "
            f"{found or 'unversioned'}, expected {SCHEMA_VERSION}). Re-index it: "
            f"legal-assistant ingest --rebuild --store {path} PATH..."
        )


def _mismatch(path: Path, recorded: str, configured: str) -> ModelMismatchError:
    return ModelMismatchError(
        f"store {path} was built with model {recorded}; configured model is {configured}. "
        f"Re-index: legal-assistant ingest --store {path} --rebuild PATHS, or set "
        f"LEGAL_ASSISTANT_EMBEDDINGS={_model_spec(recorded)}"
    )


OVERSAMPLE = 10  # unfiltered candidates per wanted hit before falling back to `where`
MIN_UNFILTERED = 200


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
            _check_schema(self.path, gen.registry)
            gen.model = gen.registry.get_info("model") or ""
            if self.check_model and gen.model and gen.model != self.model_id:
                raise _mismatch(self.path, gen.model, self.model_id)
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
            raise _mismatch(self.path, gen.model, self.model_id)
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


class StoreWriter:
    """Builds the next generation; `commit()` makes it live, leaving without it discards it."""

    def __init__(self, store: Store, *, rebuild: bool = False) -> None:
        self.store = store
        self.path = store.path
        self.rebuild = rebuild
        self.generation = 0
        self._lock_file: IO[str] | None = None
        self._registry: Registry | None = None
        self._client: ClientAPI | None = None
        self._collection: Collection | None = None
        self._committed = False

    # -- lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> StoreWriter:
        self._acquire_lock()
        try:
            self._prepare()
        except BaseException:
            self._discard()
            self._release_lock()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                self._discard()
        finally:
            self._release_lock()

    def _acquire_lock(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        handle = open(self.path / "LOCK", "a+", encoding="utf-8")  # noqa: SIM115
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise StoreBusyError(
                f"store {self.path} is being written by {holder} (lock {self.path / 'LOCK'}); "
                "wait for that ingest to finish, then run again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}\n")
        handle.flush()
        self._lock_file = handle

    def _release_lock(self) -> None:
        if self._lock_file is not None:
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    def _prepare(self) -> None:
        store = self.store
        current = read_current(self.path)
        self._delete_unfinished(current)
        base = 0 if self.rebuild else current
        self.generation = current + 1
        folder = store._generation_dir(self.generation)
        folder.mkdir(parents=True)
        if base:
            source = Registry(store._generation_dir(base) / "registry.sqlite", read_only=True)
            try:
                recorded = source.get_info("model") or ""
                if recorded and recorded != store.model_id:
                    raise _mismatch(self.path, recorded, store.model_id)
                source.copy_to(folder / "registry.sqlite")
            finally:
                source.close()
            if not store.server_mode:
                shutil.copytree(store._generation_dir(base) / "chroma", folder / "chroma")
        self._registry = Registry(folder / "registry.sqlite")
        _check_schema(self.path, self._registry)
        self._registry.set_info("model", store.model_id)
        self._open_collection(base)
        expected = self._registry.counts()[1]
        assert self._collection is not None
        if self._collection.count() != expected:
            raise StoreError(
                f"store {self.path}: copy of generation {base} holds "
                f"{self._collection.count()} vectors for {expected} chunks; run the ingest again"
            )

    def _open_collection(self, base: int) -> None:
        store = self.store
        prefix = store._collection_prefix()
        name = chroma.collection_name(prefix, self.generation)
        self._client = store._client(self.generation, fresh=True)
        if not base:
            self._collection = chroma.create_collection(self._client, name, store.model_id)
        elif store.server_mode:
            self._collection = chroma.create_collection(self._client, name, store.model_id)
            source = chroma.get_collection(self._client, chroma.collection_name(prefix, base))
            chroma.copy_collection(source, self._collection)
        else:
            copied = chroma.get_collection(self._client, chroma.collection_name(prefix, base))
            copied.modify(name=name)
            self._collection = chroma.get_collection(self._client, name)

    def _delete_unfinished(self, current: int) -> None:
        """Remove generations above CURRENT left by a writer that crashed."""
        for number in _generation_numbers(self.path):
            if number > current:
                self._delete_generation(number)
        for temp in self.path.glob("CURRENT.tmp-*"):
            temp.unlink(missing_ok=True)
        if self.store.server_mode:
            self._delete_collections(lambda n: n > current)

    def _delete_generation(self, number: int) -> None:
        folder = self.store._generation_dir(number)
        chroma.forget_cached_system(folder / "chroma")
        shutil.rmtree(folder, ignore_errors=True)

    def _delete_collections(self, doomed: Callable[[int], bool]) -> None:
        """Delete this store's server collections whose generation `doomed(n)` selects."""
        prefix = self.store._collection_prefix() + "_g"
        client = self._client or self.store._client(0)
        try:
            for collection in client.list_collections():
                name = collection.name
                suffix = name[len(prefix) :]
                if name.startswith(prefix) and suffix.isdigit() and doomed(int(suffix)):
                    client.delete_collection(name)
        finally:
            if client is not self._client:
                chroma.close_client(client)

    def _discard(self) -> None:
        """Drop the generation being built (nothing of it was made live)."""
        if self._registry is not None:
            self._registry.close()
            self._registry = None
        if self.store.server_mode and self.generation and self._client is not None:
            with contextlib.suppress(Exception):
                name = chroma.collection_name(self.store._collection_prefix(), self.generation)
                self._client.delete_collection(name)
        chroma.close_client(self._client)
        self._client = self._collection = None
        if self.generation and self.generation > read_current(self.path):
            self._delete_generation(self.generation)

    # -- registry lookups ----------------------------------------------------------------------

    def _open_registry(self) -> Registry:
        if self._registry is None or self._committed:
            raise StoreError("the store writer is not open (use it inside `with store.writer()`)")
        return self._registry

    def entry_for_path(self, source_path: str) -> RegistryEntry | None:
        return self._open_registry().entry_for_path(source_path)

    def entry_for_hash(self, content_hash: str) -> RegistryEntry | None:
        return self._open_registry().entry_for_hash(content_hash)

    def entry_for_id(self, judgment_id: str) -> RegistryEntry | None:
        return self._open_registry().entry(judgment_id)

    def entries(self) -> list[RegistryEntry]:
        return self._open_registry().entries()

    # -- changes -------------------------------------------------------------------------------

    def put(self, judgment: Judgment, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        """Add a judgment with its chunks and their vectors, replacing any judgment with the
        same id. Each chunk's text must be its exact slice of the judgment text."""
        registry = self._open_registry()
        if len(chunks) != len(vectors):
            raise StoreError(f"{judgment.id}: {len(chunks)} chunks but {len(vectors)} vectors")
        for chunk in chunks:
            if chunk.judgment_id != judgment.id:
                raise StoreError(f"chunk {chunk.id} belongs to {chunk.judgment_id}, "
                                 f"not to {judgment.id}")
            if judgment.text[chunk.char_start : chunk.char_end] != chunk.text:
                raise StoreError(f"chunk {chunk.id}: text is not judgment text "
                                 f"[{chunk.char_start}:{chunk.char_end}]")
        if len({c.id for c in chunks}) != len(chunks):
            raise StoreError(f"{judgment.id}: duplicate chunk ids")
        self.remove(judgment.id)
        assert self._collection is not None
        chroma.add_chunks(self._collection, chunks, vectors, judgment.meta)
        registry.put(
            judgment,
            chunks,
            [analyze(c.text) for c in chunks],
            self.store.model_id,
            datetime.now(UTC).isoformat(timespec="seconds"),
        )

    def remove(self, judgment_id: str) -> bool:
        """Remove a judgment and its chunks; False when it was not in the store."""
        registry = self._open_registry()
        if registry.entry(judgment_id) is None:
            return False
        chunk_ids = registry.remove(judgment_id)
        assert self._collection is not None
        for start in range(0, len(chunk_ids), chroma.COPY_BATCH):
            self._collection.delete(ids=list(chunk_ids[start : start + chroma.COPY_BATCH]))
        return True

    def commit(self) -> None:
        """Write the lexical index and the registry, then make this generation live."""
        registry = self._open_registry()
        folder = self.store._generation_dir(self.generation)
        rows = registry.chunk_terms()
        lexical = LexicalIndex.build_from_terms(
            [cid for cid, _ in rows], (terms.split() for _, terms in rows)
        )
        lexical.save(folder / "lexical")
        registry.commit()
        registry.close()
        self._registry = None
        chroma.close_client(self._client)
        self._client = self._collection = None
        _write_current(self.path, self.generation)
        self._committed = True
        self._prune()
        if self.store.generation != self.generation:
            self.store.refresh()

    def _prune(self) -> None:
        """Keep the last KEEP_GENERATIONS committed generations."""
        oldest_kept = self.generation - KEEP_GENERATIONS + 1
        for number in _generation_numbers(self.path):
            if number < oldest_kept:
                self._delete_generation(number)
        if self.store.server_mode:
            self._delete_collections(lambda n: n < oldest_kept)
