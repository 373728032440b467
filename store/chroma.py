"""Chroma: client, the collection of a segment (cosine space, our own vectors), chunk metadata and
`where` filters. Chroma's result types never leave `store/`."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.config import Settings

from store.errors import StoreError
from store.records import Chunk, JudgmentMeta, SearchFilters

SECTION_SEPARATOR = " › "
COPY_BATCH = 1000


def _settings() -> Settings:
    # A fresh Settings each time: chromadb's client factories mutate the object they are given.
    return Settings(anonymized_telemetry=False, allow_reset=False)


def make_client(
    folder: Path | None, host: str = "", port: int = 8000, *, fresh: bool = False
) -> ClientAPI:
    """A Chroma server client when `host` is set, else an embedded client on `folder`.
    `fresh`: the folder was just created by us, so any cached system for its path is stale."""
    if host:
        try:
            # Plain HTTP (ssl=False): no certificate is ever checked, so the HTTP session need
            # not load the system's CA bundle (0.06-0.16 s per client, at every commit and open).
            settings = _settings()
            settings.chroma_server_ssl_verify = False
            return chromadb.HttpClient(host=host, port=port, ssl=False, settings=settings)
        except Exception as exc:  # chromadb raises ValueError or httpx errors
            raise StoreError(
                f"cannot reach the Chroma server at {host}:{port}: {exc}. Start it "
                f"(chroma run --path DIR --port {port}) or unset CHROMA_HOST to use the "
                "embedded store"
            ) from exc
    if folder is None:
        raise StoreError("an embedded Chroma client needs a folder")
    if fresh:
        forget_cached_system(folder)
    return chromadb.PersistentClient(path=str(folder), settings=_settings())


def forget_cached_system(folder: Path) -> None:
    """Drop a stale in-process Chroma system for `folder` (chromadb shares one per path).

    A generation folder can be deleted and later created again under the same name (a writer
    that was discarded); the next client must not reuse the system that pointed at the old
    files. Only called before opening a folder that no live client of ours uses.
    """
    systems = SharedSystemClient._identifier_to_system
    system = systems.pop(str(folder), None)
    SharedSystemClient._identifier_to_refcount.pop(str(folder), None)
    if system is not None:
        with contextlib.suppress(Exception):  # best effort on a stale system
            system.stop()


def close_client(client: ClientAPI | None) -> None:
    """Release the client (for an embedded client: the folder's files and locks)."""
    if client is not None:
        close = getattr(client, "close", None)
        if close is not None:
            close()


def create_collection(client: ClientAPI, name: str, model_id: str) -> Collection:
    return client.create_collection(
        name=name,
        configuration={"hnsw": {"space": "cosine"}},
        metadata={"model": model_id},
        embedding_function=None,
    )


def get_collection(client: ClientAPI, name: str) -> Collection:
    return client.get_collection(name=name, embedding_function=None)


def collection_model(collection: Collection) -> str:
    return str((collection.metadata or {}).get("model", ""))


def chunk_metadata(chunk: Chunk, meta: JudgmentMeta) -> dict[str, str | int]:
    """Chroma metadata of a chunk: scalars only, -1 for a missing paragraph or page."""

    def number(value: int | None) -> int:
        return -1 if value is None else int(value)

    return {
        "judgment_id": chunk.judgment_id,
        "ordinal": chunk.ordinal,
        "court": meta.court,
        "country": meta.country,
        "ecli": meta.ecli,
        "chamber": meta.chamber,
        "date": meta.date,
        "date_int": meta.date_int,
        "decision_number": meta.decision_number,
        "docket_number": meta.docket_number,
        "section_path": SECTION_SEPARATOR.join(chunk.section_path),
        "section_kind": chunk.section_kind,
        "paragraph_start": number(chunk.paragraph_start),
        "paragraph_end": number(chunk.paragraph_end),
        "page_start": number(chunk.page_start),
        "page_end": number(chunk.page_end),
        "char_start": chunk.char_start,
        "char_end": chunk.char_end,
    }


def date_int(iso: str) -> int:
    """"2025-01-24" -> 20250124."""
    digits = iso.replace("-", "")
    if len(digits) != 8 or not digits.isdigit():
        raise StoreError(f"invalid date filter {iso!r}: expected YYYY-MM-DD")
    return int(digits)


def where_filter(filters: SearchFilters) -> dict[str, Any] | None:
    """The Chroma `where` clause for `filters`, or None when nothing is restricted."""
    clauses: list[dict[str, Any]] = []
    for key, values in (
        ("court", filters.courts),
        ("country", filters.countries),
        ("chamber", filters.chambers),
        ("section_kind", filters.section_kinds),
        ("judgment_id", filters.judgment_ids),
    ):
        if values:
            clauses.append({key: {"$in": list(values)}})
    if filters.date_from:
        clauses.append({"date_int": {"$gte": date_int(filters.date_from)}})
    if filters.date_to:
        clauses.append({"date_int": {"$lte": date_int(filters.date_to)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


# Chunk texts are not stored in Chroma: the registry holds them (the exact slices quoted), and
# Chroma's document full-text index made a collection 4.5 times larger and twice slower to fill.
def add_chunks(
    collection: Collection,
    ids: list[str],
    chunks: list[Chunk],
    vectors: list[list[float]],
    meta: JudgmentMeta,
    batch: int = COPY_BATCH,
) -> None:
    """Add `chunks` under the vector ids `ids`."""
    for start in range(0, len(chunks), batch):
        part = chunks[start : start + batch]
        collection.add(
            ids=ids[start : start + batch],
            embeddings=np.asarray(vectors[start : start + batch], dtype=np.float32),
            metadatas=[chunk_metadata(c, meta) for c in part],  # type: ignore[misc]
        )


def copy_records(
    source: Collection, target: Collection, ids: list[str], batch: int = COPY_BATCH
) -> dict[str, np.ndarray]:
    """Copy the records `ids` (vectors and metadata) of `source` into `target`; returns the
    vectors copied, by id."""
    copied: dict[str, np.ndarray] = {}
    for start in range(0, len(ids), batch):
        got = source.get(
            ids=ids[start : start + batch], include=["embeddings", "metadatas"]
        )
        if not got["ids"]:
            continue
        target.add(ids=got["ids"], embeddings=got["embeddings"], metadatas=got["metadatas"])
        embeddings = got["embeddings"] if got["embeddings"] is not None else []
        copied.update(zip(got["ids"], np.asarray(embeddings, dtype=np.float32), strict=True))
    return copied
