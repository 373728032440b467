"""The question sets (eval/*_questions.jsonl) are well formed and
their gold strings really are in the corpus, in the text the store will hold (canonical text), one
passage each."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from assistant.evaluate import EvalQuestion, fold, load_questions
from ingest.canonical import canonicalize

ROOT = Path(__file__).resolve().parents[1]
QUESTION_FILES = [
    ROOT / "eval" / name
    for name in ("dev_questions.jsonl", "dev_more_questions.jsonl", "heldout_questions.jsonl")
]
CORPUS = ROOT / "data" / "corpus"


def _questions(path: Path) -> list[EvalQuestion]:
    return load_questions(path)


def _all_questions() -> list[tuple[Path, EvalQuestion]]:
    return [(path, q) for path in QUESTION_FILES for q in _questions(path)]


per_file = pytest.mark.parametrize("path", QUESTION_FILES, ids=lambda p: p.stem)


def _corpus_files() -> dict[str, Path]:
    return {p.name: p for p in sorted(CORPUS.rglob("*.txt"))}


def _raw(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text).lower())


@per_file
def test_size_and_mix(path: Path) -> None:
    questions = _questions(path)
    assert len(questions) >= 40
    assert sum(1 for q in questions if not q.answerable) >= 6
    langs = Counter(q.extras.get("lang") for q in questions)
    styles = Counter(q.extras.get("style") for q in questions)
    assert set(langs) == {"fr", "en"}
    assert set(styles) == {"question", "keywords"}
    assert langs["en"] >= 5 and styles["keywords"] >= 5


@per_file
def test_ids_are_unique_and_every_question_says_where_it_comes_from(path: Path) -> None:
    questions = _questions(path)
    assert len({q.id for q in questions}) == len(questions)
    files = _corpus_files()
    for q in questions:
        source = q.extras.get("source")
        if q.answerable:
            assert source in files, f"{q.id}: unknown source {source!r}"
        else:
            assert source == "", f"{q.id}: an unanswerable question names no source"


@pytest.mark.parametrize(
    "question", [q for _, q in _all_questions() if q.answerable], ids=lambda q: q.id
)
def test_gold_strings_are_in_their_source_paragraph(question: EvalQuestion) -> None:
    path = _corpus_files()[str(question.extras["source"])]
    raw = _raw(path)
    raw_paragraphs = [fold(p) for p in re.split(r"\n\s*\n", raw)]
    canonical_paragraphs = [fold(p) for p in canonicalize(raw).text.split("\n\n")]
    for gold in question.gold:
        assert "*" not in gold and "^{" not in gold, f"markup in gold {gold!r}"
        assert 30 <= len(gold) <= 150, f"gold length {len(gold)}: {gold!r}"
        folded = fold(gold)
        assert any(folded in p for p in raw_paragraphs), f"not in one raw paragraph: {gold!r}"
        assert any(folded in p for p in canonical_paragraphs), f"not in canonical text: {gold!r}"


@per_file
def test_gold_strings_identify_their_judgment(path: Path) -> None:
    """A gold string found in another file would count a wrong judgment as a hit."""
    texts = {name: fold(_raw(file)) for name, file in _corpus_files().items()}
    for q in _questions(path):
        for gold in q.gold:
            holders = [name for name, text in texts.items() if fold(gold) in text]
            assert holders == [q.extras["source"]], f"{q.id}: {gold!r} in {holders}"


@per_file
def test_questions_paraphrase_rather_than_copy_the_gold(path: Path) -> None:
    """No question contains a gold string or shares seven consecutive words with one."""
    for q in _questions(path):
        words = _words(q.question)
        shingles = {" " + " ".join(words[i : i + 7]) + " " for i in range(len(words) - 6)}
        for gold in q.gold:
            assert fold(gold).lower() not in fold(q.question).lower(), q.id
            gold_text = " " + " ".join(_words(gold)) + " "
            assert not any(s in gold_text for s in shingles), f"{q.id} copies {gold!r}"


def test_the_two_sets_share_no_question_id() -> None:
    """Held-out ids stay distinct from development ids, so dumps and breakdowns never mix them."""
    ids = [q.id for _, q in _all_questions()]
    assert len(ids) == len(set(ids))
