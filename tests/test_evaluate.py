"""Specification of the evaluation metrics (assistant/evaluate.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluate import (
    EvalQuestion,
    EvalResult,
    first_hit_rank,
    fold,
    format_misses,
    format_report,
    load_questions,
    misses,
    passage_answers,
    result_from_ask_json,
    score,
)


def q(qid: str, *gold: str) -> EvalQuestion:
    return EvalQuestion(id=qid, question=f"question {qid}", gold=tuple(gold))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l\u2019exception d\u2019inexécution", "l'exception d'inexécution"),
        ("**PERSONNE1.)** avocate", "PERSONNE1.) avocate"),
        ("« *très attristé* »", "« très attristé »"),
        ("dommages\n\n  et\tintérêts", "dommages et intérêts"),
        ("  bords  ", "bords"),
        ("Accents Gardés É", "Accents Gardés É"),
        ("", ""),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("passage", "gold", "expected"),
    [
        ("Le montant de 2.000 euros est alloué.", ["2.000 euros"], True),
        ("Le montant de 2.000 euros est alloué.", ["3.000 euros"], False),
        ("Le montant de 2.000 euros est alloué.", ["3.000 euros", "est alloué"], True),
        # curly apostrophe in the passage, straight in the gold, and the reverse
        ("l\u2019exception d\u2019inexécution", ["l'exception d'inexécution"], True),
        ("l'exception d'inexécution", ["l\u2019exception d\u2019inexécution"], True),
        # markdown emphasis and line breaks do not matter
        ("être « *très attristé par\nla situation* »", ["très attristé par la situation"], True),
        # case and accents do matter: gold strings are exact
        ("Préjudice moral", ["prejudice moral"], False),
        ("Préjudice moral", ["préjudice moral"], False),
        # no gold: nothing answers
        ("anything at all", [], False),
    ],
)
def test_passage_answers(passage: str, gold: list[str], expected: bool) -> None:
    assert passage_answers(passage, gold) is expected


@pytest.mark.parametrize(
    ("passages", "k", "expected"),
    [
        (["a", "b", "GOLD", "GOLD"], None, 3),
        (["GOLD", "b"], None, 1),
        (["a", "b"], None, None),
        ([], None, None),
        (["a", "b", "GOLD"], 2, None),  # hit beyond k does not count
        (["a", "GOLD"], 2, 2),
        (["a", "GOLD"], 10, 2),  # k larger than the list
    ],
)
def test_first_hit_rank(passages: list[str], k: int | None, expected: int | None) -> None:
    assert first_hit_rank(passages, ["GOLD"], k) == expected


def test_score_hits_and_mrr_over_answerable_only() -> None:
    results = [
        EvalResult(q("a", "G"), ["G", "x"], declined=False),  # rank 1
        EvalResult(q("b", "G"), ["x", "x", "G"], declined=False),  # rank 3
        EvalResult(q("c", "G"), ["x"] * 4 + ["G"], declined=False),  # rank 5
        EvalResult(q("d", "G"), ["x"] * 10 + ["G"], declined=True),  # rank 11: outside MRR@10
        EvalResult(q("u1"), ["G"], declined=True),  # unanswerable, declined
        EvalResult(q("u2"), ["G"], declined=False),  # unanswerable, answered
    ]
    report = score(results)
    assert (report.n_questions, report.n_answerable, report.n_unanswerable) == (6, 4, 2)
    assert report.hit_at[1] == pytest.approx(1 / 4)
    assert report.hit_at[3] == pytest.approx(2 / 4)
    assert report.hit_at[5] == pytest.approx(3 / 4)
    assert report.mrr_at_10 == pytest.approx((1 + 1 / 3 + 1 / 5 + 0) / 4)
    assert report.n_declined == 2
    assert report.declined_unanswerable == 1
    assert report.wrongly_declined_answerable == 1
    assert report.abstention_recall == pytest.approx(1 / 2)
    assert report.abstention_precision == pytest.approx(1 / 2)


def test_declining_does_not_hide_retrieval_quality() -> None:
    """A declined answerable question still counts its passages for hit@k."""
    report = score([EvalResult(q("a", "G"), ["G"], declined=True)])
    assert report.hit_at[1] == 1.0
    assert report.wrongly_declined_answerable == 1


def test_score_without_answerable_questions() -> None:
    report = score([EvalResult(q("u"), ["x"], declined=True)])
    assert report.hit_at == {1: None, 3: None, 5: None}
    assert report.mrr_at_10 is None
    assert report.abstention_recall == 1.0
    assert report.abstention_precision == 1.0
    text = format_report(report)
    assert "hit@1 n/a" in text.splitlines()
    assert "MRR@10 n/a" in text.splitlines()


def test_score_without_declines_or_unanswerable() -> None:
    report = score([EvalResult(q("a", "G"), ["x", "G"], declined=False)])
    assert report.abstention_recall is None
    assert report.abstention_precision is None
    assert report.mrr_at_10 == 0.5


def test_score_of_nothing() -> None:
    report = score([])
    assert report.n_questions == 0
    assert report.mrr_at_10 is None


def test_format_report_lines() -> None:
    results = [
        EvalResult(q("a", "G"), ["G"], declined=False),
        EvalResult(q("b", "G"), ["x", "G"], declined=False),
        EvalResult(q("u"), ["x"], declined=True),
    ]
    lines = format_report(score(results)).splitlines()
    assert "hit@1 0.500" in lines
    assert "hit@3 1.000" in lines
    assert "hit@5 1.000" in lines
    assert "MRR@10 0.750" in lines
    assert "declined_unanswerable 1/1 1.000" in lines
    assert "decline_precision 1.000 (1/1)" in lines
    assert "wrongly_declined_answerable 0/2" in lines
    assert lines[:3] == ["questions 3", "answerable 2", "unanswerable 1"]


def test_misses_lists_answerable_questions_not_hit_within_k() -> None:
    results = [
        EvalResult(q("hit", "G"), ["G"], declined=False),
        EvalResult(q("late", "G"), ["x", "x", "G"], declined=False),
        EvalResult(q("never", "G"), ["x"], declined=False),
        EvalResult(q("unanswerable"), ["x"], declined=False),
    ]
    found = misses(results, k=2)
    assert [(m.id, m.rank) for m in found] == [("late", 3), ("never", None)]
    assert format_misses(found).splitlines() == [
        "late\t3\tquestion late",
        "never\t-\tquestion never",
    ]
    assert [m.id for m in misses(results, k=3)] == ["never"]


def test_result_from_ask_json_orders_by_rank_and_reads_no_answer() -> None:
    ask = {
        "question": "?",
        "answer": {"lead": "", "no_answer": True, "synthesis": None, "verified": None},
        "passages": [{"rank": 2, "text": "second"}, {"rank": 1, "text": "first"}],
    }
    result = result_from_ask_json(q("a", "first"), ask)
    assert result.passage_texts == ["first", "second"]
    assert result.declined is True


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_load_questions_reads_fields_and_extras(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            json.dumps(
                {
                    "id": "x-1",
                    "question": "Quel montant ?",
                    "gold": ["2.000 euros"],
                    "lang": "fr",
                    "style": "question",
                }
            ),
            "",
            json.dumps({"id": "x-2", "question": "RGPD amende ?", "gold": []}),
        ],
    )
    questions = load_questions(path)
    assert [x.id for x in questions] == ["x-1", "x-2"]
    assert questions[0].gold == ("2.000 euros",)
    assert questions[0].extras == {"lang": "fr", "style": "question"}
    assert questions[0].answerable and not questions[1].answerable


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "JSON object"),
        (json.dumps({"question": "q", "gold": []}), "'id'"),
        (json.dumps({"id": "a", "gold": []}), "'question'"),
        (json.dumps({"id": "a", "question": "q"}), "'gold'"),
        (json.dumps({"id": "a", "question": "q", "gold": "text"}), "'gold'"),
        (json.dumps({"id": "a", "question": "q", "gold": [" * "]}), "empty gold"),
    ],
)
def test_load_questions_rejects_bad_lines(tmp_path: Path, line: str, message: str) -> None:
    path = _write(tmp_path, [json.dumps({"id": "ok", "question": "q", "gold": []}), line])
    with pytest.raises(ValueError, match=message) as info:
        load_questions(path)
    assert ":2:" in str(info.value)


def test_load_questions_rejects_duplicate_ids(tmp_path: Path) -> None:
    line = json.dumps({"id": "same", "question": "q", "gold": []})
    with pytest.raises(ValueError, match="duplicate id 'same'"):
        load_questions(_write(tmp_path, [line, line]))
