"""A short follow-up is understood in the context of the previous question; a question that
stands on its own is searched as typed."""

from __future__ import annotations

import pytest

from assistant.followup import is_followup, standalone_question
from assistant.records import Answer


def _answer(question: str, standalone: str = "") -> Answer:
    return Answer(
        question=question, lead="", passages=(), no_answer=False, standalone_question=standalone
    )


PREVIOUS = "Comment le tribunal indemnise-t-il le préjudice matériel du client ?"


def test_without_history_the_question_is_unchanged() -> None:
    assert standalone_question("et pour le préjudice moral ?", ()) == "et pour le préjudice moral ?"


def test_follow_up_replaces_the_aspect_in_the_previous_question() -> None:
    result = standalone_question("et pour le préjudice moral ?", [_answer(PREVIOUS)])
    assert result == "Comment le tribunal indemnise-t-il le préjudice moral du client ?"


def test_english_follow_up_replaces_the_modifier_before_the_head_word() -> None:
    previous = _answer("How are material damages compensated after an IT outage?")
    result = standalone_question("and the moral damages?", [previous])
    assert result == "How are moral damages compensated after an IT outage?"


def test_follow_up_without_shared_word_keeps_the_previous_topic() -> None:
    previous = _answer("Le prestataire informatique est-il responsable des pannes du site ?")
    result = standalone_question("qu'en est-il des factures ?", [previous])
    assert "factures" in result
    assert "prestataire informatique" in result
    assert "qu'en est-il" not in result.lower()


def test_the_previous_standalone_question_is_the_context_of_a_second_follow_up() -> None:
    first = _answer(PREVIOUS)
    second = _answer(
        "et pour le préjudice moral ?",
        standalone="Comment le tribunal indemnise-t-il le préjudice moral du client ?",
    )
    result = standalone_question("et le préjudice d'image ?", [first, second])
    assert result.startswith("Comment le tribunal indemnise-t-il le préjudice")
    assert "image" in result
    assert "moral" not in result


@pytest.mark.parametrize(
    "question",
    [
        "Quelles sont les conditions de la résiliation judiciaire d'un contrat de maintenance ?",
        "Et le prestataire a-t-il manqué à son obligation de résultat dans l'hébergement du site ?",
        "What is the limitation period for a claim against an IT provider?",
    ],
)
def test_a_self_contained_question_is_left_unchanged(question: str) -> None:
    assert not is_followup(question)
    assert standalone_question(question, [_answer(PREVIOUS)]) == question


@pytest.mark.parametrize(
    "question",
    [
        "et pour le préjudice moral ?",
        "Et concernant les dommages-intérêts ?",
        "qu'en est-il des factures ?",
        "Quid de la clause pénale ?",
        "what about the invoices?",
        "and the damages?",
        "Et l'astreinte ?",
    ],
)
def test_short_questions_opening_with_a_follow_up_marker_are_follow_ups(question: str) -> None:
    assert is_followup(question)
    assert standalone_question(question, [_answer(PREVIOUS)]) != question


def test_an_aspect_absent_from_the_previous_question_is_put_before_it() -> None:
    result = standalone_question("et l'astreinte ?", [_answer(PREVIOUS)])
    assert result == f"astreinte — {PREVIOUS}"
