"""The learned ranker (assistant/ranker.py), its packaged data file, and the training script
that writes it (bench/train_ranker.py), run on a tiny store built in code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import build_judgment

from assistant.expand import expand
from assistant.features import FEATURES, feature_matrix
from assistant.fusion import FusedChunk
from assistant.ranker import FORMAT_VERSION, RANKER_PATH, Ranker, load_ranker, ranker_from_json
from store.errors import ConfigurationError

ROOT = Path(__file__).resolve().parents[1]


def test_the_packaged_ranker_loads_and_names_only_known_features() -> None:
    data = json.loads(RANKER_PATH.read_text(encoding="utf-8"))
    assert data["version"] == FORMAT_VERSION
    ranker = load_ranker()
    assert ranker.features and set(ranker.features) <= set(FEATURES)
    assert all("heldout" not in name for name in data["trained_on"])
    assert np.all(ranker.scale > 0)


def test_a_file_of_another_version_or_with_unknown_features_is_refused() -> None:
    good = load_ranker().to_json()
    with pytest.raises(ConfigurationError, match="version"):
        ranker_from_json(good | {"version": FORMAT_VERSION + 1})
    unknown = good | {"features": ["no_such_feature", *good["features"][1:]]}  # type: ignore[misc,index]
    with pytest.raises(ConfigurationError, match="no_such_feature"):
        ranker_from_json(unknown)
    with pytest.raises(ConfigurationError, match="one value a feature"):
        ranker_from_json(good | {"coef": [1.0]})


def _candidates() -> list[FusedChunk]:
    paragraphs = [
        "La vente du véhicule d'occasion est résolue.",
        "Le prestataire a suspendu la messagerie de l'avocate pour des factures impayées.",
        "Les dépens sont à charge de la partie défenderesse.",
    ]
    _, chunks = build_judgment("j1", paragraphs)
    scores = [(0.78, 1.0), (0.86, 6.0), (0.77, 0.5)]
    return [
        FusedChunk(c, 1 / (61 + i), dense_score=d, lexical_score=b, dense_rank=i + 1,
                   lexical_rank=i + 1)
        for i, (c, (d, b)) in enumerate(zip(chunks, scores, strict=True))
    ]


def test_a_clearly_better_candidate_ranks_first_and_the_order_is_deterministic() -> None:
    question = expand("La messagerie de l'avocate a-t-elle été suspendue pour factures impayées ?")
    fused = _candidates()
    matrix = feature_matrix(question, fused)
    ranker = load_ranker()
    first = ranker.rank(fused, matrix)
    assert first[0].chunk.ordinal == 1
    backwards = _candidates()[::-1]
    again = ranker.rank(backwards, feature_matrix(question, backwards))
    assert [f.chunk.id for f in again] == [f.chunk.id for f in first]
    assert [f.score for f in again] == [f.score for f in first]


def test_scores_are_the_coefficients_on_standardised_features() -> None:
    names = ("dense", "bm25_norm")
    ranker = Ranker(names, np.array([0.5, 0.0]), np.array([0.1, 1.0]), np.array([1.0, 2.0]))
    matrix = np.zeros((1, len(FEATURES)))
    matrix[0, FEATURES.index("dense")] = 0.7
    matrix[0, FEATURES.index("bm25_norm")] = 0.25
    assert ranker.scores(matrix) == pytest.approx([(0.7 - 0.5) / 0.1 + 0.5])


# -- the training script on a tiny store --------------------------------------------------------

CASES = {
    "lux": [
        "Le prestataire a suspendu la messagerie de l'avocate en raison de factures impayées.",
        "Le tribunal alloue à chacune des demanderesses le montant de 2.000 euros.",
        "La demande reconventionnelle en paiement des factures est rejetée comme non fondée.",
    ],
    "cha": [
        "La cour prononce la dissolution de l'association pour objet illicite.",
        "L'association invoquait la liberté d'association pour s'opposer à la dissolution.",
        "Les dépens d'appel sont mis à la charge de l'association appelante.",
    ],
    "rsy": [
        "Le tribunal ouvre une procédure de liquidation judiciaire à l'égard de la société.",
        "La date de cessation des paiements est fixée au premier janvier.",
        "Un mandataire liquidateur est désigné pour conduire les opérations.",
    ],
}
QUESTIONS = [
    ("q1", "Pourquoi la messagerie a-t-elle été coupée ?", "lux",
     "suspendu la messagerie de l'avocate"),
    ("q2", "Combien le tribunal a-t-il accordé ?", "lux", "le montant de 2.000 euros"),
    ("q3", "La demande reconventionnelle a-t-elle abouti ?", "lux",
     "demande reconventionnelle en paiement"),
    ("q4", "Pourquoi l'association a-t-elle été dissoute ?", "cha",
     "dissolution de l'association pour objet"),
    ("q5", "Qu'invoquait l'association ?", "cha", "invoquait la liberté d'association"),
    ("q6", "Qui paie les dépens d'appel ?", "cha", "dépens d'appel sont mis à la charge"),
    ("q7", "Quelle procédure collective est ouverte ?", "rsy",
     "procédure de liquidation judiciaire"),
    ("q8", "Quand les paiements ont-ils cessé ?", "rsy", "cessation des paiements est fixée"),
    ("q9", "Qui conduit les opérations de liquidation ?", "rsy",
     "mandataire liquidateur est désigné"),
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from store import HashEmbeddings, Store

    folder = tmp_path_factory.mktemp("tiny")
    embed = HashEmbeddings(64)
    store = Store.open(folder / "store", "hash:64")
    with store.writer() as writer:
        for jid, paragraphs in CASES.items():
            judgment, chunks = build_judgment(jid, paragraphs, source_path=f"{jid}.txt")
            vectors = embed.embed_documents([c.text for c in chunks])
            writer.put(judgment, chunks, vectors)
        writer.commit()
    store.close()
    questions = folder / "questions.jsonl"
    questions.write_text("".join(
        json.dumps({"id": i, "question": q, "gold": [g], "source": s}) + "\n"
        for i, q, s, g in QUESTIONS
    ), encoding="utf-8")
    return folder / "store", questions


def _train(store: Path, questions: Path, out: Path, *extra: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "train_ranker.py"), "--store", str(store),
         "--model", "hash:64", "--questions", str(questions), "--out", str(out),
         "--handset", str(out.with_suffix(".none")), *extra],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    return out.read_text(encoding="utf-8")


def test_training_writes_the_same_file_twice_and_the_file_loads(
    tiny: tuple[Path, Path], tmp_path: Path
) -> None:
    store, questions = tiny
    first = _train(store, questions, tmp_path / "a.json")
    assert _train(store, questions, tmp_path / "b.json") == first
    data = json.loads(first)
    assert data["questions"] == len(QUESTIONS)
    assert data["trained_on"] == {"questions.jsonl": data["trained_on"]["questions.jsonl"]}
    assert data["method"] == "listwise-cv"  # the packaged ranker's method is the default
    ranker = ranker_from_json(data)
    assert ranker.features == FEATURES
    assert len(data["evaluation"]["cv_folds"]) == 3  # one fold per source judgment


def test_the_listwise_fit_held_to_the_hand_set_weights_keeps_them_and_the_cache_changes_nothing(
    tiny: tuple[Path, Path], tmp_path: Path
) -> None:
    store, questions = tiny
    cache = tmp_path / "mined.pkl"
    first = _train(store, questions, tmp_path / "a.json", "--method", "listwise",
                   "--cache", str(cache))
    assert cache.exists()
    assert _train(store, questions, tmp_path / "b.json", "--method", "listwise",
                  "--cache", str(cache)) == first
    data = json.loads(first)
    assert data["method"] == "listwise"
    raw = {n: c / s for n, c, s in zip(data["features"], data["coef"], data["scale"], strict=True)}
    # the default penalty keeps the hand-set weights (dense 1.0, BM25 0.5), scaled by one factor
    assert raw["dense_norm"] > 0
    assert raw["bm25_norm"] / raw["dense_norm"] == pytest.approx(0.5, rel=1e-3)
    assert raw["rare_coverage"] == 0 and raw["in_bm25"] == 0  # not weighed by hand


def test_the_training_script_refuses_the_held_out_questions(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "train_ranker.py"), "--questions",
         str(ROOT / "eval" / "heldout_questions.jsonl"), "--out", str(tmp_path / "x.json")],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert done.returncode != 0 and "held-out" in done.stderr
    assert not (tmp_path / "x.json").exists()


def test_retrieval_finds_the_passage_that_answers_and_ranks_it_the_same_twice(
    tiny: tuple[Path, Path],
) -> None:
    from assistant.retrieve import retrieve
    from assistant.settings import RetrievalSettings
    from store import HashEmbeddings, Store

    store = Store.open(tiny[0], "hash:64")
    settings = RetrievalSettings()
    question = "La demande reconventionnelle en paiement des factures est-elle rejetée ?"
    found = retrieve(question, store, HashEmbeddings(64), k=3, settings=settings)
    again = retrieve(question, store, HashEmbeddings(64), k=3, settings=settings)
    store.close()
    assert "demande reconventionnelle en paiement" in found.passages[0].text
    assert [p.text for p in again.passages] == [p.text for p in found.passages]
    assert found.relevance > RetrievalSettings().no_answer_floor


@pytest.mark.parametrize("ranked", [False, True])
def test_without_the_thesaurus_an_english_question_reaches_no_french_term(
    tiny: tuple[Path, Path], ranked: bool
) -> None:
    from assistant.retrieve import retrieve
    from assistant.settings import RetrievalSettings
    from store import HashEmbeddings, Store

    store = Store.open(tiny[0], "hash:64")
    question = "Was the counterclaim for the unpaid invoices rejected?"
    found = {
        thesaurus: retrieve(question, store, HashEmbeddings(64), k=3, settings=RetrievalSettings(
            mode="lexical", rescore=ranked, thesaurus=thesaurus))
        for thesaurus in (True, False)
    }  # fmt: skip
    store.close()
    assert "demande reconventionnelle en paiement" in found[True].passages[0].text
    assert found[False].passages == []  # its English words are in no French passage
