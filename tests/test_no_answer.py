"""The no-answer features of a question against its ranked candidates (assistant/no_answer.py),
which bench/train_no_answer.py measures."""

from __future__ import annotations

import pytest
from conftest import build_judgment

from assistant.fusion import FusedChunk
from assistant.no_answer import FEATURES, no_answer_features

PARAGRAPHS = [
    "Le prestataire a suspendu la messagerie faute de paiement des factures.",
    "Le tribunal alloue à chacune le montant de 2.000 euros pour préjudice moral.",
    "La mise en demeure est restée sans réponse.",
]


def _ranked(dense: list[float], judgments: list[str] | None = None) -> list[FusedChunk]:
    ranked = []
    for i, score in enumerate(dense):
        jid = judgments[i] if judgments else "j1"
        _, chunks = build_judgment(jid, [PARAGRAPHS[i % 3]])
        ranked.append(FusedChunk(chunks[0], 0.0, dense_score=score))
    return ranked


def test_a_how_much_question_whose_top_passages_state_no_sum_misses_its_answer_type() -> None:
    no_sum = [_ranked([0.9])[0], *_ranked([0.8, 0.7, 0.6])[2:]]
    with_sum = _ranked([0.9, 0.8, 0.7])
    question = "Quel montant a été alloué pour le préjudice moral ?"
    assert no_answer_features(question, no_sum, 0.5, 0.0)["answer_type_missing"] == 1.0
    assert no_answer_features(question, with_sum, 0.5, 0.0)["answer_type_missing"] == 0.0
    other = "Le prestataire pouvait-il suspendre la messagerie ?"
    assert no_answer_features(other, no_sum, 0.5, 0.0)["answer_type_missing"] == 0.0


def test_dense_margin_is_how_far_the_best_of_the_top_three_stands_above_the_median() -> None:
    ranked = _ranked([0.80, 0.90, 0.70, 0.60, 0.50, 0.40])
    values = no_answer_features("question", ranked, 0.3, 0.25)
    assert values["top_dense"] == pytest.approx(0.90)
    assert values["dense_margin"] == pytest.approx(0.90 - 0.65)
    assert (values["top_window"], values["unknown_share"]) == (0.3, 0.25)
    assert set(values) == set(FEATURES)


def test_spread_counts_the_distinct_judgments_among_the_top_five() -> None:
    one = _ranked([0.9, 0.8, 0.7, 0.6, 0.5], ["a", "a", "a", "a", "a"])
    five = _ranked([0.9, 0.8, 0.7, 0.6, 0.5], ["a", "b", "c", "d", "e"])
    assert no_answer_features("q", one, 0, 0)["spread"] == pytest.approx(0.2)
    assert no_answer_features("q", five, 0, 0)["spread"] == pytest.approx(1.0)


def test_no_candidates_give_zero_features() -> None:
    assert all(v == 0.0 for v in no_answer_features("q", [], 0.0, 0.0).values())


def test_the_measurement_script_refuses_the_held_out_questions(tmp_path) -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "x.json"
    done = subprocess.run(
        [sys.executable, str(root / "bench" / "train_no_answer.py"), "--store",
         str(tmp_path / "store"), "--questions",
         str(root / "eval" / "open_heldout_questions.jsonl"), "--out", str(out)],
        capture_output=True, text=True, timeout=120, cwd=root,
    )  # fmt: skip
    assert done.returncode != 0 and "held-out" in done.stderr
    assert not out.exists() and not (tmp_path / "store").exists()
