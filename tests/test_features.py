"""Candidate features for the learned ranker (assistant/features.py): each computed as its
docstring says, on small judgments built in code."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import build_judgment

from assistant.expand import expand
from assistant.features import FEATURES, GROUPS, feature_matrix, question_cues
from assistant.fusion import FusedChunk
from assistant.signals import window_scores
from store.lexical import analyze

PARAGRAPHS = [
    "Les parties demanderesses réclament la somme de 10.000 euros au titre du préjudice moral.",
    "Le tribunal alloue à chacune le montant de 2.000 euros pour préjudice moral. "
    "Les autres demandes sont rejetées.",
    "Le prestataire a suspendu la messagerie. Les factures restaient impayées depuis juin. "
    "La mise en demeure est restée sans réponse.",
]


def _fused(kinds=("claims", "reasons", "reasons")) -> list[FusedChunk]:
    _, chunks = build_judgment("j1", PARAGRAPHS, kinds=list(kinds))
    return [
        FusedChunk(c, 0.0, dense_score=0.8 - 0.1 * i, lexical_score=3.0 - i, lexical_rank=i + 1)
        for i, c in enumerate(chunks)
    ]


def column(matrix: np.ndarray, name: str) -> np.ndarray:
    return matrix[:, FEATURES.index(name)]


def test_every_feature_belongs_to_exactly_one_group() -> None:
    names = [n for group in GROUPS.values() for n in group]
    assert len(names) == len(set(names)) == len(FEATURES)


def test_one_row_per_candidate_and_no_row_for_none() -> None:
    question = expand("La messagerie a-t-elle été suspendue ?")
    assert feature_matrix(question, _fused()).shape == (3, len(FEATURES))
    assert feature_matrix(question, []).shape == (0, len(FEATURES))


def test_dense_and_bm25_are_normalised_within_the_candidates() -> None:
    matrix = feature_matrix(expand("préjudice moral"), _fused())
    assert column(matrix, "dense") == pytest.approx([0.8, 0.7, 0.6])
    assert column(matrix, "dense_norm") == pytest.approx([1.0, 0.5, 0.0])
    assert column(matrix, "bm25_norm") == pytest.approx([1.0, 2 / 3, 1 / 3])


def test_rare_coverage_is_the_share_of_the_three_rarest_terms_in_the_best_window() -> None:
    # "messagerie" and "juin" are in one candidate, "préjudice" and "moral" in two: the three
    # rarest are messagerie, juin and the first of the tied pair, préjudice
    matrix = feature_matrix(expand("préjudice moral messagerie juin"), _fused())
    rare, common = math.log(1 + 4 / 1.5), math.log(1 + 4 / 2.5)
    assert column(matrix, "rare_coverage") == pytest.approx(
        [common / (2 * rare + common), common / (2 * rare + common), 2 * rare / (2 * rare + common)]
    )


def test_window_coverage_is_the_share_of_term_weight_in_the_best_two_sentences() -> None:
    sentences = [set(analyze(s)) for s in ("facture impayée", "messagerie", "juin", "tribunal")]
    weights = {t: 1.0 for t in analyze("facture impayée tribunal")}
    assert max(window_scores(weights, sentences, 2)) == 2 / 3
    assert max(window_scores(weights, sentences, 4)) == 1.0


def test_the_chunk_holding_the_questions_terms_has_the_best_coverage() -> None:
    fused = _fused()
    matrix = feature_matrix(expand("La messagerie a-t-elle été suspendue pour factures ?"), fused)
    coverage = column(matrix, "window_coverage")
    assert int(np.argmax(coverage)) == 2
    assert fused[2].window == max(f.window for f in fused) > 0  # read by the no-answer decision


def test_english_words_are_covered_by_their_french_equivalents() -> None:
    fused = _fused()
    feature_matrix(expand("unpaid invoices"), fused)
    assert fused[2].window == 1.0
    feature_matrix(expand("ransom pirates"), fused)
    assert fused[2].window == 0.0


def test_judgment_aggregates_are_shared_by_the_chunks_of_one_judgment() -> None:
    _, other = build_judgment("j2", ["La vente du véhicule est résolue."])
    fused = _fused() + [FusedChunk(other[0], 0.0, dense_score=0.5)]
    matrix = feature_matrix(expand("messagerie suspendue factures"), fused)
    assert column(matrix, "judgment_share").tolist() == [0.75, 0.75, 0.75, 0.25]
    assert len(set(column(matrix, "judgment_coverage")[:3])) == 1
    assert column(matrix, "judgment_coverage")[3] < column(matrix, "judgment_coverage")[0]


@pytest.mark.parametrize(
    ("question", "answer", "claims", "decision", "header_fact"),
    [
        ("Combien l'avocate réclamait-elle pour son préjudice ?", "amount", True, False, False),
        ("Quel montant le tribunal a-t-il alloué ?", "amount", False, True, False),
        ("Quand l'assignation a-t-elle été signifiée ?", "date", False, False, False),
        ("Qui présidait la chambre lors du délibéré ?", None, False, False, True),
        ("Which lawyer appeared for the defendant?", None, False, False, True),
        ("Qu'invoquait la défenderesse pour expliquer les pannes ?", None, True, False, False),
        ("Le prestataire peut-il s'exonérer en invoquant une cyberattaque ?", None, False, False,
         False),
        ("Why was the claim concerning the outage dismissed?", None, False, True, False),
        ("obligation de moyens renforcée prestataire", None, False, False, False),
    ],
)
def test_question_cues_read_what_the_question_asks(
    question: str, answer: str | None, claims: bool, decision: bool, header_fact: bool
) -> None:
    cues = question_cues(question)
    assert (cues.answer, cues.claims, cues.decision, cues.header_fact) == (
        answer, claims, decision, header_fact
    )


def test_a_cue_feature_is_zero_unless_the_question_asks_for_it() -> None:
    fused = _fused()
    asks = feature_matrix(expand("Combien le tribunal alloue-t-il pour préjudice moral ?"), fused)
    plain = feature_matrix(expand("préjudice moral"), fused)
    assert column(asks, "amount_stated")[1] > 0
    assert column(plain, "amount_stated").tolist() == [0.0, 0.0, 0.0]
