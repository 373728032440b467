"""SQLite registry of one store generation: judgments (source, hash, model, text, structure),
chunk records, each chunk's analysed terms for the lexical index and the vectors of its
sentence windows (int8, one scale per vector)."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from store.records import Chunk, Judgment, JudgmentMeta

_SCHEMA = """
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS judgments (
    id TEXT PRIMARY KEY,
    source_path TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    model TEXT NOT NULL,
    chunk_ids TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    judgment TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS judgments_by_path ON judgments (source_path);
CREATE INDEX IF NOT EXISTS judgments_by_hash ON judgments (content_hash);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    judgment_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    section_kind TEXT NOT NULL,
    data TEXT NOT NULL,
    terms TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_judgment ON chunks (judgment_id, ordinal);
CREATE TABLE IF NOT EXISTS sentence_vectors (
    chunk_id TEXT PRIMARY KEY,
    judgment_id TEXT NOT NULL,
    dim INTEGER NOT NULL,
    scales BLOB NOT NULL,
    vectors BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sentence_vectors_by_judgment ON sentence_vectors (judgment_id);
"""


SCHEMA_VERSION = "1"  # bump when the tables above change; older stores must be re-indexed


@dataclass(frozen=True)
class RegistryEntry:
    """What the store knows about an ingested file, to decide added/updated/unchanged."""

    judgment_id: str
    source_path: str
    content_hash: str
    model: str
    chunk_ids: tuple[str, ...]
    ingested_at: str


_ENTRY_COLUMNS = "id, source_path, content_hash, model, chunk_ids, ingested_at"


def pack_vectors(matrix: np.ndarray) -> tuple[int, bytes, bytes]:
    """(dim, scales, int8 values) of a float matrix, one scale per row: a quarter of float32's
    size; cosine ranks are unchanged in measurement (docs/benchmarks.md)."""
    matrix = np.asarray(matrix, dtype=np.float32)
    scales = np.abs(matrix).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    values = np.round(matrix / scales[:, None]).astype(np.int8)
    return matrix.shape[1], scales.astype(np.float32).tobytes(), values.tobytes()


def unpack_vectors(dim: int, scales: bytes, values: bytes) -> np.ndarray:
    rows = np.frombuffer(values, dtype=np.int8).reshape(-1, dim).astype(np.float32)
    return rows * np.frombuffer(scales, dtype=np.float32)[:, None]


def _entry(row: tuple[str, str, str, str, str, str]) -> RegistryEntry:
    return RegistryEntry(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])), row[5])


class Registry:
    """One generation's registry file. Writes stay in one transaction until `commit()`."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        if read_only:
            uri = f"{path.resolve().as_uri()}?mode=ro"
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        else:
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._db.executescript(_SCHEMA)
            empty = self._db.execute("SELECT COUNT(*) FROM judgments").fetchone()[0] == 0
            known = self._db.execute("SELECT 1 FROM info WHERE key = 'schema'").fetchone()
            if empty and not known:
                self._db.execute(
                    "INSERT INTO info (key, value) VALUES ('schema', ?)", (SCHEMA_VERSION,)
                )
            self._db.commit()
        self._lock = threading.Lock()

    def schema(self) -> str:
        """The layout version this registry was written with ('' before versions existed)."""
        return self.get_info("schema") or ""

    def close(self) -> None:
        self._db.close()

    def copy_to(self, destination: Path) -> None:
        """A consistent copy of this registry (SQLite backup API)."""
        target = sqlite3.connect(destination)
        try:
            with self._lock:
                self._db.backup(target)
        finally:
            target.close()

    def commit(self) -> None:
        with self._lock:
            self._db.commit()

    # -- store-level facts -------------------------------------------------------------------

    def get_info(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM info WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_info(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO info (key, value) VALUES (?, ?)", (key, value))

    # -- writes --------------------------------------------------------------------------------

    def put(
        self,
        judgment: Judgment,
        chunks: list[Chunk],
        terms: list[list[str]],
        model: str,
        ingested_at: str,
        sentence_vectors: list[np.ndarray] | None = None,
    ) -> None:
        """Add or replace a judgment and its chunks (the caller removed any old version), with
        the vectors of each chunk's sentence windows when given."""
        meta = judgment.meta
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO judgments VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    meta.id,
                    meta.source_path,
                    meta.content_hash,
                    model,
                    json.dumps([c.id for c in chunks]),
                    ingested_at,
                    json.dumps(judgment.to_dict(), ensure_ascii=False),
                ),
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO chunks VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (c.id, c.judgment_id, c.ordinal, c.section_kind,
                     json.dumps(c.to_dict(), ensure_ascii=False), " ".join(t))
                    for c, t in zip(chunks, terms, strict=True)
                ],
            )
            if sentence_vectors is not None:
                self._db.executemany(
                    "INSERT OR REPLACE INTO sentence_vectors VALUES (?, ?, ?, ?, ?)",
                    [(c.id, c.judgment_id, *pack_vectors(m))
                     for c, m in zip(chunks, sentence_vectors, strict=True) if len(m)],
                )

    def remove(self, judgment_id: str) -> tuple[str, ...]:
        """Delete a judgment and its chunks; returns the chunk ids that were removed."""
        with self._lock:
            ids = [
                r[0]
                for r in self._db.execute(
                    "SELECT id FROM chunks WHERE judgment_id = ?", (judgment_id,)
                )
            ]
            self._db.execute("DELETE FROM chunks WHERE judgment_id = ?", (judgment_id,))
            self._db.execute(
                "DELETE FROM sentence_vectors WHERE judgment_id = ?", (judgment_id,)
            )
            self._db.execute("DELETE FROM judgments WHERE id = ?", (judgment_id,))
        return tuple(ids)

    # -- reads ---------------------------------------------------------------------------------

    def _entries(self, where: str, args: tuple[str, ...]) -> list[RegistryEntry]:
        sql = f"SELECT {_ENTRY_COLUMNS} FROM judgments {where} ORDER BY id"
        with self._lock:
            return [_entry(r) for r in self._db.execute(sql, args)]

    def entry(self, judgment_id: str) -> RegistryEntry | None:
        found = self._entries("WHERE id = ?", (judgment_id,))
        return found[0] if found else None

    def entry_for_path(self, source_path: str) -> RegistryEntry | None:
        found = self._entries("WHERE source_path = ?", (source_path,))
        return found[0] if found else None

    def entry_for_hash(self, content_hash: str) -> RegistryEntry | None:
        found = self._entries("WHERE content_hash = ?", (content_hash,))
        return found[0] if found else None

    def entries(self) -> list[RegistryEntry]:
        return self._entries("", ())

    def judgment(self, judgment_id: str) -> Judgment | None:
        with self._lock:
            row = self._db.execute(
                "SELECT judgment FROM judgments WHERE id = ?", (judgment_id,)
            ).fetchone()
        return Judgment.from_dict(json.loads(row[0])) if row else None

    def judgment_metas(self) -> list[JudgmentMeta]:
        with self._lock:
            rows = self._db.execute(
                "SELECT json_extract(judgment, '$.meta') FROM judgments ORDER BY id"
            ).fetchall()
        return [JudgmentMeta(**json.loads(r[0])) for r in rows]

    def chunk(self, chunk_id: str) -> Chunk | None:
        with self._lock:
            row = self._db.execute("SELECT data FROM chunks WHERE id = ?", (chunk_id,)).fetchone()
        return Chunk.from_dict(json.loads(row[0])) if row else None

    def _rows_for_ids(self, select: str, ids: list[str]) -> list[tuple]:
        """Rows of `select` (ending in "WHERE <id column> IN") for `ids`, in batches: SQLite
        limits the number of parameters of one statement."""
        rows: list[tuple] = []
        with self._lock:
            for start in range(0, len(ids), 500):
                batch = ids[start : start + 500]
                marks = ",".join("?" * len(batch))
                rows.extend(self._db.execute(f"{select} ({marks})", batch).fetchall())
        return rows

    def chunks(self, chunk_ids: list[str]) -> dict[str, Chunk]:
        """Chunks by id, for the ids that exist."""
        rows = self._rows_for_ids("SELECT id, data FROM chunks WHERE id IN", chunk_ids)
        return {cid: Chunk.from_dict(json.loads(data)) for cid, data in rows}

    def sentence_vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        """The sentence-window vectors of the given chunks that have them (none in a store
        written before they existed, or ingested without them)."""
        try:
            rows = self._rows_for_ids(
                "SELECT chunk_id, dim, scales, vectors FROM sentence_vectors WHERE chunk_id IN",
                chunk_ids,
            )
        except sqlite3.OperationalError:  # an older registry without the table
            return {}
        return {cid: unpack_vectors(dim, scales, values) for cid, dim, scales, values in rows}

    def chunks_of(self, judgment_id: str) -> list[Chunk]:
        with self._lock:
            rows = self._db.execute(
                "SELECT data FROM chunks WHERE judgment_id = ? ORDER BY ordinal", (judgment_id,)
            ).fetchall()
        return [Chunk.from_dict(json.loads(r[0])) for r in rows]

    def chunk_terms(self) -> list[tuple[str, str]]:
        """(chunk id, its analysed terms joined by spaces) of every chunk, in id order."""
        with self._lock:
            rows = self._db.execute("SELECT id, terms FROM chunks ORDER BY id").fetchall()
        return [(cid, terms) for cid, terms in rows]

    def opening_terms(self, chunks: int) -> dict[str, set[str]]:
        """Each judgment's analysed terms in its first `chunks` chunks (court, parties,
        counsel, date and references are stated there)."""
        found: dict[str, set[str]] = {}
        with self._lock:
            rows = self._db.execute(
                "SELECT judgment_id, terms FROM chunks WHERE ordinal < ?", (chunks,)
            ).fetchall()
        for jid, terms in rows:
            found.setdefault(jid, set()).update(terms.split())
        return found

    def chunk_facets(self) -> list[tuple[str, str, str]]:
        """(chunk id, judgment id, section kind) of every chunk, for search filters."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, judgment_id, section_kind FROM chunks"
            ).fetchall()
        return [(cid, jid, kind) for cid, jid, kind in rows]

    def counts(self) -> tuple[int, int]:
        """(judgments, chunks)."""
        with self._lock:
            judgments = self._db.execute("SELECT COUNT(*) FROM judgments").fetchone()[0]
            chunks = self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return int(judgments), int(chunks)
