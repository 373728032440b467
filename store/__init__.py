"""Embeddings, Chroma collection, lexical index and registry of judgments."""

import os

# ONNX Runtime's PyPI wheels start Microsoft's telemetry when a session is created (a device id
# and an event queue under ~/.cache/Microsoft/DeveloperTools, DNS lookups of its events server)
# unless this is set before onnxruntime is imported. Forced, not a default: no network at run
# time. Every importer of onnxruntime here (store.e5_onnx) is inside this package.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

from store.embeddings import (
    E5Embeddings,
    HashEmbeddings,
    SentenceTransformerEmbeddings,
    make_embeddings,
)
from store.lexical import LexicalIndex, analyze
from store.registry import RegistryEntry
from store.store import Store
from store.writer import StoreWriter

__all__ = [
    "E5Embeddings",
    "HashEmbeddings",
    "LexicalIndex",
    "RegistryEntry",
    "SentenceTransformerEmbeddings",
    "Store",
    "StoreWriter",
    "analyze",
    "make_embeddings",
]
