"""The generation folders of a store: which one is live (CURRENT), which exist, and the checks
that a generation was written by this layout and model.

Layout of a store folder::

    CURRENT             number of the live generation (replaced atomically)
    LOCK                held by the one writer (fcntl.flock)
    STORE_ID            names this store's collections on a Chroma server
    generations/<n>/    chroma/ (embedded mode), registry.sqlite, lexical/
"""

from __future__ import annotations

import os
from pathlib import Path

from store.errors import ModelMismatchError, StoreError
from store.registry import SCHEMA_VERSION, Registry


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
        raise StoreError(
            f"store {path} was written by another version of legal-assistant (registry layout "
            f"{found or 'unversioned'}, expected {SCHEMA_VERSION}). Re-index it: "
            f"legal-assistant ingest --rebuild --store {path} PATH..."
        )


def mismatch(path: Path, recorded: str, configured: str) -> ModelMismatchError:
    """The error for a store built with another model, saying how to re-index."""
    return ModelMismatchError(
        f"store {path} was built with model {recorded}; configured model is {configured}. "
        f"Re-index: legal-assistant ingest --store {path} --rebuild PATHS, or set "
        f"LEGAL_ASSISTANT_EMBEDDINGS={_model_spec(recorded)}"
    )
