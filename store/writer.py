"""`StoreWriter`: the store's one writer. It builds generation n + 1 over the live generation n
without copying it: new chunks go to the registry (added in n + 1) and to one new segment,
removed ones are marked removed in n + 1 (store/registry.py, store/segments.py).

`commit()` seals the new segment, merges small segments when a size tier is full, writes the
manifest of n + 1, commits the registry transaction and then replaces CURRENT: that last step
makes n + 1 live. Leaving without `commit()` discards everything; a run that changed nothing
commits nothing and creates no generation.

A crash at any point leaves CURRENT on a complete generation. The next writer finishes the
tidying (`_tidy`): it undoes registry rows of generations above CURRENT, deletes their folders
and every segment no kept manifest names (a crashed run's vectors), and deletes the rows no
reader of the last two generations can see. The last two generations stay readable.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import IO, TYPE_CHECKING

import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection

from store import chroma
from store.errors import StoreBusyError, StoreError
from store.generations import (
    Manifest,
    SegmentInfo,
    check_schema,
    generation_dir,
    generation_numbers,
    layout_error,
    mismatch,
    old_layout,
    read_current,
    read_manifest,
    write_current,
    write_manifest,
)
from store.lexical import LexicalSegment, analyze
from store.records import Chunk, Judgment
from store.registry import (
    REGISTRY_FILE,
    SCHEMA_VERSION,
    Registry,
    RegistryEntry,
    vector_id,
)
from store.segments import SegmentSpace, plan_merge, save_vectors

if TYPE_CHECKING:
    from store.store import Store

KEEP_GENERATIONS = 2


@dataclass(frozen=True)
class StoredVectors:
    """A stored chunk's vector and its sentence-window vectors (None when stored without)."""

    vector: np.ndarray
    windows: np.ndarray | None


class StoreWriter:
    """Builds the next generation; `commit()` makes it live, leaving without it discards it."""

    def __init__(self, store: Store, *, rebuild: bool = False) -> None:
        self.store = store
        self.path = store.path
        self.rebuild = rebuild
        self.generation = 0
        self._lock_file: IO[str] | None = None
        self._registry: Registry | None = None
        self._space: SegmentSpace | None = None
        self._base = Manifest(0, store.model_id)
        self._changed = False
        self._client: ClientAPI | None = None
        self._collection: Collection | None = None
        self._new_vectors: dict[str, np.ndarray] = {}  # the new segment's, by vector id
        self._created: list[str] = []  # segments this writer made (deleted when discarded)
        self._committed = False
        self._made_folder = False  # the store folder did not exist before this writer

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
        if self._made_folder and not self._committed_once():
            # A run that committed nothing on a new store (a dry run) leaves no folder.
            shutil.rmtree(self.path, ignore_errors=True)

    def _committed_once(self) -> bool:
        return read_current(self.path) > 0

    def _acquire_lock(self) -> None:
        self._made_folder = not self.path.exists()
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
        if current and not (self.path / REGISTRY_FILE).is_file() and not self.rebuild:
            raise layout_error(self.path, "1" if old_layout(self.path, current) else "")
        if self.rebuild:
            self._drop_other_layout()
        self._registry = Registry(self.path / REGISTRY_FILE)
        check_schema(self.path, self._registry)
        base = read_manifest(self.path, current) if current else None
        if current and base is None and not self.rebuild:
            raise StoreError(
                f"store {self.path}: CURRENT names generation {current} but its manifest is "
                "missing; re-index with legal-assistant ingest --rebuild"
            )
        if base is not None and not self.rebuild and base.model != store.model_id:
            raise mismatch(self.path, base.model, store.model_id)
        self._space = SegmentSpace(self.path, store.chroma_host, store.chroma_port,
                                   store._collection_prefix())  # fmt: skip
        self._tidy(current)
        self.generation = current + 1
        if base is not None and not self.rebuild:
            self._base = base
        if self.rebuild:
            self._begin_change()
            self._registry.remove_all(self.generation)

    def _drop_other_layout(self) -> None:
        """A rebuild of a store whose registry has another layout starts a new registry (the
        store could not be read anyway)."""
        registry_file = self.path / REGISTRY_FILE
        if not registry_file.is_file():
            return
        probe = Registry(registry_file, read_only=True)
        try:
            found = probe.schema()
        finally:
            probe.close()
        if found != SCHEMA_VERSION:
            for suffix in ("", "-wal", "-shm"):
                (self.path / (REGISTRY_FILE + suffix)).unlink(missing_ok=True)

    def _tidy(self, current: int) -> None:
        """Remove what no reader of generations `current` - 1 and `current` needs: a crashed
        writer's registry rows, generation folders and segments, and the rows removed before
        `current`. Writes nothing when there is nothing to remove."""
        assert self._registry is not None and self._space is not None
        self._registry.undo_after(current)
        oldest = current - KEEP_GENERATIONS + 1
        for number in generation_numbers(self.path):
            if number > current or number < oldest or old_layout(self.path, number):
                folder = generation_dir(self.path, number)
                chroma.forget_cached_system(folder / "chroma")
                shutil.rmtree(folder, ignore_errors=True)
        for temp in self.path.glob("CURRENT.tmp-*"):
            temp.unlink(missing_ok=True)
        if oldest > 0:
            self._registry.purge(oldest)
        keep: set[str] = set()
        for number in range(max(oldest, 1), current + 1):
            manifest = read_manifest(self.path, number)
            keep |= manifest.names if manifest else set()
        for name in self._space.existing() - keep:
            self._space.delete(name)

    def _discard(self) -> None:
        """Drop the generation being built (nothing of it was made live)."""
        if self._registry is not None:
            self._registry.rollback()
            self._registry.close()
            self._registry = None
        chroma.close_client(self._client)
        self._client = self._collection = None
        if self._space is not None:
            for name in self._created:
                self._space.delete(name)
            self._space.close()
            self._space = None
        if self.generation and self.generation > read_current(self.path):
            shutil.rmtree(generation_dir(self.path, self.generation), ignore_errors=True)

    def _begin_change(self) -> None:
        """The first change of this writer: the generation folder appears (for its manifest)."""
        if not self._changed:
            self._changed = True
            generation_dir(self.path, self.generation).mkdir(parents=True, exist_ok=True)

    @property
    def _segment_name(self) -> str:
        return f"s{self.generation}"

    def _new_collection(self) -> Collection:
        """The collection of this writer's new segment (created at the first put)."""
        if self._collection is None:
            assert self._space is not None
            self._created.append(self._segment_name)
            self._client, self._collection = self._space.create(
                self._segment_name, self.store.model_id
            )
        return self._collection

    # -- registry lookups ----------------------------------------------------------------------

    def _open_registry(self) -> Registry:
        if self._registry is None or self._committed:
            raise StoreError("the store writer is not open (use it inside `with store.writer()`)")
        return self._registry

    def entry_for_path(self, source_path: str) -> RegistryEntry | None:
        return self._open_registry().entry_for_path(source_path, self.generation)

    def entry_for_hash(self, content_hash: str) -> RegistryEntry | None:
        return self._open_registry().entry_for_hash(content_hash, self.generation)

    def entry_for_id(self, judgment_id: str) -> RegistryEntry | None:
        return self._open_registry().entry(judgment_id, self.generation)

    def entries(self) -> list[RegistryEntry]:
        return self._open_registry().entries(self.generation)

    def holds(self, judgment: Judgment, chunks: list[Chunk]) -> bool:
        """Whether the store holds `judgment` exactly as given (text, metadata, sections,
        paragraphs) cut into exactly these chunks."""
        registry = self._open_registry()
        return (registry.judgment(judgment.id, self.generation) == judgment
                and registry.chunks_of(judgment.id, self.generation) == chunks)  # fmt: skip

    def stored_vectors(self, judgment_id: str) -> dict[str, StoredVectors]:
        """The vectors a judgment's chunks were stored with in the live generation (this
        writer's base), by chunk text, so that a re-stored judgment embeds only the chunks
        whose text is new (vectors depend on the text alone). Empty when the store's reader is
        not on that generation."""
        registry = self._open_registry()
        base = self._base.number
        if self.store.generation != base or self.rebuild:
            return {}
        chunks = registry.chunks_of(judgment_id, base)
        ids = [c.id for c in chunks]
        vectors = self.store.chunk_vectors(ids)
        windows = registry.sentence_vectors(ids, base)
        return {c.text: StoredVectors(vectors[c.id], windows.get(c.id))
                for c in chunks if c.id in vectors}  # fmt: skip

    # -- changes -------------------------------------------------------------------------------

    def put(
        self,
        judgment: Judgment,
        chunks: list[Chunk],
        vectors: list[list[float]],
        sentence_vectors: list[np.ndarray] | None = None,
    ) -> None:
        """Add a judgment with its chunks and their vectors (and, optionally, each chunk's
        sentence-window vectors), replacing any judgment with the same id. Each chunk's text
        must be its exact slice of the judgment text."""
        registry = self._open_registry()
        if len(chunks) != len(vectors):
            raise StoreError(f"{judgment.id}: {len(chunks)} chunks but {len(vectors)} vectors")
        if sentence_vectors is not None and len(sentence_vectors) != len(chunks):
            raise StoreError(f"{judgment.id}: {len(chunks)} chunks but sentence vectors for "
                             f"{len(sentence_vectors)}")
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
        self._begin_change()
        ids = [vector_id(c.id, self.generation) for c in chunks]
        chroma.add_chunks(self._new_collection(), ids, chunks, vectors, judgment.meta)
        self._new_vectors.update(zip(ids, np.asarray(vectors, dtype=np.float32), strict=True))
        registry.put(
            judgment,
            chunks,
            [analyze(c.text) for c in chunks],
            self.store.model_id,
            datetime.now(UTC).isoformat(timespec="seconds"),
            self.generation,
            self._segment_name,
            sentence_vectors,
        )

    def remove(self, judgment_id: str) -> bool:
        """Remove a judgment and its chunks; False when it was not in the store."""
        registry = self._open_registry()
        if registry.entry(judgment_id, self.generation) is None:
            return False
        self._begin_change()
        fresh = registry.remove(judgment_id, self.generation)
        for vid in fresh:
            self._new_vectors.pop(vid, None)
        if fresh and self._collection is not None:
            for start in range(0, len(fresh), chroma.COPY_BATCH):
                self._collection.delete(ids=fresh[start : start + chroma.COPY_BATCH])
        return True

    def commit(self) -> None:
        """Seal the new segment, merge segments when a tier is full, write the manifest and
        the registry, then make this generation live. Without a change, nothing is written."""
        registry = self._open_registry()
        if not self._changed:
            self._finish()
            return
        removed = registry.removed_per_segment(self.generation)
        segments = [SegmentInfo(s.name, s.rows, s.dead + removed.get(s.name, 0))
                    for s in self._base.segments]  # fmt: skip
        new = self._seal()
        segments = [s for s in segments + ([new] if new else []) if s.live > 0]
        plan = plan_merge(segments)
        if plan:
            merged = self._merge(plan)
            segments = [s for s in segments if s.name not in plan] + ([merged] if merged else [])
        write_manifest(self.path, Manifest(self.generation, self.store.model_id,
                                           tuple(segments)))  # fmt: skip
        registry.commit()
        write_current(self.path, self.generation)
        self._committed = True
        self._prune()
        self._finish()
        if self.store.generation != self.generation:
            self.store.refresh()

    def _finish(self) -> None:
        self._committed = True
        if self._registry is not None:
            self._registry.close()
            self._registry = None
        if self._space is not None:
            self._space.close()
            self._space = None

    def _prune(self) -> None:
        """After the switch: drop what readers of the last two generations do not need."""
        self._tidy(self.generation)

    def _seal(self) -> SegmentInfo | None:
        """Close this writer's segment and write its lexical rows; None when it has none."""
        assert self._registry is not None and self._space is not None
        if self._collection is None:
            return None
        rows = self._registry.added_terms(self.generation)
        stored = self._collection.count()
        chroma.close_client(self._client)
        self._client = self._collection = None
        if stored != len(rows):
            raise StoreError(f"store {self.path}: new segment holds {stored} vectors for "
                             f"{len(rows)} chunks; run the ingest again")
        if not rows:
            return None
        folder = self._space.folder(self._segment_name)
        save_vectors(folder, np.stack([self._new_vectors[v] for v, _ in rows]))
        self._new_vectors = {}
        LexicalSegment.from_terms([v for v, _ in rows], [t for _, t in rows]).save(
            folder / "lexical"
        )
        return SegmentInfo(self._segment_name, len(rows))

    def _merge(self, names: list[str]) -> SegmentInfo | None:
        """One new segment holding the live rows of the segments `names`."""
        assert self._registry is not None and self._space is not None
        rows = self._registry.segment_terms(names, self.generation)
        if not rows:
            return None
        name = f"s{self.generation}m"
        self._created.append(name)
        client, target = self._space.create(name, self.store.model_id)
        try:
            by_source: dict[str, list[str]] = defaultdict(list)
            for vid, _, source in rows:
                by_source[source].append(vid)
            vectors: dict[str, np.ndarray] = {}
            for source, vids in by_source.items():
                source_client, collection = self._space.open_collection(source)
                try:
                    vectors.update(chroma.copy_records(collection, target, vids))
                finally:
                    chroma.close_client(source_client)
            stored = target.count()
        finally:
            chroma.close_client(client)
        if stored != len(rows):
            raise StoreError(f"store {self.path}: merged segment holds {stored} vectors for "
                             f"{len(rows)} chunks; run the ingest again")
        save_vectors(self._space.folder(name), np.stack([vectors[v] for v, _, _ in rows]))
        LexicalSegment.from_terms([v for v, _, _ in rows], [t for _, t, _ in rows]).save(
            self._space.folder(name) / "lexical"
        )
        self._registry.move_to_segment([v for v, _, _ in rows], name, self.generation)
        return SegmentInfo(name, len(rows))
