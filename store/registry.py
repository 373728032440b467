"""SQLite registry of a store: judgments (source, hash, model, text, structure), chunk records,
each chunk's analysed terms for the lexical index and the vectors of its sentence windows (int8,
one scale per vector).

One registry per store, shared by the writer and every reader (WAL mode: readers never wait).
Visibility lives here: every judgment and chunk row carries the generation that added it
(`added_in`) and the one that removed it (`removed_in`, NULL while live). A reader of generation
g sees the rows with `added_in <= g` and `removed_in` NULL or above g, so a writer's rows for
g + 1 (committed to SQLite or not) never reach it. A chunk's vector is named
`<chunk id>@<added_in>` in Chroma (`vector_id`), so an updated chunk's old and new vectors can
both exist while readers of the old generation still need the old one.
"""

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
    id TEXT NOT NULL,
    added_in INTEGER NOT NULL,
    removed_in INTEGER,
    source_path TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    model TEXT NOT NULL,
    chunk_ids TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    judgment TEXT NOT NULL,
    PRIMARY KEY (id, added_in)
);
CREATE INDEX IF NOT EXISTS judgments_by_path ON judgments (source_path);
CREATE INDEX IF NOT EXISTS judgments_by_hash ON judgments (content_hash);
CREATE INDEX IF NOT EXISTS judgments_by_removal ON judgments (removed_in);
CREATE INDEX IF NOT EXISTS judgments_by_addition ON judgments (added_in);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT NOT NULL,
    added_in INTEGER NOT NULL,
    removed_in INTEGER,
    judgment_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    section_kind TEXT NOT NULL,
    segment TEXT NOT NULL,
    data TEXT NOT NULL,
    terms TEXT NOT NULL,
    moved_in INTEGER,
    previous_segment TEXT,
    PRIMARY KEY (id, added_in)
);
CREATE INDEX IF NOT EXISTS chunks_by_judgment ON chunks (judgment_id, ordinal);
CREATE INDEX IF NOT EXISTS chunks_by_removal ON chunks (removed_in);
CREATE INDEX IF NOT EXISTS chunks_by_addition ON chunks (added_in);
CREATE INDEX IF NOT EXISTS chunks_by_segment ON chunks (segment);
CREATE INDEX IF NOT EXISTS chunks_by_move ON chunks (moved_in);
CREATE TABLE IF NOT EXISTS sentence_vectors (
    chunk_id TEXT NOT NULL,
    added_in INTEGER NOT NULL,
    dim INTEGER NOT NULL,
    scales BLOB NOT NULL,
    vectors BLOB NOT NULL,
    PRIMARY KEY (chunk_id, added_in)
);
"""

# 2: one registry per store with added_in/removed_in generations and vector segments
# (1: one registry per generation folder). Bump when the tables above change; older stores
# must be re-indexed.
SCHEMA_VERSION = "2"

REGISTRY_FILE = "registry.sqlite"


def _visible(table: str = "") -> str:
    """SQL condition: the row is live in a generation, bound as `_view_args(view)`."""
    prefix = f"{table}." if table else ""
    return f"{prefix}added_in <= ? AND ({prefix}removed_in IS NULL OR {prefix}removed_in > ?)"


def _view_args(view: int) -> tuple[int, int]:
    return view, view


def vector_id(chunk_id: str, added_in: int) -> str:
    """The Chroma id of a chunk's vector: one per version of the chunk."""
    return f"{chunk_id}@{added_in}"


def chunk_id_of(vid: str) -> str:
    return vid.rsplit("@", 1)[0]


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


@dataclass(frozen=True)
class VisibleChunks:
    """The chunk rows live in a view, as columns, with what search filters need."""

    vids: list[str]
    judgment_ids: list[str]
    section_kinds: list[str]


class Registry:
    """The store's registry file. A writer's changes stay in one SQLite transaction until
    `commit()`; every read takes the generation (`view`) it reads."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._lock = threading.Lock()
        if read_only:
            self._db.execute("PRAGMA query_only = ON")
            return
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.executescript(_SCHEMA)
        known = self._db.execute("SELECT 1 FROM info WHERE key = 'schema'").fetchone()
        if not known and self._db.execute("SELECT COUNT(*) FROM judgments").fetchone()[0] == 0:
            self._db.execute("INSERT INTO info (key, value) VALUES ('schema', ?)",
                             (SCHEMA_VERSION,))  # fmt: skip
        self._db.commit()

    def schema(self) -> str:
        """The layout version this registry was written with ('' before versions existed)."""
        try:
            return self.get_info("schema") or ""
        except sqlite3.OperationalError:  # not a registry of this project
            return ""

    def close(self) -> None:
        self._db.close()

    def commit(self) -> None:
        with self._lock:
            self._db.commit()

    def rollback(self) -> None:
        with self._lock:
            self._db.rollback()

    # -- store-level facts -------------------------------------------------------------------

    def get_info(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM info WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- writes --------------------------------------------------------------------------------

    def put(
        self,
        judgment: Judgment,
        chunks: list[Chunk],
        terms: list[list[str]],
        model: str,
        ingested_at: str,
        generation: int,
        segment: str,
        sentence_vectors: list[np.ndarray] | None = None,
    ) -> None:
        """Add a judgment and its chunks as added in `generation`, their vectors in `segment`
        (the caller removed any live version), with the vectors of each chunk's sentence
        windows when given."""
        meta = judgment.meta
        with self._lock:
            self._db.execute(
                "INSERT INTO judgments VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)",
                (
                    meta.id,
                    generation,
                    meta.source_path,
                    meta.content_hash,
                    model,
                    json.dumps([c.id for c in chunks]),
                    ingested_at,
                    json.dumps(judgment.to_dict(), ensure_ascii=False),
                ),
            )
            self._db.executemany(
                "INSERT INTO chunks VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                [
                    (c.id, generation, c.judgment_id, c.ordinal, c.section_kind, segment,
                     json.dumps(c.to_dict(), ensure_ascii=False), " ".join(t))
                    for c, t in zip(chunks, terms, strict=True)
                ],
            )
            if sentence_vectors is not None:
                self._db.executemany(
                    "INSERT INTO sentence_vectors VALUES (?, ?, ?, ?, ?)",
                    [(c.id, generation, *pack_vectors(m))
                     for c, m in zip(chunks, sentence_vectors, strict=True) if len(m)],
                )

    def remove(self, judgment_id: str, generation: int) -> list[str]:
        """Remove a judgment in `generation`: rows added by this same generation are deleted
        (no reader ever saw them), older live rows are marked removed. Returns the vector ids
        deleted outright (their vectors must leave the segment being written)."""
        with self._lock:
            fresh = [
                vector_id(cid, generation)
                for (cid,) in self._db.execute(
                    "SELECT id FROM chunks WHERE judgment_id = ? AND added_in = ?",
                    (judgment_id, generation),
                )
            ]
            self._db.execute(
                "DELETE FROM sentence_vectors WHERE added_in = ? AND chunk_id IN "
                "(SELECT id FROM chunks WHERE judgment_id = ? AND added_in = ?)",
                (generation, judgment_id, generation),
            )
            for table, column in (("chunks", "judgment_id"), ("judgments", "id")):
                self._db.execute(
                    f"DELETE FROM {table} WHERE {column} = ? AND added_in = ?",
                    (judgment_id, generation),
                )
                self._db.execute(
                    f"UPDATE {table} SET removed_in = ? WHERE {column} = ? "
                    "AND removed_in IS NULL",
                    (generation, judgment_id),
                )
        return fresh

    def remove_all(self, generation: int) -> None:
        """Mark every live row removed in `generation` (a rebuild starts from nothing)."""
        with self._lock:
            for table in ("judgments", "chunks"):
                self._db.execute(
                    f"UPDATE {table} SET removed_in = ? WHERE removed_in IS NULL", (generation,)
                )

    def undo_after(self, generation: int) -> bool:
        """Undo what a crashed writer committed for generations above `generation` (CURRENT
        was never switched to them); True when something was undone (and committed)."""
        with self._lock:
            found = any(  # one indexed look-up each (an OR of them scans the table)
                self._db.execute(
                    f"SELECT 1 FROM {table} WHERE {column} > ? LIMIT 1", (generation,)
                ).fetchone()
                for table, column in (("judgments", "added_in"), ("judgments", "removed_in"),
                                      ("chunks", "added_in"), ("chunks", "removed_in"),
                                      ("chunks", "moved_in"))
            )
            if not found:
                return False
            self._db.execute(
                "UPDATE chunks SET segment = previous_segment, moved_in = NULL, "
                "previous_segment = NULL WHERE moved_in > ?",
                (generation,),
            )
            self._db.execute("DELETE FROM sentence_vectors WHERE added_in > ?", (generation,))
            for table in ("judgments", "chunks"):
                self._db.execute(f"DELETE FROM {table} WHERE added_in > ?", (generation,))
                self._db.execute(
                    f"UPDATE {table} SET removed_in = NULL WHERE removed_in > ?", (generation,)
                )
            self._db.commit()
        return True

    def purge(self, oldest_view: int) -> int:
        """Delete the rows no reader of generation `oldest_view` or later can see (removed in
        it or before); returns the number of chunk rows deleted. Committed at once."""
        with self._lock:
            if not any(
                self._db.execute(
                    f"SELECT 1 FROM {table} WHERE removed_in <= ? LIMIT 1", (oldest_view,)
                ).fetchone()
                for table in ("judgments", "chunks")
            ):
                return 0
            self._db.execute(
                "DELETE FROM sentence_vectors WHERE (chunk_id, added_in) IN "
                "(SELECT id, added_in FROM chunks WHERE removed_in <= ?)",
                (oldest_view,),
            )
            deleted = self._db.execute(
                "DELETE FROM chunks WHERE removed_in <= ?", (oldest_view,)
            ).rowcount
            self._db.execute("DELETE FROM judgments WHERE removed_in <= ?", (oldest_view,))
            self._db.commit()
        return int(deleted)

    def move_to_segment(self, vids: list[str], segment: str, generation: int) -> None:
        """Record that the vectors `vids` live in `segment` from `generation` on (a merge); a
        move that never became live is undone by `undo_after`."""
        rows = [(segment, generation, *_split_vid(v)) for v in vids]
        with self._lock:
            self._db.executemany(
                "UPDATE chunks SET previous_segment = segment, segment = ?, moved_in = ? "
                "WHERE id = ? AND added_in = ?",
                rows,
            )

    # -- reads for the writer ------------------------------------------------------------------

    def added_terms(self, generation: int) -> list[tuple[str, list[str]]]:
        """(vector id, terms) of the chunks added in `generation`, in vector id order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, terms FROM chunks WHERE added_in = ? ORDER BY id", (generation,)
            ).fetchall()
        return [(vector_id(cid, generation), terms.split()) for cid, terms in rows]

    def segment_terms(
        self, segments: list[str], view: int
    ) -> list[tuple[str, list[str], str]]:
        """(vector id, terms, segment) of the chunks of `segments` live in `view`, in vector
        id order."""
        marks = ",".join("?" * len(segments))
        with self._lock:
            rows = self._db.execute(
                f"SELECT id, added_in, terms, segment FROM chunks WHERE segment IN ({marks}) "
                f"AND {_visible()}",
                (*segments, *_view_args(view)),
            ).fetchall()
        return sorted((vector_id(cid, added), terms.split(), segment)
                      for cid, added, terms, segment in rows)  # fmt: skip

    def removed_per_segment(self, generation: int) -> dict[str, int]:
        """How many chunk rows of each segment `generation` removed."""
        with self._lock:
            rows = self._db.execute(
                "SELECT segment, COUNT(*) FROM chunks WHERE removed_in = ? GROUP BY segment",
                (generation,),
            ).fetchall()
        return {segment: int(n) for segment, n in rows}

    # -- reads for a view ----------------------------------------------------------------------

    def _entries(self, where: str, args: tuple[object, ...], view: int) -> list[RegistryEntry]:
        sql = (f"SELECT {_ENTRY_COLUMNS} FROM judgments WHERE {_visible()} {where} "
               "ORDER BY id")  # fmt: skip
        with self._lock:
            return [_entry(r) for r in self._db.execute(sql, (*_view_args(view), *args))]

    def entry(self, judgment_id: str, view: int) -> RegistryEntry | None:
        found = self._entries("AND id = ?", (judgment_id,), view)
        return found[0] if found else None

    def entry_for_path(self, source_path: str, view: int) -> RegistryEntry | None:
        found = self._entries("AND source_path = ?", (source_path,), view)
        return found[0] if found else None

    def entry_for_hash(self, content_hash: str, view: int) -> RegistryEntry | None:
        found = self._entries("AND content_hash = ?", (content_hash,), view)
        return found[0] if found else None

    def entries(self, view: int) -> list[RegistryEntry]:
        return self._entries("", (), view)

    def judgment(self, judgment_id: str, view: int) -> Judgment | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT judgment FROM judgments WHERE id = ? AND {_visible()}",
                (judgment_id, *_view_args(view)),
            ).fetchone()
        return Judgment.from_dict(json.loads(row[0])) if row else None

    def judgment_metas(self, view: int) -> list[JudgmentMeta]:
        with self._lock:
            rows = self._db.execute(
                "SELECT json_extract(judgment, '$.meta') FROM judgments "
                f"WHERE {_visible()} ORDER BY id",
                _view_args(view),
            ).fetchall()
        return [JudgmentMeta(**json.loads(r[0])) for r in rows]

    def chunk(self, chunk_id: str, view: int) -> Chunk | None:
        found = self.chunks([chunk_id], view)
        return found.get(chunk_id)

    def _rows_for_ids(self, select: str, ids: list[str], view: int) -> list[tuple]:
        """Rows of `select` (a query whose WHERE ends in "<id column> IN") for `ids` live in
        `view`, in batches: SQLite limits the number of parameters of one statement."""
        rows: list[tuple] = []
        with self._lock:
            for start in range(0, len(ids), 500):
                batch = ids[start : start + 500]
                marks = ",".join("?" * len(batch))
                rows.extend(
                    self._db.execute(f"{select} ({marks})", (*_view_args(view), *batch))
                )
        return rows

    def chunks(self, chunk_ids: list[str], view: int) -> dict[str, Chunk]:
        """Chunks live in `view` by id, for the ids that exist."""
        rows = self._rows_for_ids(
            f"SELECT id, data FROM chunks WHERE {_visible()} AND id IN", chunk_ids, view
        )
        return {cid: Chunk.from_dict(json.loads(data)) for cid, data in rows}

    def vector_ids(self, chunk_ids: list[str], view: int) -> dict[str, str]:
        """The vector id of each chunk live in `view`."""
        rows = self._rows_for_ids(
            f"SELECT id, added_in FROM chunks WHERE {_visible()} AND id IN", chunk_ids, view
        )
        return {cid: vector_id(cid, added) for cid, added in rows}

    def sentence_vectors(self, chunk_ids: list[str], view: int) -> dict[str, np.ndarray]:
        """The sentence-window vectors of the given chunks live in `view` that have them."""
        rows = self._rows_for_ids(
            "SELECT s.chunk_id, s.dim, s.scales, s.vectors FROM sentence_vectors s "
            f"JOIN chunks c ON c.id = s.chunk_id AND c.added_in = s.added_in "
            f"WHERE {_visible('c')} AND s.chunk_id IN",
            chunk_ids,
            view,
        )
        return {cid: unpack_vectors(dim, scales, values) for cid, dim, scales, values in rows}

    def chunks_of(self, judgment_id: str, view: int) -> list[Chunk]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT data FROM chunks WHERE judgment_id = ? AND {_visible()} "
                "ORDER BY ordinal",
                (judgment_id, *_view_args(view)),
            ).fetchall()
        return [Chunk.from_dict(json.loads(r[0])) for r in rows]

    def opening_terms(self, chunks: int, view: int) -> dict[str, set[str]]:
        """Each judgment's analysed terms in its first `chunks` chunks (court, parties,
        counsel, date and references are stated there)."""
        found: dict[str, set[str]] = {}
        with self._lock:
            rows = self._db.execute(
                f"SELECT judgment_id, terms FROM chunks WHERE ordinal < ? AND {_visible()}",
                (chunks, *_view_args(view)),
            ).fetchall()
        for jid, terms in rows:
            found.setdefault(jid, set()).update(terms.split())
        return found

    def visible_chunks(self, view: int) -> VisibleChunks:
        """Every chunk live in `view`: its vector id, judgment and section kind (as columns:
        a reader opening a 100k-chunk store builds no object per chunk)."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT id, added_in, judgment_id, section_kind FROM chunks WHERE {_visible()}",
                _view_args(view),
            ).fetchall()
        return VisibleChunks(
            vids=[vector_id(cid, added) for cid, added, _, _ in rows],
            judgment_ids=[jid for _, _, jid, _ in rows],
            section_kinds=[kind for _, _, _, kind in rows],
        )

    def removed_between(self, low: int, high: int) -> list[str]:
        """Vector ids of the chunks removed by generations low + 1 .. high."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, added_in FROM chunks WHERE removed_in > ? AND removed_in <= ?",
                (low, high),
            ).fetchall()
        return [vector_id(cid, added) for cid, added in rows]

    def facets(self, vids: list[str], view: int) -> dict[str, tuple[str, str]]:
        """(judgment id, section kind) of the chunks `vids` live in `view`."""
        wanted = set(vids)
        rows = self._rows_for_ids(
            "SELECT id, added_in, judgment_id, section_kind FROM chunks "
            f"WHERE {_visible()} AND id IN",
            sorted({_split_vid(v)[0] for v in vids}),
            view,
        )  # by chunk id: SQLite searched (id, added_in) pairs through the added_in index
        found: dict[str, tuple[str, str]] = {}
        for cid, added, jid, kind in rows:
            vid = vector_id(cid, added)
            if vid in wanted:
                found[vid] = (jid, kind)
        return found

    def judgment_changes(self, low: int, high: int) -> tuple[set[str], list[JudgmentMeta]]:
        """Between generations `low` and `high`: the ids of judgments live at `low` and removed
        since, and the metadata of those added since and live at `high`."""
        with self._lock:
            removed = {
                jid for (jid,) in self._db.execute(
                    "SELECT id FROM judgments WHERE added_in <= ? AND removed_in > ? "
                    "AND removed_in <= ?",
                    (low, low, high),
                )
            }
            rows = self._db.execute(
                "SELECT json_extract(judgment, '$.meta') FROM judgments WHERE added_in > ? "
                f"AND {_visible()}",
                (low, *_view_args(high)),
            ).fetchall()
        return removed, [JudgmentMeta(**json.loads(r[0])) for r in rows]

    def counts(self, view: int) -> tuple[int, int]:
        """(judgments, chunks) live in `view`."""
        with self._lock:
            judgments = self._db.execute(
                f"SELECT COUNT(*) FROM judgments WHERE {_visible()}", _view_args(view)
            ).fetchone()[0]
            chunks = self._db.execute(
                f"SELECT COUNT(*) FROM chunks WHERE {_visible()}", _view_args(view)
            ).fetchone()[0]
        return int(judgments), int(chunks)


def _split_vid(vid: str) -> tuple[str, int]:
    chunk_id, added = vid.rsplit("@", 1)
    return chunk_id, int(added)
