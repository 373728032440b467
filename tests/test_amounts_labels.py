"""The development labels of the damages table (eval/amounts_dev.jsonl on data/corpus,
eval/amounts_dev2.jsonl, the fresh check eval/amounts_dev2_fresh.jsonl and the blind sets
eval/amounts_fresh2..5.jsonl on ../shared/corpus-open; format in eval/amounts_and_tags.md) are well
formed: every label names a listed file, quotes its text exactly (a JSON record's `text`, a DILA
XML's TEXTE/BLOC_TEXTUEL/CONTENU with its tags removed), holds a written sum that reads as its
value and currency, and uses the allowed heads and outcomes. The second set keeps out the
decisions of the frozen set (eval/amounts_heldout_files.txt, read for its names only); its
checks skip when ../shared is absent (a user's clone)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from open_corpus import OPEN, open_text

from assistant.amounts import HEADS, OUTCOMES, find_amounts
from ingest.open_data import is_record_file, read_records
from ingest.read import read_document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"


def _lines(name: str) -> list[str]:
    return [line.strip() for line in (ROOT / "eval" / name).read_text(encoding="utf-8").splitlines()
            if line.strip()]  # fmt: skip


LABELS = [json.loads(line) for line in _lines("amounts_dev.jsonl")]
FILES = _lines("amounts_dev_files.txt")
LABELS2 = [json.loads(line) for line in _lines("amounts_dev2.jsonl")]
FILES2 = _lines("amounts_dev2_files.txt")
FRESH = [json.loads(line) for line in _lines("amounts_dev2_fresh.jsonl")]
FRESH_FILES = _lines("amounts_dev2_fresh_files.txt")
BLIND = {  # the sets labelled by helper sessions that never saw the extractor
    name: ([json.loads(line) for line in _lines(f"amounts_{name}.jsonl")],
           _lines(f"amounts_{name}_files.txt"))
    for name in ("fresh2", "fresh3", "fresh4", "fresh5")
}  # fmt: skip
needs_open = pytest.mark.skipif(not OPEN.is_dir(), reason="../shared/corpus-open is absent")
KEYS = {"file", "value", "currency", "head", "outcome", "creditor", "debtor", "quote"}


def file_text(name: str) -> str:
    """The text a label quotes: the document's text, or the decision text of a record."""
    path = CORPUS / name
    if is_record_file(path):
        return "\n".join(record.text for record in read_records(path).records)
    return read_document(path).text


def test_the_listed_files_are_the_40_decisions_of_the_corpus_once_each():
    assert len(FILES) == len(set(FILES)) == 40
    assert all((CORPUS / name).is_file() for name in FILES)
    assert {label["file"] for label in LABELS} <= set(FILES)



def check_label(label: dict[str, Any], text: str) -> None:
    assert set(label) == KEYS
    assert label["quote"] in text
    assert 20 <= len(label["quote"]) <= 400
    # read as a person reads it: "2 \n500 €" is 2,500; "de3.000 euros" (words glued by the
    # publisher) is 3,000
    unglued = re.sub(r"(?<=[^\W\d_])(?=\d)", " ", " ".join(label["quote"].split()))
    sums = {(m.value, m.currency) for m in find_amounts(unglued)}
    assert (label["value"], label["currency"]) in sums
    assert label["head"] in HEADS and label["outcome"] in OUTCOMES
    assert re.fullmatch(r"[A-Z]{3}", label["currency"])
    assert isinstance(label["creditor"], str) and isinstance(label["debtor"], str)


@pytest.mark.parametrize("label", LABELS, ids=lambda label: f"{label['file']}:{label['value']}")
def test_each_label_quotes_its_file_exactly_and_its_sum_reads_as_its_value(label):
    check_label(label, file_text(label["file"]))


@pytest.mark.parametrize("labels", [LABELS, LABELS2, FRESH], ids=["dev", "dev2", "fresh"])
def test_no_sum_is_labelled_twice(labels):
    keys = [(label["file"], label["value"], label["head"], label["outcome"], label["creditor"])
            for label in labels]  # fmt: skip
    assert len(keys) == len(set(keys))


def test_the_second_set_is_20_decisions_outside_the_frozen_set_with_some_holding_no_sum():
    frozen = set(_lines("amounts_heldout_files.txt"))
    assert len(FILES2) == len(set(FILES2)) == 20
    assert not set(FILES2) & frozen
    labelled = {label["file"] for label in LABELS2}
    assert labelled <= set(FILES2)
    assert len(set(FILES2) - labelled) >= 3  # decisions whose sums are facts or none
    assert {label["outcome"] for label in LABELS2} == set(OUTCOMES)


def test_the_fresh_check_is_11_other_decisions():
    frozen = set(_lines("amounts_heldout_files.txt"))
    assert len(FRESH_FILES) == len(set(FRESH_FILES)) == 11
    assert not set(FRESH_FILES) & (frozen | set(FILES2))
    assert {label["file"] for label in FRESH} < set(FRESH_FILES)


@needs_open
def test_the_second_set_and_the_fresh_check_list_files_of_corpus_open():
    assert all((OPEN / name).is_file() for name in FILES2 + FRESH_FILES)


@needs_open
@pytest.mark.parametrize("label", LABELS2 + FRESH,
                         ids=lambda label: f"{label['file']}:{label['value']}")
def test_each_second_set_label_quotes_its_file_exactly_and_its_sum_reads_as_its_value(label):
    check_label(label, open_text(label["file"]))


@pytest.mark.parametrize("name", sorted(BLIND))
def test_each_blind_set_lists_its_decisions_once_outside_the_frozen_set(name):
    labels, files = BLIND[name]
    frozen = set(_lines("amounts_heldout_files.txt"))
    assert len(files) == len(set(files)) >= 30
    assert not set(files) & frozen
    assert {label["file"] for label in labels} <= set(files)


@needs_open
@pytest.mark.parametrize("label", [label for name in sorted(BLIND) for label in BLIND[name][0]],
                         ids=lambda label: f"{label['file']}:{label['value']}")
def test_each_blind_set_label_quotes_its_file_exactly_and_holds_its_sum(label):
    # as labelled by people: sums the extractor cannot read (« soles 16.908.564,62 », « 25
    # millions de francs », « 56 823,33 $ ») are labelled all the same, so only the digits
    # are checked
    text = open_text(label["file"])
    assert set(label) == KEYS and label["quote"] in text and 20 <= len(label["quote"]) <= 400
    assert label["head"] in HEADS and label["outcome"] in OUTCOMES
    digits = re.sub(r"[\s.,'’]", "", label["quote"])
    whole = f"{label['value']:.2f}".split(".")[0]
    assert whole in digits or re.sub(r"0{6}$", "", whole) in digits
