"""A question that names a case (court, date, party) is pointed to that judgment
(assistant/case_match.py, Store.case_terms)."""

from __future__ import annotations

import pytest
from conftest import build_judgment

from assistant.case_match import MIN_SPREAD, case_boosts, named_case_scores
from assistant.expand import expand
from assistant.features import feature_matrix
from assistant.fusion import FusedChunk
from assistant.ranker import load_ranker
from store.lexical import analyze
from store.store import date_in_words


def card(text: str) -> frozenset[str]:
    return frozenset(analyze(text))


CARDS = {
    "chambery": card("Cour d'appel de Chambéry 15 février 2022 association savoisienne arrêt"),
    "uber": card("Cour de cassation chambre commerciale 18 novembre 2020 Uber France taxis arrêt"),
    "tal": card("Tribunal d'arrondissement de Luxembourg 24 janvier 2025 jugement avocate"),
}


def test_the_case_a_question_names_scores_highest() -> None:
    scores = named_case_scores(
        "Pourquoi la cour d'appel de Chambéry a-t-elle dissous l'association en 2022 ?", CARDS
    )
    assert max(scores, key=scores.__getitem__) == "chambery"
    scores = named_case_scores("Qu'a soutenu Uber devant la Cour de cassation ?", CARDS)
    assert max(scores, key=scores.__getitem__) == "uber"


def test_a_word_every_case_shares_weighs_less_than_one_that_names_a_case() -> None:
    cards = {"a": card("arrêt Chambéry"), "b": card("arrêt Uber")}
    scores = named_case_scores("arrêt Chambéry", cards)
    assert scores["a"] > 0.5 > scores["b"] > 0


def test_a_question_naming_no_case_boosts_no_judgment() -> None:
    scores = named_case_scores("obligation de moyens renforcée du prestataire", CARDS)
    assert case_boosts(scores, set(CARDS)) == {}
    assert named_case_scores("", CARDS) == {} and named_case_scores("Chambéry", {}) == {}


def test_boosts_scale_the_candidates_judgments_from_zero_to_one() -> None:
    scores = {"a": 0.9, "b": 0.2, "c": 0.5}
    assert case_boosts(scores, {"a", "b", "c"}) == pytest.approx({"a": 1.0, "b": 0.0, "c": 3 / 7})
    assert case_boosts({"a": 0.9, "b": 0.9 - MIN_SPREAD / 2}, {"a", "b"}) == {}


def test_the_ranker_puts_the_named_cases_chunk_first_when_the_rest_ties() -> None:
    _, first = build_judgment("j1", ["La clause de résiliation est valable."])
    _, second = build_judgment("j2", ["La clause de résiliation est valable."])
    fused = [FusedChunk(c, 0.0, dense_score=0.8, lexical_score=1.0) for c in first + second]
    question = expand("La clause de résiliation est-elle valable ?")
    ranker = load_ranker()
    assert ranker.rank(fused, feature_matrix(question, fused))[0].chunk.judgment_id == "j1"
    named = feature_matrix(question, fused, {"j1": 0.1, "j2": 0.8})
    assert ranker.rank(fused, named)[0].chunk.judgment_id == "j2"


def test_dates_are_also_named_in_words() -> None:
    assert date_in_words("2021-02-25") == "25 février 2021"
    assert date_in_words("2025-01-01") == "1 janvier 2025"
    assert date_in_words("") == ""
