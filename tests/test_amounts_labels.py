"""The development labels of the damages table (eval/amounts_dev.jsonl, format in
eval/amounts_and_tags.md) are well formed: every label names a listed file of data/corpus,
quotes it exactly, holds a written sum that reads as its value and currency, and uses the
allowed heads and outcomes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.amounts import HEADS, OUTCOMES, find_amounts
from ingest.open_data import is_record_file, read_records
from ingest.read import read_document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
LABELS = [json.loads(line) for line in
          (ROOT / "eval" / "amounts_dev.jsonl").read_text(encoding="utf-8").splitlines()
          if line.strip()]  # fmt: skip
FILES = [line.strip() for line in
         (ROOT / "eval" / "amounts_dev_files.txt").read_text(encoding="utf-8").splitlines()
         if line.strip()]  # fmt: skip
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


@pytest.mark.parametrize("label", LABELS, ids=lambda label: f"{label['file']}:{label['value']}")
def test_each_label_quotes_its_file_exactly_and_its_sum_reads_as_its_value(label):
    assert set(label) == KEYS
    assert label["quote"] in file_text(label["file"])
    assert 20 <= len(label["quote"]) <= 400
    sums = {(m.value, m.currency) for m in find_amounts(label["quote"])}
    assert (label["value"], label["currency"]) in sums
    assert label["head"] in HEADS and label["outcome"] in OUTCOMES
    assert re.fullmatch(r"[A-Z]{3}", label["currency"])
    assert isinstance(label["creditor"], str) and isinstance(label["debtor"], str)


def test_no_sum_is_labelled_twice():
    keys = [(label["file"], label["value"], label["head"], label["outcome"], label["creditor"])
            for label in LABELS]  # fmt: skip
    assert len(keys) == len(set(keys))
