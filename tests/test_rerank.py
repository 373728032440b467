"""Optional cross-encoder reranking (assistant/rerank.py), with a real CrossEncoder built from
the packaged MiniLM weights (its scoring head is untrained: the tests check the plumbing, not
the model's judgement)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_judgment

from assistant.fusion import FusedChunk
from assistant.records import Passage
from assistant.rerank import Reranker, load_reranker, rerank
from assistant.retrieve import build_passage
from store.embeddings import minilm_path
from store.errors import ConfigurationError

PARAGRAPHS = [
    "Les demanderesses réclament 10.000 euros au titre du préjudice moral.",
    "Le Tribunal alloue à chacune 2.000 euros pour préjudice moral.",
    "La demande reconventionnelle en paiement des factures est rejetée.",
    "L'exécution provisoire du jugement n'est pas ordonnée.",
]


@pytest.fixture(scope="module")
def reranker(tmp_path_factory: pytest.TempPathFactory) -> Reranker:
    import torch
    from sentence_transformers import CrossEncoder

    torch.manual_seed(0)  # the untrained scoring head is random: fix it so orders are stable
    folder = tmp_path_factory.mktemp("cross-encoder")
    CrossEncoder(str(minilm_path()), num_labels=1, device="cpu").save(str(folder))
    loaded = load_reranker(str(folder))
    assert loaded is not None
    return loaded


def _passages() -> list[Passage]:
    judgment, chunks = build_judgment("j1", PARAGRAPHS)
    return [build_passage(i, [FusedChunk(c, 1.0 / i)], judgment) for i, c in enumerate(chunks, 1)]


def test_passages_come_back_in_the_cross_encoders_order_with_ranks_renumbered(
    reranker: Reranker,
) -> None:
    question = "Quel montant a été alloué pour le préjudice moral ?"
    passages = _passages()
    scores = reranker.model.predict([(question, p.text) for p in passages])
    expected = [passages[i].text for i in sorted(range(len(passages)), key=lambda i: -scores[i])]
    reranked = rerank(question, passages, reranker)
    assert [p.text for p in reranked] == expected
    assert [p.rank for p in reranked] == [1, 2, 3, 4]
    by_text = {p.text: p for p in passages}
    assert all((p.char_start, p.char_end) == (by_text[p.text].char_start,
                                              by_text[p.text].char_end) for p in reranked)


def test_without_a_reranker_the_retrieval_order_is_kept() -> None:
    passages = _passages()
    assert rerank("préjudice moral", passages, None) == passages
    assert load_reranker("") is None


def test_a_missing_reranker_folder_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        load_reranker(str(tmp_path / "absent"))


def test_the_assistant_reorders_its_passages_when_a_reranker_is_configured(
    reranker: Reranker, tmp_path: Path
) -> None:
    from assistant.service import Assistant
    from assistant.settings import Settings
    from store.embeddings import make_embeddings
    from store.store import Store

    judgment, chunks = build_judgment("j1", PARAGRAPHS)
    embeddings, model_id = make_embeddings("hash")
    with Store.open(tmp_path / "store", model_id).writer() as writer:
        writer.put(judgment, chunks, embeddings.embed_documents([c.text for c in chunks]))
        writer.commit()
    env = {"LEGAL_ASSISTANT_EMBEDDINGS": "hash", "LEGAL_ASSISTANT_STORE": str(tmp_path / "store")}
    plain_assistant = Assistant.from_settings(Settings.from_env(env))
    env["LEGAL_ASSISTANT_RERANKER"] = str(_saved_folder(reranker, tmp_path))
    reranking_assistant = Assistant.from_settings(Settings.from_env(env))
    changed = 0
    for question in ("préjudice moral euros", "factures rejetée", "exécution provisoire",
                     "montant alloué", "demande reconventionnelle"):  # fmt: skip
        plain = plain_assistant.search(question, k=4).passages
        reranked = reranking_assistant.search(question, k=4).passages
        expected = [p.text for p in rerank(question, plain, reranker)]
        assert [p.text for p in reranked] == expected
        changed += expected != [p.text for p in plain]
    assert changed, "the cross-encoder reorders at least one of these answers"


def _saved_folder(reranker: Reranker, tmp_path: Path) -> Path:
    folder = tmp_path / "cross-encoder"
    reranker.model.save(str(folder))
    return folder
