"""An ingest run: find files, read, parse, chunk, embed, and hand each judgment to the store.

A bad file is reported with its reason and the run goes on. All changes of a run land in the
store together at commit (a new store generation), so a crash never leaves a mix.

Open-data files (`ingest.open_data`: JSON records, JSON Lines, DILA XML) can hold several
judgments. A one-record file is registered under its path, as a document is; a record of
JSON Lines under "path#key" (key: the record's `_id`/`id`/`ecli`, else "L<line>"), so a
changed line updates only its judgment and a re-run changes nothing. A bad line fails as
"FILE:LINE" and the other lines go on. `--prune` removes the records no longer in a file
that was read cleanly, and the judgments of files that are gone.

A file whose text is unchanged is still read and cut: when this version of the tool reads it
differently (metadata, sections, paragraphs or chunks) than the stored version, it is stored
again ("updated"), so an upgrade needs no `--rebuild`. A judgment stored again (edited or
read differently) keeps the vectors of the chunks whose text the store already holds; only
new chunk texts are embedded.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from ingest.chunk import chunk_judgment
from ingest.open_data import is_record_file, read_records
from ingest.parse import judgment_from_record, parse_judgment
from ingest.read import SUPPORTED_EXTENSIONS, read_document
from store.errors import InputFileError
from store.records import Chunk, Judgment
from store.sentences import sentence_windows
from store.store import Store
from store.writer import StoredVectors, StoreWriter

Status = Literal["added", "updated", "unchanged", "duplicate", "removed", "failed", "skipped"]
STATUSES: tuple[Status, ...] = (
    "added", "updated", "unchanged", "removed", "duplicate", "failed", "skipped",
)  # fmt: skip
REREAD = "same text, read differently by this version: stored again"


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file or one record ("FILE:LINE" for a line of JSON Lines), or, for
    `removed`, to one judgment whose file or record is gone."""

    path: str
    status: Status
    judgment_id: str = ""
    chunks: int = 0
    detail: str = ""  # the reason of a failure, the original of a duplicate, warnings
    reused: int = 0  # chunks whose text was stored already: their vectors were kept

    @property
    def embedded(self) -> int:
        """Chunks embedded for this outcome."""
        return self.chunks - self.reused if self.status in ("added", "updated") else 0


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: dict[str, float] = field(
        default_factory=lambda: {"read_parse": 0.0, "chunk": 0.0, "embed": 0.0, "store": 0.0}
    )
    dry_run: bool = False

    def counts(self) -> Counter[str]:
        return Counter(o.status for o in self.outcomes)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def chunks_embedded(self) -> int:
        return sum(o.embedded for o in self.outcomes)


class Progress(Protocol):
    def start(self, total_files: int) -> None: ...
    def advance(self, outcome: FileOutcome) -> None: ...


class _NoProgress:
    def start(self, total_files: int) -> None:
        pass

    def advance(self, outcome: FileOutcome) -> None:
        pass


@dataclass(frozen=True)
class Discovery:
    files: list[Path]
    skipped: list[FileOutcome]
    missing: list[FileOutcome]


def discover(paths: Iterable[Path]) -> Discovery:
    """Files to ingest under `paths` (folders walked recursively, hidden entries ignored).

    Inside a folder, files of other types are skipped and listed; a file named explicitly with
    an unsupported type, or a path that does not exist, is a failure.
    """
    files: list[Path] = []
    skipped: list[FileOutcome] = []
    missing: list[FileOutcome] = []
    for path in paths:
        if path.is_dir():
            for candidate in sorted(path.rglob("*")):
                relative = candidate.relative_to(path).parts
                hidden = any(part.startswith(".") for part in relative)
                broken_link = candidate.is_symlink() and not candidate.exists()
                if hidden or not (candidate.is_file() or broken_link):
                    continue
                if candidate.suffix.lower() in SUPPORTED_EXTENSIONS:
                    files.append(candidate)
                else:
                    reason = f"skipped: unsupported file type {candidate.suffix or '(none)'}"
                    skipped.append(FileOutcome(str(candidate), "skipped", detail=reason))
        elif path.exists() or path.is_symlink():
            if path.suffix.lower() in SUPPORTED_EXTENSIONS:
                files.append(path)
            else:
                reason = f"unsupported file type {path.suffix or '(none)'}"
                missing.append(FileOutcome(str(path), "failed", detail=reason))
        else:
            missing.append(FileOutcome(str(path), "failed", detail="no such file or folder"))
    unique = list(dict.fromkeys(p if p.is_symlink() else p.resolve() for p in files))
    named = {o.path for o in missing}
    return Discovery(unique, [o for o in skipped if o.path not in named], missing)


def embed_chunks(
    embeddings: Embeddings, chunks: Sequence[Chunk], batch_size: int
) -> list[list[float]]:
    vectors: list[list[float]] = []
    for i in range(0, len(chunks), batch_size):
        vectors.extend(embeddings.embed_documents([c.text for c in chunks[i : i + batch_size]]))
    return vectors


def embed_sentence_windows(
    embeddings: Embeddings, chunks: Sequence[Chunk], batch_size: int
) -> list[np.ndarray]:
    """For each chunk, the vectors of its sentence windows (`store.sentences.sentence_windows`),
    one row per window: retrieval scores a chunk by its best window as well as as a whole."""
    texts: list[str] = []
    owners: list[int] = []
    for index, chunk in enumerate(chunks):
        for span in sentence_windows(chunk.text):
            texts.append(chunk.text[span.start : span.end])
            owners.append(index)
    rows: list[list[float]] = []
    for i in range(0, len(texts), batch_size):
        rows.extend(embeddings.embed_documents(texts[i : i + batch_size]))
    if not rows:
        return [np.zeros((0, 1), dtype=np.float32) for _ in chunks]
    matrix = np.asarray(rows, dtype=np.float32)
    owner = np.asarray(owners, dtype=np.int64)
    return [matrix[owner == index] for index in range(len(chunks))]


class OnePassWindows(Protocol):
    """An embedder that gives the sentence-window vectors from the chunks' own forward pass
    (`store.embeddings.E5Embeddings` on its PyTorch engine)."""

    @property
    def windows_in_one_pass(self) -> bool: ...

    def embed_with_windows(
        self, texts: list[str], spans: list[list[tuple[int, int]]]
    ) -> tuple[list[list[float]], list[np.ndarray]]: ...


def embed_chunks_and_windows(
    embeddings: Embeddings, chunks: Sequence[Chunk], batch_size: int, sentence_vectors: bool
) -> tuple[list[list[float]], list[np.ndarray] | None]:
    """The chunk vectors and, with `sentence_vectors`, each chunk's window vectors: from one
    forward pass when the embedder can (window rows pooled from the chunk's token states),
    else by embedding the windows as texts of their own."""
    if not sentence_vectors:
        return embed_chunks(embeddings, chunks, batch_size), None
    if getattr(embeddings, "windows_in_one_pass", False):
        one_pass: OnePassWindows = embeddings  # type: ignore[assignment]
        spans = [[(w.start, w.end) for w in sentence_windows(c.text)] for c in chunks]
        return one_pass.embed_with_windows([c.text for c in chunks], spans)
    return (embed_chunks(embeddings, chunks, batch_size),
            embed_sentence_windows(embeddings, chunks, batch_size))  # fmt: skip


def embed_new_chunks(
    embeddings: Embeddings,
    chunks: Sequence[Chunk],
    batch_size: int,
    sentence_vectors: bool,
    stored: dict[str, StoredVectors],
) -> tuple[list[list[float]], list[np.ndarray] | None, int]:
    """The vectors (and window vectors) of `chunks`, and how many were reused: a chunk whose
    text the previous version of its judgment stored (with window vectors, when they are
    wanted) keeps its vectors; the others are embedded."""
    def reusable(chunk: Chunk) -> bool:
        old = stored.get(chunk.text)
        return old is not None and (not sentence_vectors or old.windows is not None)

    kept = [reusable(c) for c in chunks]
    new = [c for c, keep in zip(chunks, kept, strict=True) if not keep]
    fresh_vectors, fresh_windows = (
        embed_chunks_and_windows(embeddings, new, batch_size, sentence_vectors)
        if new else ([], [] if sentence_vectors else None))  # fmt: skip
    vectors: list[list[float]] = []
    windows: list[np.ndarray] | None = [] if sentence_vectors else None
    fresh = iter(range(len(new)))
    for chunk, keep in zip(chunks, kept, strict=True):
        if keep:
            old = stored[chunk.text]
            vectors.append([float(x) for x in old.vector])
            if windows is not None and old.windows is not None:
                windows.append(old.windows)
        else:
            i = next(fresh)
            vectors.append(fresh_vectors[i])
            if windows is not None and fresh_windows is not None:
                windows.append(fresh_windows[i])
    return vectors, windows, len(chunks) - len(new)


def ingest_paths(
    paths: Sequence[Path],
    store: Store,
    embeddings: Embeddings,
    *,
    model_id: str,
    max_file_bytes: int = 50_000_000,
    chunk_chars: int = 1000,
    batch_size: int = 32,
    prune: bool = False,
    dry_run: bool = False,
    rebuild: bool = False,
    progress: Progress | None = None,
    checkpoint_s: float = 600.0,
    sentence_vectors: bool = True,
) -> IngestReport:
    """Ingest `paths` into `store`; returns one outcome per file. Nothing is stored when
    `dry_run`. Work is committed (a new store generation, switched atomically) every
    `checkpoint_s` seconds and at the end, so a crash loses at most that much work and the next
    run picks up what is left; a `rebuild` commits only at the end, so readers never see a
    half-rebuilt corpus. `sentence_vectors=False` skips the sentence-window vectors (about
    half the embedding time; retrieval then scores those chunks as a whole only)."""
    progress = progress or _NoProgress()
    report = IngestReport(dry_run=dry_run)
    found = discover(paths)
    report.outcomes.extend(found.skipped + found.missing)
    progress.start(len(found.files))
    seen_paths = {str(p) for p in found.files}
    pending = list(found.files)
    claimed: dict[str, str] = {}  # judgment id or content hash -> path, within this run
    record_files: dict[str, tuple[frozenset[str], bool]] = {}  # file -> (sources, had errors)
    checkpoints = not (dry_run or rebuild)
    first = True
    while first or pending:
        with store.writer(rebuild=rebuild and first) as writer:
            first = False
            batch_started = time.monotonic()
            while pending:
                path = pending.pop(0)
                outcomes = _ingest_file(
                    path, writer, embeddings, report, claimed, record_files,
                    model_id=model_id, max_file_bytes=max_file_bytes, chunk_chars=chunk_chars,
                    batch_size=batch_size, dry_run=dry_run, sentence_vectors=sentence_vectors,
                )  # fmt: skip
                report.outcomes.extend(outcomes)
                progress.advance(_file_progress(path, outcomes))
                if checkpoints and time.monotonic() - batch_started >= checkpoint_s:
                    break
            if prune and not pending:
                _prune(writer, seen_paths, record_files, report, dry_run=dry_run)
            if not dry_run:
                started = time.perf_counter()
                writer.commit()
                report.seconds["store"] += time.perf_counter() - started
    return report


def source_file(source_path: str) -> str:
    """The file of a registry source: 'a.jsonl' for 'a.jsonl#abc' (a record of JSON Lines),
    the source itself otherwise (also for a real file name holding '#')."""
    if "#" in source_path and not Path(source_path).exists():
        return source_path.rsplit("#", 1)[0]
    return source_path


def _file_progress(path: Path, outcomes: list[FileOutcome]) -> FileOutcome:
    """One progress step per file: a file of several records counts its embedded chunks."""
    if len(outcomes) == 1:
        return outcomes[0]
    embedded = [o for o in outcomes if o.status in ("added", "updated")]
    status: Status = "updated" if embedded else (outcomes[0].status if outcomes else "unchanged")
    return FileOutcome(str(path), status, chunks=sum(o.chunks for o in embedded))


def _prune(
    writer: StoreWriter,
    seen_paths: set[str],
    record_files: dict[str, tuple[frozenset[str], bool]],
    report: IngestReport,
    *,
    dry_run: bool,
) -> None:
    """Remove judgments whose source file is gone (and was not part of this run), and the
    records no longer in an open-data file read this run (kept when some of its lines
    failed: what they held is unknown)."""
    for entry in writer.entries():
        source = entry.source_path
        file = source_file(source)
        if file in record_files:
            sources, had_errors = record_files[file]
            if source in sources or had_errors:
                continue
            reason = "record no longer in the file"
        elif source in seen_paths or file in seen_paths or Path(file).exists():
            continue
        else:
            reason = "file no longer exists"
        if not dry_run:
            writer.remove(entry.judgment_id)
        report.outcomes.append(
            FileOutcome(source, "removed", entry.judgment_id, detail=reason)
        )  # fmt: skip


def judgments_in_file(path: Path) -> list[Judgment]:
    """The judgments a file holds, read and parsed as ingest reads and parses them (one for a
    document, one per record for an open-data file); raises InputFileError on a bad file."""
    if is_record_file(path):
        return [judgment_from_record(record) for record in read_records(path).records]
    return [parse_judgment(read_document(path), str(path))]


def _ingest_file(
    path: Path,
    writer: StoreWriter,
    embeddings: Embeddings,
    report: IngestReport,
    claimed: dict[str, str],
    record_files: dict[str, tuple[frozenset[str], bool]],
    **options: Any,
) -> list[FileOutcome]:
    """The outcomes of one file: one for a document or a one-record file, one per line (and
    per bad line) for JSON Lines."""
    source = str(path)
    started = time.perf_counter()
    if not is_record_file(path):
        try:
            judgment = parse_judgment(
                read_document(path, max_bytes=options["max_file_bytes"]), source)
        except InputFileError as exc:
            return [FileOutcome(source, "failed", detail=exc.reason)]
        except Exception as exc:  # a parser bug must not stop the run
            return [FileOutcome(source, "failed", detail=f"unexpected error: {exc!r}")]
        finally:
            report.seconds["read_parse"] += time.perf_counter() - started
        return [_ingest_one(judgment, source, source, writer, embeddings, report, claimed,
                            **options)]
    try:
        batch = read_records(path, max_bytes=options["max_file_bytes"])
    except InputFileError as exc:
        report.seconds["read_parse"] += time.perf_counter() - started
        return [FileOutcome(source, "failed", detail=exc.reason)]
    except Exception as exc:  # a reader bug must not stop the run
        report.seconds["read_parse"] += time.perf_counter() - started
        return [FileOutcome(source, "failed", detail=f"unexpected error: {exc!r}")]
    record_files[source] = (frozenset(batch.keys or (source,)), bool(batch.errors))
    report.seconds["read_parse"] += time.perf_counter() - started
    numbered: list[tuple[int, FileOutcome]] = [
        (_line_of(error.path), FileOutcome(error.path, "failed", detail=error.reason))
        for error in batch.errors
    ]
    for record in batch.records:
        started = time.perf_counter()
        try:
            judgment = judgment_from_record(record)
        except Exception as exc:  # a parser bug must not stop the run
            numbered.append((record.line, FileOutcome(record.where, "failed",
                                                      detail=f"unexpected error: {exc!r}")))
            continue
        finally:
            report.seconds["read_parse"] += time.perf_counter() - started
        outcome = _ingest_one(judgment, record.source, record.where, writer, embeddings,
                              report, claimed, **options)
        numbered.append((record.line, outcome))
    numbered.sort(key=lambda item: item[0])
    return [outcome for _, outcome in numbered]


def _line_of(where: str) -> int:
    tail = where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _ingest_one(
    judgment: Judgment,
    source: str,
    shown: str,
    writer: StoreWriter,
    embeddings: Embeddings,
    report: IngestReport,
    claimed: dict[str, str],
    *,
    model_id: str,
    max_file_bytes: int,
    chunk_chars: int,
    batch_size: int,
    dry_run: bool,
    sentence_vectors: bool,
) -> FileOutcome:
    """Store one parsed judgment registered under `source`; `shown` names it in the report
    (the file, or "FILE:LINE" for a line of JSON Lines)."""
    del max_file_bytes  # read already
    w = writer
    warnings = "; ".join(judgment.warnings)
    meta = judgment.meta

    previous = w.entry_for_path(source)
    started = time.perf_counter()
    chunks = chunk_judgment(judgment, max_chars=chunk_chars)
    report.seconds["chunk"] += time.perf_counter() - started
    if previous and previous.content_hash == meta.content_hash and previous.model == model_id:
        if w.holds(judgment, chunks):
            return FileOutcome(shown, "unchanged", previous.judgment_id, len(previous.chunk_ids))
        # the same text read or cut differently (a newer version of the reader): store again
        warnings = "; ".join((REREAD, *judgment.warnings))
    original = _duplicate_of(w, judgment, source, claimed)
    if original:
        return FileOutcome(shown, "duplicate", meta.id, detail=f"same judgment as {original}")
    status: Status = "updated" if previous else "added"
    claimed[meta.id] = claimed[meta.content_hash] = source
    if dry_run:
        return FileOutcome(shown, status, meta.id, len(chunks), detail=warnings)
    started = time.perf_counter()
    stored = (w.stored_vectors(previous.judgment_id)
              if previous and previous.model == model_id else {})  # fmt: skip
    vectors, windows, reused = embed_new_chunks(
        embeddings, chunks, batch_size, sentence_vectors, stored)
    report.seconds["embed"] += time.perf_counter() - started
    started = time.perf_counter()
    if previous and previous.judgment_id != meta.id:
        w.remove(previous.judgment_id)
    w.put(judgment, chunks, vectors, windows)
    report.seconds["store"] += time.perf_counter() - started
    return FileOutcome(shown, status, meta.id, len(chunks), detail=warnings, reused=reused)


def _duplicate_of(
    writer: StoreWriter, judgment: Judgment, source: str, claimed: dict[str, str]
) -> str:
    """The path of another, still existing file that holds the same judgment, or ''."""
    meta = judgment.meta
    for key in (meta.content_hash, meta.id):
        if key in claimed and claimed[key] != source:
            return claimed[key]
    same_text = writer.entry_for_hash(meta.content_hash)
    if (same_text and same_text.source_path != source
            and Path(source_file(same_text.source_path)).exists()):
        return str(same_text.source_path)
    same_id = writer.entry_for_id(meta.id)
    if (same_id and same_id.source_path != source
            and Path(source_file(same_id.source_path)).exists()):
        return str(same_id.source_path)
    return ""
