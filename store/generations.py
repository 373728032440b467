"""The generations of a store: which one is live (CURRENT), what each holds (its manifest),
and the checks that a store was written by this layout and model.

Layout of a store folder::

    CURRENT                        number of the live generation (replaced atomically: the
                                   commit point)
    LOCK                           held by the one writer (fcntl.flock)
    STORE_ID                       names this store's collections on a Chroma server
    registry.sqlite                judgments and chunks with the generations that added and
                                   removed them (store/registry.py)
    generations/<n>/manifest.json  generation n: its model and the segments it reads
    segments/<name>/               a segment: lexical/ (BM25 term frequencies) and, in
                                   embedded mode, chroma/ (its vectors); never changed once
                                   a manifest names it
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from store.errors import ModelMismatchError, StoreError
from store.registry import REGISTRY_FILE, SCHEMA_VERSION, Registry

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class SegmentInfo:
    """A segment as a manifest names it: its rows and how many of them were removed since."""

    name: str
    rows: int
    dead: int = 0

    @property
    def live(self) -> int:
        return self.rows - self.dead


@dataclass(frozen=True)
class Manifest:
    """What generation `number` reads: the model of its vectors and its segments."""

    number: int
    model: str
    segments: tuple[SegmentInfo, ...] = ()

    @property
    def names(self) -> frozenset[str]:
        return frozenset(s.name for s in self.segments)


def generation_dir(path: Path, number: int) -> Path:
    return path / "generations" / str(number)


def write_manifest(path: Path, manifest: Manifest) -> None:
    """Write generation `manifest.number`'s manifest (synced: CURRENT may name it next)."""
    folder = generation_dir(path, manifest.number)
    folder.mkdir(parents=True, exist_ok=True)
    data = {"generation": manifest.number, "model": manifest.model,
            "segments": [vars(s) for s in manifest.segments]}  # fmt: skip
    with open(folder / MANIFEST, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, indent=1) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_manifest(path: Path, number: int) -> Manifest | None:
    """Generation `number`'s manifest; None when it has none (0, or a store of layout 1)."""
    try:
        text = (generation_dir(path, number) / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    data = json.loads(text)
    return Manifest(number, data["model"], tuple(SegmentInfo(**s) for s in data["segments"]))


def old_layout(path: Path, number: int) -> bool:
    """True for a store written by layout 1 (a registry in each generation folder)."""
    return (generation_dir(path, number) / REGISTRY_FILE).is_file()


def layout_error(path: Path, found: str) -> StoreError:
    return StoreError(
        f"store {path} was written by another version of legal-assistant (registry layout "
        f"{found or 'unversioned'}, expected {SCHEMA_VERSION}). Re-index it: "
        f"legal-assistant ingest --rebuild --store {path} PATH..."
    )


def read_current(path: Path) -> int:
    """The live generation of the store at `path`, 0 when nothing was committed yet."""
    try:
        text = (path / "CURRENT").read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return 0
    if not text.isdigit():
        raise StoreError(f"store {path}: CURRENT holds {text!r}, expected a generation number")
    return int(text)


def write_current(path: Path, generation: int) -> None:
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


def generation_numbers(path: Path) -> list[int]:
    """The generation folders present, committed or not, in ascending order."""
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


def check_schema(path: Path, registry: Registry) -> None:
    """Refuse a store written with another registry layout, saying how to re-index."""
    found = registry.schema()
    if found != SCHEMA_VERSION:
        raise layout_error(path, found)


def mismatch(path: Path, recorded: str, configured: str) -> ModelMismatchError:
    """The error for a store built with another model, saying how to re-index."""
    return ModelMismatchError(
        f"store {path} was built with model {recorded}; configured model is {configured}. "
        f"Re-index: legal-assistant ingest --store {path} --rebuild PATHS, or set "
        f"LEGAL_ASSISTANT_EMBEDDINGS={_model_spec(recorded)}"
    )
