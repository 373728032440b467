"""Embeddings, Chroma collection, lexical index and registry of judgments."""
