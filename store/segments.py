"""Segments: a commit writes its new chunks' vectors and term frequencies as one new segment;
a segment never changes once a manifest names it. Readers search the segments of their
generation together and drop the rows that are not live in it (store/registry.py).

Why segments rather than one Chroma collection changed in place: embedded Chroma is not
process-safe (a reader process that opens a folder another process is writing may load an
index being written, and does not see later writes), and the page reads while an ingest
writes. A sealed segment is only ever read, so any number of processes read it. Server mode
uses the same segments (a collection each) so that both modes share one code path.

Small segments are merged into bigger ones by size tiers (`plan_merge`): FANOUT segments of
the same tier become one of the next tier, so a vector is copied about log_FANOUT(N / commit
size) times in its life, never once per commit. A segment whose rows are more than half
removed is rewritten with its live rows.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection

from store import chroma
from store.generations import SegmentInfo
from store.lexical import LexicalSegment

FANOUT = 4
SEGMENTS = "segments"
EMBEDDED_COLLECTION = "judgments"  # the one collection of a segment's own Chroma folder
VECTORS = "vectors.npy"  # a copy of the segment's vectors, row i is its lexical ids[i]


def save_vectors(folder: Path, matrix: np.ndarray) -> None:
    """Write a sealed segment's vectors (float32, one row per lexical row) for exact search."""
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / VECTORS, np.ascontiguousarray(matrix, dtype=np.float32))


def load_vectors(folder: Path) -> np.ndarray | None:
    """The segment's vectors, memory-mapped; None for a segment written without them."""
    path = folder / VECTORS
    return np.load(path, mmap_mode="r") if path.is_file() else None


def segment_ids(folder: Path) -> list[str]:
    """A sealed segment's vector ids in row order (without loading its term frequencies)."""
    return LexicalSegment.load_ids(folder / "lexical")


def _tier(rows: int, fanout: int) -> int:
    tier = 0
    while rows >= fanout:
        rows //= fanout
        tier += 1
    return tier


def plan_merge(segments: Sequence[SegmentInfo], fanout: int = FANOUT) -> list[str]:
    """The names of the segments to merge into one ([] when none): those more than half
    removed, and every group of `fanout` segments of one size tier (live rows), repeatedly,
    as the merged segment may fill the next tier."""
    chosen = {s.name for s in segments if s.live * 2 < s.rows}
    groups = [(s.live, [s.name]) for s in segments if s.name not in chosen]
    while True:
        tiers: dict[int, list[int]] = {}
        for i, (live, _) in enumerate(groups):
            tiers.setdefault(_tier(live, fanout), []).append(i)
        full = sorted(t for t, members in tiers.items() if len(members) >= fanout)
        if not full:
            break
        members = set(tiers[full[0]])
        merged = (sum(groups[i][0] for i in members), [n for i in members for n in groups[i][1]])
        groups = [g for i, g in enumerate(groups) if i not in members] + [merged]
    for _, names in groups:
        if len(names) > 1:
            chosen.update(names)
    return [s.name for s in segments if s.name in chosen]


@dataclass
class OpenSegment:
    """A sealed segment opened for reading: its vector ids (row order), BM25 rows, Chroma
    collection and, when it was written with them, its vectors for exact search."""

    name: str
    lexical: LexicalSegment
    client: ClientAPI | None
    collection: Collection
    matrix: np.ndarray | None = None
    _row_of: dict[str, int] | None = None
    _norms: np.ndarray | None = None

    @property
    def ids(self) -> list[str]:
        return self.lexical.ids

    def exact(self, query: np.ndarray, rows: np.ndarray, n: int) -> list[tuple[str, float]]:
        """(vector id, cosine similarity) of the `n` nearest of the segment's `rows`, by
        comparing the query with each of them (no approximate index). Few rows are gathered;
        for many, the whole matrix is multiplied (gathering scattered rows costs more)."""
        assert self.matrix is not None
        if len(rows) == 0 or n <= 0:
            return []
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        if len(rows) * 4 > len(self.matrix):
            if self._norms is None:
                self._norms = np.linalg.norm(self.matrix, axis=1)
            dots = (np.asarray(self.matrix) @ q)[rows]
            norms = self._norms[rows]
        else:
            vectors = np.asarray(self.matrix[rows], dtype=np.float32)
            dots = vectors @ q
            norms = np.linalg.norm(vectors, axis=1)
        norms = norms * float(np.linalg.norm(q))
        scores = dots / np.where(norms > 0, norms, 1.0)
        top = np.argpartition(-scores, n - 1)[:n] if n < len(rows) else np.arange(len(rows))
        top = top[np.argsort(-scores[top], kind="stable")]
        ids = self.lexical.ids
        return [(ids[int(rows[i])], float(scores[i])) for i in top]

    def query(
        self, query: np.ndarray, n: int, where: dict | None = None
    ) -> list[tuple[str, float]]:
        """(vector id, 1 - cosine distance) of the `n` nearest vectors, nearest first."""
        result = self.collection.query(
            query_embeddings=query, n_results=n, where=where, include=["distances"]
        )
        distances = result["distances"] or [[]]
        return [(vid, 1.0 - float(d))
                for vid, d in zip(result["ids"][0], distances[0], strict=True)]  # fmt: skip

    def vectors(self, vids: list[str]) -> dict[str, np.ndarray]:
        if not vids:
            return {}
        if self.matrix is not None:
            if self._row_of is None:
                self._row_of = {vid: row for row, vid in enumerate(self.lexical.ids)}
            rows = [(vid, self._row_of[vid]) for vid in vids if vid in self._row_of]
            return {vid: np.asarray(self.matrix[row], dtype=np.float32) for vid, row in rows}
        found = self.collection.get(ids=list(vids), include=["embeddings"])
        vectors = found["embeddings"] if found["embeddings"] is not None else []
        return {vid: np.asarray(v, dtype=np.float32)
                for vid, v in zip(found["ids"], vectors, strict=True)}  # fmt: skip


class SegmentSpace:
    """Where a store's segments live: `segments/<name>/` holds each one's lexical rows and, in
    embedded mode, its own Chroma folder; on a server its vectors are the collection
    `<prefix>_<name>`."""

    def __init__(self, path: Path, host: str, port: int, prefix: str) -> None:
        self.path = path
        self.host = host
        self.port = port
        self.prefix = prefix
        self._server: ClientAPI | None = None

    @property
    def server_mode(self) -> bool:
        return bool(self.host)

    def folder(self, name: str) -> Path:
        return self.path / SEGMENTS / name

    def _collection_name(self, name: str) -> str:
        return f"{self.prefix}_{name}" if self.server_mode else EMBEDDED_COLLECTION

    def _client(self, name: str, *, fresh: bool = False) -> ClientAPI | None:
        """An embedded client of the segment's folder, or None for the shared server client."""
        if self.server_mode:
            return None
        return chroma.make_client(self.folder(name) / "chroma", fresh=fresh)

    def server(self) -> ClientAPI:
        if self._server is None:
            self._server = chroma.make_client(None, self.host, self.port)
        return self._server

    def create(self, name: str, model_id: str) -> tuple[ClientAPI | None, Collection]:
        """A new, empty segment collection (any leftover of the same name is removed first)."""
        self.delete(name)
        self.folder(name).mkdir(parents=True)
        client = self._client(name, fresh=True)
        collection = chroma.create_collection(
            client or self.server(), self._collection_name(name), model_id
        )
        return client, collection

    def open_collection(self, name: str) -> tuple[ClientAPI | None, Collection]:
        """The sealed segment's collection, and its own client (None in server mode)."""
        client = self._client(name)
        try:
            return client, chroma.get_collection(client or self.server(),
                                                 self._collection_name(name))  # fmt: skip
        except Exception:
            chroma.close_client(client)
            raise

    def open(self, name: str) -> OpenSegment:
        lexical = LexicalSegment.load(self.folder(name) / "lexical")
        client, collection = self.open_collection(name)
        return OpenSegment(name, lexical, client, collection, load_vectors(self.folder(name)))

    def delete(self, name: str) -> None:
        folder = self.folder(name)
        if self.server_mode:
            with contextlib.suppress(Exception):  # already gone
                self.server().delete_collection(self._collection_name(name))
        else:
            chroma.forget_cached_system(folder / "chroma")
        shutil.rmtree(folder, ignore_errors=True)

    def existing(self) -> set[str]:
        """Names of the segments present (folders, and collections on the server)."""
        root = self.path / SEGMENTS
        names = {p.name for p in root.iterdir()} if root.is_dir() else set()
        if self.server_mode:
            start = self.prefix + "_"
            names |= {c.name[len(start):] for c in self.server().list_collections()
                      if c.name.startswith(start)}  # fmt: skip
        return names

    def close(self) -> None:
        chroma.close_client(self._server)
        self._server = None


def close_segment(segment: OpenSegment) -> None:
    chroma.close_client(segment.client)
    segment.client = None
