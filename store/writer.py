"""`StoreWriter`: the store's one writer. It copies the live generation n to n+1, changes n+1
and switches CURRENT to it on `commit()`; leaving without `commit()` discards n+1. A crash at
any point leaves CURRENT on a complete generation; the next writer deletes the unfinished one.
The last two committed generations are kept."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import IO, TYPE_CHECKING

import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection

from store import chroma
from store.errors import StoreBusyError, StoreError
from store.generations import (
    check_schema,
    generation_numbers,
    mismatch,
    read_current,
    write_current,
)
from store.lexical import LexicalIndex, analyze
from store.records import Chunk, Judgment
from store.registry import Registry, RegistryEntry

if TYPE_CHECKING:
    from store.store import Store

KEEP_GENERATIONS = 2


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
                    raise mismatch(self.path, recorded, store.model_id)
                source.copy_to(folder / "registry.sqlite")
            finally:
                source.close()
            if not store.server_mode:
                shutil.copytree(store._generation_dir(base) / "chroma", folder / "chroma")
        self._registry = Registry(folder / "registry.sqlite")
        check_schema(self.path, self._registry)
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
        for number in generation_numbers(self.path):
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
        assert self._collection is not None
        chroma.add_chunks(self._collection, chunks, vectors, judgment.meta)
        registry.put(
            judgment,
            chunks,
            [analyze(c.text) for c in chunks],
            self.store.model_id,
            datetime.now(UTC).isoformat(timespec="seconds"),
            sentence_vectors,
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
        write_current(self.path, self.generation)
        self._committed = True
        self._prune()
        if self.store.generation != self.generation:
            self.store.refresh()

    def _prune(self) -> None:
        """Keep the last KEEP_GENERATIONS committed generations."""
        oldest_kept = self.generation - KEEP_GENERATIONS + 1
        for number in generation_numbers(self.path):
            if number < oldest_kept:
                self._delete_generation(number)
        if self.store.server_mode:
            self._delete_collections(lambda n: n < oldest_kept)
