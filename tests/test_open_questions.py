"""The open-data question sets (eval/open_dev_questions.jsonl, eval/open_heldout_questions.jsonl)
are well formed and their gold strings identify one decision of the mixed store built from
data/corpus and ../shared/corpus-open.

Gold strings are checked against the text ingest stores: for the source decision, the text of
`judgment_from_record` (one paragraph each); for uniqueness, the canonical text of every file of
both corpora, loaded and folded once per session. The held-out file is only checked for form
here: it is never tuned on nor pinned to scores in tests (eval/README.md). The checks that read
corpus-open skip when ../shared is absent (a user's clone)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from assistant.evaluate import EvalQuestion, fold, load_questions
from ingest.canonical import canonicalize

ROOT = Path(__file__).resolve().parents[1]
OPEN = Path(__file__).resolve().parents[2] / "shared" / "corpus-open"
CORPUS = ROOT / "data" / "corpus"
DEV = ROOT / "eval" / "open_dev_questions.jsonl"
HELDOUT = ROOT / "eval" / "open_heldout_questions.jsonl"
SETS = {DEV: ("od-", 60, 8), HELDOUT: ("oh-", 36, 6)}  # prefix, min questions, min unanswerable
KEYS = {"id", "question", "gold", "lang", "style", "source"}

per_file = pytest.mark.parametrize("path", list(SETS), ids=lambda p: p.stem)
needs_open = pytest.mark.skipif(not OPEN.is_dir(), reason="../shared/corpus-open is absent")


def _questions(path: Path) -> list[EvalQuestion]:
    return load_questions(path)


def _answerable() -> list[EvalQuestion]:
    return [q for path in SETS for q in _questions(path) if q.answerable]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text).lower())


def _source_kind(source: str) -> str:
    """'records/BE_ConseilEtat_0066407905.json' -> 'BE_ConseilEtat'; DILA XML -> 'dila-cass'."""
    folder, _, name = source.partition("/")
    return folder if folder == "dila-cass" else name.rsplit("_", 1)[0]


def _open_files() -> list[Path]:
    return sorted([*OPEN.glob("records/*.json"), *OPEN.glob("dila-cass/*.xml")])


def _raw_record_text(path: Path) -> str:
    """The decision text of an open-data file as published (also for a file ingest refuses)."""
    from ingest.open_data import read_records
    from store.errors import InputFileError

    try:
        return read_records(path).records[0].text
    except InputFileError:
        return str(json.loads(path.read_text(encoding="utf-8")).get("text", ""))


@pytest.fixture(scope="session")
def folded_texts() -> dict[str, str]:
    """Every decision of both corpora, canonical text folded, keyed by the path `source` uses
    (corpus-open files relative to corpus-open; data/corpus files as `corpus/<path>`)."""
    if not OPEN.is_dir():
        pytest.skip("../shared/corpus-open is absent")
    texts = {
        str(path.relative_to(OPEN)): fold(canonicalize(_raw_record_text(path)).text)
        for path in _open_files()
    }
    for path in sorted(CORPUS.rglob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        texts[f"corpus/{path.relative_to(CORPUS)}"] = fold(canonicalize(raw).text)
    return texts


@pytest.fixture(scope="session")
def stored_paragraphs() -> dict[str, list[str]]:
    """The folded paragraphs of the text ingest stores for each source decision."""
    if not OPEN.is_dir():
        pytest.skip("../shared/corpus-open is absent")
    from ingest.open_data import read_records
    from ingest.parse import judgment_from_record

    out: dict[str, list[str]] = {}
    for source in sorted({str(q.extras["source"]) for q in _answerable()}):
        path = OPEN / source
        if path.is_file():
            judgment = judgment_from_record(read_records(path).records[0])
            out[source] = [fold(p) for p in judgment.text.split("\n\n")]
    return out


# --- form (no corpus needed) -----------------------------------------------------------------


@per_file
def test_every_line_has_the_question_format(path: Path) -> None:
    prefix = SETS[path][0]
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        obj = json.loads(line)
        assert set(obj) == KEYS, f"{path.name}:{lineno}: keys {sorted(obj)}"
        assert obj["id"].startswith(prefix), obj["id"]
        assert isinstance(obj["question"], str) and obj["question"].strip()
        assert isinstance(obj["gold"], list) and all(isinstance(g, str) for g in obj["gold"])
        assert len(obj["gold"]) <= 3, obj["id"]
        assert obj["lang"] in ("fr", "en") and obj["style"] in ("question", "keywords")
        source = obj["source"]
        if obj["gold"]:
            assert re.fullmatch(r"(records/[\w.-]+\.json|dila-cass/[\w.-]+\.xml)", source), obj
        else:
            assert source == "", f"{obj['id']}: an unanswerable question names no source"


@per_file
def test_size_and_mix(path: Path) -> None:
    _, at_least, unanswerable = SETS[path]
    questions = _questions(path)
    assert len(questions) >= at_least
    assert sum(1 for q in questions if not q.answerable) >= unanswerable
    langs = Counter(q.extras.get("lang") for q in questions)
    styles = Counter(q.extras.get("style") for q in questions)
    assert langs["en"] >= (8 if path == DEV else 3)
    assert styles["keywords"] >= 3
    kinds = Counter(_source_kind(str(q.extras["source"])) for q in questions if q.answerable)
    assert len(kinds) >= 8, f"too few kinds of source: {kinds}"


def test_ids_are_unique_across_all_question_files() -> None:
    ids = [q.id for path in sorted((ROOT / "eval").glob("*questions.jsonl"))
           for q in _questions(path)]
    repeated = [i for i, n in Counter(ids).items() if n > 1]
    assert not repeated, repeated


@per_file
def test_gold_strings_have_the_right_length_and_no_markup(path: Path) -> None:
    for q in _questions(path):
        for gold in q.gold:
            assert 30 <= len(gold) <= 150, f"{q.id}: gold length {len(gold)}: {gold!r}"
            assert "*" not in gold and "^{" not in gold and "\n" not in gold, q.id


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


@per_file
def test_the_two_sets_use_different_decisions_where_possible(path: Path) -> None:
    """Most held-out questions are on decisions the development set does not use."""
    if path != HELDOUT:
        return
    dev_sources = {q.extras["source"] for q in _questions(DEV) if q.answerable}
    held = [q for q in _questions(HELDOUT) if q.answerable]
    shared = [q.id for q in held if q.extras["source"] in dev_sources]
    assert len(shared) <= len(held) // 10, shared


# --- gold strings against the corpora (skip without ../shared) ----------------------------


@needs_open
@pytest.mark.parametrize("question", _answerable(), ids=lambda q: q.id)
def test_gold_strings_are_in_one_paragraph_of_the_stored_text(
    question: EvalQuestion, stored_paragraphs: dict[str, list[str]]
) -> None:
    source = str(question.extras["source"])
    assert source in stored_paragraphs, f"{question.id}: {source} not in corpus-open"
    for gold in question.gold:
        folded = fold(gold)
        assert any(folded in p for p in stored_paragraphs[source]), (
            f"{question.id}: not in one stored paragraph of {source}: {gold!r}")


@needs_open
@per_file
def test_gold_strings_identify_their_decision(path: Path, folded_texts: dict[str, str]) -> None:
    """A gold string found in another file of the mixed store would count a wrong decision as
    a hit."""
    for q in _questions(path):
        for gold in q.gold:
            folded = fold(gold)
            holders = [name for name, text in folded_texts.items() if folded in text]
            assert holders == [q.extras["source"]], f"{q.id}: {gold!r} in {holders}"
