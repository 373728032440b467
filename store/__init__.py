"""Embeddings, Chroma collection, lexical index and registry of judgments."""

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
