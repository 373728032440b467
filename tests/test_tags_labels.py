"""The decision-level issue labels (eval/tags_dev.jsonl on data/corpus, eval/tags_dev2.jsonl
and eval/tags_dev3.jsonl on ../shared/corpus-open; format in eval/amounts_and_tags.md) are well
formed: one line per decision, taxonomy ids only, and one evidence span per tag that is an exact
substring of the decision's text. The open-corpus checks skip when ../shared is absent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from open_corpus import OPEN, open_text

from assistant.issue_tags import load_taxonomy
from ingest.read import read_document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
needs_open = pytest.mark.skipif(not OPEN.is_dir(), reason="../shared/corpus-open is absent")
ISSUES = set(load_taxonomy().ids)


def labels(name: str) -> list[dict[str, Any]]:
    text = (ROOT / "eval" / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]



def check(label: dict[str, Any], text: str) -> None:
    assert set(label["tags"]) <= ISSUES
    assert len(label["tags"]) == len(set(label["tags"]))
    assert set(label["evidence"]) == set(label["tags"])
    for span in label["evidence"].values():
        assert 20 <= len(span) <= 400 and span in text


@pytest.mark.parametrize("name", ["tags_dev.jsonl", "tags_dev2.jsonl", "tags_dev3.jsonl"])
def test_each_decision_is_labelled_once(name):
    files = [label["file"] for label in labels(name)]
    assert len(files) == len(set(files))


@pytest.mark.parametrize("label", labels("tags_dev.jsonl"), ids=lambda label: label["file"])
def test_each_corpus_label_holds_taxonomy_issues_with_exact_evidence(label):
    check(label, read_document(CORPUS / label["file"]).text)


@needs_open
@pytest.mark.parametrize("label", labels("tags_dev2.jsonl") + labels("tags_dev3.jsonl"),
                         ids=lambda label: label["file"])
def test_each_open_corpus_label_holds_taxonomy_issues_with_exact_evidence(label):
    check(label, open_text(label["file"]))


def test_the_blind_set_keeps_out_the_frozen_decisions_and_says_why_for_each():
    frozen = {label["file"] for label in labels("tags_heldout.jsonl")}
    dev3 = labels("tags_dev3.jsonl")
    assert not {label["file"] for label in dev3} & frozen
    assert all(label["note"].strip() for label in dev3)
