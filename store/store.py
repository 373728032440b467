"""`Store`: the facade ingest and the assistant use: read judgments and chunks, search, write.

A reader answers from the generation it opened (CURRENT when it opened or refreshed) until
`refresh()`: it reads the segments that generation's manifest names and keeps only the rows
live in it (store/generations.py, store/registry.py); `writer()` builds the next generation
(store/writer.py).
"""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from store import chroma
from store.errors import StoreError
from store.generations import (
    layout_error,
    mismatch,
    old_layout,
    read_current,
    read_manifest,
)
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
from store.registry import REGISTRY_FILE, SCHEMA_VERSION, Registry, chunk_id_of
from store.segments import OpenSegment, SegmentSpace, close_segment
from store.writer import KEEP_GENERATIONS, StoreWriter

COLLECTION_PREFIX = "judgments"
# A segment written without its vectors is searched with Chroma's approximate index:
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
class _View:
    """What a reader holds for one committed generation: its segments (rows one after the
    other, as in `lexical`) and, per row, whether it is live and its judgment and kind."""

    number: int
    model: str = ""
    segments: list[OpenSegment] = field(default_factory=list)
    lexical: LexicalIndex = field(default_factory=lambda: LexicalIndex([]))
    vid_row: dict[str, int] = field(default_factory=dict)  # live rows only
    metas: list[JudgmentMeta] = field(default_factory=list)
    row_judgment: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    row_kind: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    case_terms: dict[str, frozenset[str]] | None = None
    readable: bool = False  # False for generation 0 and a store opened only to be rebuilt

    @property
    def live(self) -> np.ndarray:
        return self.lexical.live

    def segment_rows(self) -> list[tuple[OpenSegment, int, int]]:
        offsets = self.lexical.offsets
        return [(s, int(offsets[i]), int(offsets[i + 1])) for i, s in enumerate(self.segments)]

    def segment_of(self, row: int) -> OpenSegment:
        return self.segments[int(np.searchsorted(self.lexical.offsets, row, side="right")) - 1]


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
        self._view = _View(0)
        self._retired: _View | None = None
        self._registry: Registry | None = None
        self._space: SegmentSpace | None = None
        self._open_segments: dict[str, OpenSegment] = {}

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
        store._view = store._load(read_current(store.path))
        return store

    # -- opening generations -------------------------------------------------------------------

    @property
    def server_mode(self) -> bool:
        return bool(self.chroma_host)

    @property
    def generation(self) -> int:
        return self._view.number

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

    def _segment(self, name: str) -> OpenSegment:
        with self._lock:
            found = self._open_segments.get(name)
        if found is not None:
            return found
        if self._space is None:
            self._space = SegmentSpace(self.path, self.chroma_host, self.chroma_port,
                                       self._collection_prefix())  # fmt: skip
        opened = self._space.open(name)
        with self._lock:
            self._open_segments.setdefault(name, opened)
            if self._open_segments[name] is not opened:
                close_segment(opened)
            return self._open_segments[name]

    def _load(self, number: int) -> _View:
        if number == 0:
            return _View(0)
        if not (self.path / REGISTRY_FILE).is_file():
            if old_layout(self.path, number):
                if not self.check_model:
                    return _View(number)  # opened to be rebuilt (`ingest --rebuild`)
                raise layout_error(self.path, "1")
            raise StoreError(
                f"store {self.path}: CURRENT names generation {number} but the registry is "
                "missing; re-index with legal-assistant ingest --rebuild"
            )
        if self._registry is None:
            self._registry = Registry(self.path / REGISTRY_FILE, read_only=True)
        registry = self._registry
        found = registry.schema()
        if found != SCHEMA_VERSION:
            if not self.check_model:
                return _View(number)  # opened to be rebuilt (`ingest --rebuild`)
            raise layout_error(self.path, found)
        manifest = read_manifest(self.path, number)
        if manifest is None:
            raise StoreError(
                f"store {self.path}: CURRENT names generation {number} but its manifest is "
                "missing; re-index with legal-assistant ingest --rebuild"
            )
        if self.check_model and manifest.model != self.model_id:
            raise mismatch(self.path, manifest.model, self.model_id)
        view = _View(number, manifest.model)
        view.segments = [self._segment(s.name) for s in manifest.segments]
        base = self._view
        # From the previous generation only: the rows an older one needed may be deleted.
        if base.readable and base.model == view.model and base.number == number - 1:
            return self._extend(base, view, registry)
        visible = registry.visible_chunks(number)
        row_of = {vid: row for row, vid in
                  enumerate(vid for s in view.segments for vid in s.ids)}  # fmt: skip
        rows = [row_of.get(vid, -1) for vid in visible.vids]
        if rows and min(rows) < 0:
            missing = visible.vids[rows.index(-1)]
            raise StoreError(
                f"store {self.path}: chunk {missing} of generation {number} is in no "
                "segment; re-index with legal-assistant ingest --rebuild"
            )
        view.metas = registry.judgment_metas(number)
        judgment_index = {m.id: i for i, m in enumerate(view.metas)}
        kind_index: dict[str, int] = {k: i for i, k in enumerate(SECTION_KINDS)}
        other = kind_index["other"]
        live = np.zeros(len(row_of), dtype=bool)
        view.row_judgment = np.full(len(row_of), len(view.metas), dtype=np.int64)
        view.row_kind = np.zeros(len(row_of), dtype=np.int64)
        at = np.asarray(rows, dtype=np.int64)
        live[at] = True
        view.row_judgment[at] = [judgment_index[j] for j in visible.judgment_ids]
        view.row_kind[at] = [kind_index.get(k, other) for k in visible.section_kinds]
        view.vid_row = dict(zip(visible.vids, rows, strict=True))
        view.lexical = LexicalIndex([s.lexical for s in view.segments], live)
        view.readable = True
        return view

    def _extend(self, base: _View, view: _View, registry: Registry) -> _View:
        """`view` built from the reader's view `base` of the generation before and what that
        commit changed, so that following a commit costs what it changed (plus array copies).
        The rows it removed are still in the registry: rows are deleted only once no reader of
        the last two generations sees them."""
        low, high = base.number, view.number
        removed_judgments, added_metas = registry.judgment_changes(low, high)
        view.metas = sorted([m for m in base.metas if m.id not in removed_judgments]
                            + added_metas, key=lambda m: m.id)  # fmt: skip
        index = {m.id: i for i, m in enumerate(view.metas)}
        dead = len(view.metas)
        remap = np.array([index.get(m.id, dead) for m in base.metas] + [dead], dtype=np.int64)
        kind_index: dict[str, int] = {k: i for i, k in enumerate(SECTION_KINDS)}
        base_live = base.live.copy()
        base_judgment = remap[base.row_judgment]
        gone = [base.vid_row[v] for v in registry.removed_between(low, high) if v in base.vid_row]
        base_live[gone] = False
        base_judgment[gone] = dead
        old_ranges = {s.name: (start, end) for s, start, end in base.segment_rows()}
        lives, judgments, kinds = [], [], []
        for segment in view.segments:
            if segment.name in old_ranges:
                start, end = old_ranges[segment.name]
                live = base_live[start:end]
                judgment = base_judgment[start:end]
                kind = base.row_kind[start:end]
            else:
                facets = registry.facets(segment.ids, high)
                live = np.array([vid in facets for vid in segment.ids], dtype=bool)
                judgment = np.array([index[facets[v][0]] if v in facets else dead
                                     for v in segment.ids], dtype=np.int64)  # fmt: skip
                kind = np.array([kind_index.get(facets[v][1], kind_index["other"])
                                 if v in facets else 0 for v in segment.ids], dtype=np.int64)
            lives.append(live)
            judgments.append(judgment)
            kinds.append(kind)
        empty = np.zeros(0, dtype=np.int64)
        live_rows = np.concatenate(lives) if lives else np.zeros(0, dtype=bool)
        view.row_judgment = np.concatenate(judgments) if judgments else empty
        view.row_kind = np.concatenate(kinds) if kinds else empty
        view.lexical = LexicalIndex([s.lexical for s in view.segments], live_rows)
        view.vid_row = self._follow_rows(base, view, gone)
        view.readable = True
        return view

    @staticmethod
    def _follow_rows(base: _View, view: _View, gone: list[int]) -> dict[str, int]:
        """`view.vid_row` from the base view's: segments the two share at the start keep their
        row numbers, so only the rows removed there and the rows after them change."""
        shared = 0
        while (shared < min(len(base.segments), len(view.segments))
               and base.segments[shared].name == view.segments[shared].name):  # fmt: skip
            shared += 1
        boundary = int(view.lexical.offsets[shared])
        vid_row = base.vid_row.copy()
        for segment in base.segments[shared:]:
            for vid in segment.ids:
                vid_row.pop(vid, None)
        base_ids = base.lexical.chunk_ids
        for row in gone:
            if row < boundary:
                vid_row.pop(base_ids[row], None)
        ids = view.lexical.chunk_ids
        for new_row in np.flatnonzero(view.live[boundary:]) + boundary:
            vid_row[ids[new_row]] = int(new_row)
        return vid_row

    def _current_view(self) -> _View:
        """The reader's view; a reader that fell more than the kept generations behind (whose
        rows a writer may already have deleted) moves to the live one first."""
        view = self._view
        if view.number and read_current(self.path) >= view.number + KEEP_GENERATIONS:
            self.refresh()
            view = self._view
        return view

    def refresh(self) -> bool:
        """Switch to the newest committed generation; True when it changed."""
        number = read_current(self.path)
        if number == self._view.number:
            return False
        new = self._load(number)
        with self._lock:
            # The replaced view is closed at the next switch, not now: a search running in
            # another thread (the page) may still be reading it.
            retired, self._retired = self._retired, self._view
            self._view = new
        if retired is not None:
            self._close_unused()
        return True

    def _close_unused(self) -> None:
        with self._lock:
            used = {s.name for v in (self._view, self._retired) if v for s in v.segments}
            unused = [s for name, s in self._open_segments.items() if name not in used]
            for segment in unused:
                del self._open_segments[segment.name]
        for segment in unused:
            close_segment(segment)

    def close(self) -> None:
        with self._lock:
            self._view, self._retired = _View(0), None
            segments, self._open_segments = list(self._open_segments.values()), {}
            registry, self._registry = self._registry, None
            space, self._space = self._space, None
        for segment in segments:
            close_segment(segment)
        if registry is not None:
            registry.close()
        if space is not None:
            space.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------------------

    def stats(self) -> StoreStats:
        view = self._view
        dates = sorted(m.date for m in view.metas if m.date)
        where = str(self.path)
        if self.server_mode:
            where += f" (Chroma server {self.chroma_host}:{self.chroma_port})"
        return StoreStats(
            judgments=len(view.metas),
            chunks=len(view.vid_row),
            courts=tuple(sorted({m.court for m in view.metas if m.court})),
            chambers=tuple(sorted({m.chamber for m in view.metas if m.chamber})),
            date_min=dates[0] if dates else "",
            date_max=dates[-1] if dates else "",
            model=view.model,
            location=where,
            generation=view.number,
            countries=tuple(sorted({m.country for m in view.metas if m.country})),
            court_counts=tuple(
                (court, country, n)
                for (court, country), n in sorted(
                    Counter((m.court, m.country) for m in view.metas if m.court).items()
                )
            ),
        )

    def _reading(self) -> tuple[Registry | None, int]:
        """The registry and the generation to read it at (None before any commit)."""
        view = self._view
        return (self._registry if view.readable else None), view.number

    def judgments(self) -> list[JudgmentMeta]:
        return list(self._view.metas)

    def judgment(self, judgment_id: str) -> Judgment:
        registry, view = self._reading()
        found = registry.judgment(judgment_id, view) if registry else None
        if found is None:
            raise KeyError(f"no judgment {judgment_id!r} in store {self.path}")
        return found

    def chunk(self, chunk_id: str) -> Chunk:
        registry, view = self._reading()
        found = registry.chunk(chunk_id, view) if registry else None
        if found is None:
            raise KeyError(f"no chunk {chunk_id!r} in store {self.path}")
        return found

    def case_terms(self) -> dict[str, frozenset[str]]:
        """Per judgment, the analysed terms that name the case: its court, chamber, date (also
        in words: "25 février 2021"), numbers and title, and the words of its opening chunks
        (parties, counsel, the decision under appeal). Built once per generation."""
        view = self._view
        if view.case_terms is None:
            registry = self._registry if view.readable else None
            opening = registry.opening_terms(CASE_OPENING_CHUNKS, view.number) if registry else {}
            view.case_terms = {
                m.id: frozenset(opening.get(m.id, set()) | set(analyze(" ".join((
                    m.court, m.chamber, m.decision_number, m.docket_number, m.title,
                    date_in_words(m.date),
                ))))) for m in view.metas
            }  # fmt: skip
        return view.case_terms

    def chunk_vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of the given chunks (those that exist), e.g. to score candidates
        that only the lexical search found."""
        view = self._view
        registry = self._registry
        if registry is None or not view.segments or not chunk_ids:
            return {}
        vids = registry.vector_ids(list(chunk_ids), view.number)
        by_segment: dict[str, list[str]] = {}
        segments = {}
        for vid in vids.values():
            row = view.vid_row.get(vid)
            if row is not None:
                segment = view.segment_of(row)
                segments[segment.name] = segment
                by_segment.setdefault(segment.name, []).append(vid)
        found: dict[str, np.ndarray] = {}
        for name, wanted in by_segment.items():
            for vid, vector in segments[name].vectors(wanted).items():
                found[chunk_id_of(vid)] = vector
        return {cid: found[cid] for cid in chunk_ids if cid in found}

    def sentence_vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        """Sentence-window vectors (one row per window) of the chunks that have them."""
        registry, view = self._reading()
        return registry.sentence_vectors(chunk_ids, view) if registry is not None else {}

    def chunks_of(self, judgment_id: str) -> list[Chunk]:
        registry, view = self._reading()
        return registry.chunks_of(judgment_id, view) if registry else []

    def _hits(
        self, view: _View, scored: list[tuple[str, float]], source: Literal["dense", "lexical"]
    ) -> list[Hit]:
        """Hits for (vector id, score) pairs, ranked from 1."""
        assert self._registry is not None
        chunks = self._registry.chunks([chunk_id_of(vid) for vid, _ in scored], view.number)
        hits = [
            Hit(chunks[chunk_id_of(vid)], score, 0, source)
            for vid, score in scored
            if chunk_id_of(vid) in chunks
        ]
        return [Hit(h.chunk, h.score, rank, h.source) for rank, h in enumerate(hits, start=1)]

    def dense_search(
        self, vector: list[float], k: int, filters: SearchFilters = SearchFilters()
    ) -> list[Hit]:
        """The `k` live chunks nearest to `vector`; score = 1 - cosine distance. Each segment
        answers its nearest allowed rows; the best of them win."""
        view = self._current_view()
        if view.model and view.model != self.model_id:
            raise mismatch(self.path, view.model, self.model_id)
        if not view.segments or k <= 0:
            return []
        allowed = view.live if filters.is_empty() else view.live & self._mask(view, filters)
        where = chroma.where_filter(filters)
        query = np.asarray([vector], dtype=np.float32)
        scored: list[tuple[str, float]] = []
        for segment, start, end in view.segment_rows():
            if allowed[start:end].any():
                scored += self._nearest(view, segment, start, end, query, k, allowed, where)
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return self._hits(view, scored[:k], "dense")

    @staticmethod
    def _nearest(
        view: _View,
        segment: OpenSegment,
        start: int,
        end: int,
        query: np.ndarray,
        k: int,
        allowed: np.ndarray,
        where: dict | None,
    ) -> list[tuple[str, float]]:
        """The `k` nearest allowed rows of one segment. A segment that keeps its vectors
        (every segment written since they are kept) is answered exactly, by comparing the query
        with each allowed row: about 7 ms for 100k rows on 2 cores, the same answer in every
        process, where Chroma's approximate index, loaded again by each process, missed some of
        the 50 nearest chunks for 45 of the 62 open dev questions, differently each time.
        For a segment written without its vectors, the segment's nearest rows are asked of
        Chroma, more and more of them, until `k` pass `allowed` (rows removed since the segment
        was written do not); if too few pass, Chroma's `where` is asked (0.2-0.4 s at 100k
        chunks)."""
        size = end - start
        rows = np.flatnonzero(allowed[start:end])
        want = min(k, len(rows))
        if segment.matrix is not None:
            return segment.exact(query, rows, want)
        dead = size - int(view.live[start:end].sum())

        def passing(found: list[tuple[str, float]]) -> list[tuple[str, float]]:
            found_rows = [view.vid_row.get(vid) for vid, _ in found]
            return [pair for pair, row in zip(found, found_rows, strict=True)
                    if row is not None and allowed[row]]  # fmt: skip

        n = min(size, max(k * OVERSAMPLE, MIN_UNFILTERED) if where else k + min(dead, k))
        while True:
            kept = passing(segment.query(query, n))
            if len(kept) >= want or n >= size:
                return kept[:want]
            if where is not None and n >= k * OVERSAMPLE * 4:
                break
            n = min(size, n * 4)
        return passing(segment.query(query, min(size, k + dead), where))[:want]

    def terms_in_use(self, terms: Iterable[str]) -> set[str]:
        """The index terms (`store.lexical.analyze`) among `terms` that a stored chunk holds."""
        lexical = self._current_view().lexical
        return {term for term in set(terms) if lexical.in_use(term)}

    def lexical_search(
        self, query: str, k: int, filters: SearchFilters = SearchFilters()
    ) -> list[Hit]:
        """The `k` best BM25 chunks for `query` (positive scores only)."""
        view = self._current_view()
        if not view.segments:
            return []
        mask = None if filters.is_empty() else self._mask(view, filters)
        return self._hits(view, view.lexical.search(query, k, mask), "lexical")

    @staticmethod
    def _mask(view: _View, filters: SearchFilters) -> np.ndarray:
        """Rows that `filters` allow (same rules as the Chroma `where`); removed rows never."""
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
                for m in view.metas
            ]
            + [False],  # the index of rows that are not live
            dtype=bool,
        )
        allowed_kinds = np.array(
            [not filters.section_kinds or k in filters.section_kinds for k in SECTION_KINDS],
            dtype=bool,
        )
        if len(view.row_judgment) == 0:
            return np.zeros(0, dtype=bool)
        return allowed_judgments[view.row_judgment] & allowed_kinds[view.row_kind]

    # -- writing -------------------------------------------------------------------------------

    def writer(self, *, rebuild: bool = False) -> StoreWriter:
        """The store's one writer (`with store.writer() as w:`). `rebuild=True` starts from an
        empty generation, e.g. after a change of embedding model."""
        return StoreWriter(self, rebuild=rebuild)
