"""The "Montants" view of the chat page and questions on sums, driven with Streamlit's AppTest
over the sample corpus (real e5 model, real store): the damages table lists the sums of the
Luxembourg judgment with verbatim spans, filters narrow it, a row opens the judgment at its
span, the table exports with its citations, and a question on sums shows table rows beside
the quotes."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest
from test_app import _ask, _run, _shown_text, downloads  # noqa: F401 (a fixture)

from assistant.amounts import AmountRow
from assistant.issue_tags import decisions_by_issue, load_taxonomy, tag_store
from assistant.page_render import HEAD_LABELS
from store.embeddings import E5_MODEL_ID, make_embeddings
from store.store import Store

pytest_plugins = ["fixtures_store"]
pytestmark = pytest.mark.slow

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


@pytest.fixture
def amounts_page(app_env: dict[str, str]) -> AppTest:
    at = _run(AppTest.from_file(APP, default_timeout=180))
    at.radio(key="view").set_value("Montants")
    return _run(at)


def _table(at: AppTest) -> list[dict[str, object]]:
    frame = at.dataframe[0].value
    return frame.to_dict("records")


def test_the_table_lists_the_sums_granted_to_each_claimant_with_verbatim_spans(
    amounts_page: AppTest, app_env: dict[str, str]
) -> None:
    rows = _table(amounts_page)
    granted = {(r["Montant"], r["Créancier"]) for r in rows
               if r["Issue"] == "Accordé" and r["Chef de préjudice"] != "Autre"}  # fmt: skip
    for value in (500.0, 2000.0):
        assert (value, "PERSONNE1.)") in granted
        assert any(v == value and "SOCIETE1.)" in str(c) for v, c in granted)
    procedure = HEAD_LABELS["indemnite_procedure"]
    assert any(r["Montant"] == 1000.0 and r["Chef de préjudice"] == procedure for r in rows)
    assert {"Accordé", "Rejeté"} <= {r["Issue"] for r in rows}
    shown: list[AmountRow] = amounts_page.session_state["a_rows"]
    assert any(r.court == "Tribunal d'arrondissement de Luxembourg" for r in shown)
    store = Store.open(Path(app_env["LEGAL_ASSISTANT_STORE"]), E5_MODEL_ID)
    try:
        for row in shown:  # each quote is the stored judgment's own text at its offsets
            text = store.judgment(row.judgment_id).text
            assert text[row.char_start : row.char_end] == row.quote
            assert row.amount_text in row.quote
    finally:
        store.close()


def test_filters_narrow_the_table(amounts_page: AppTest) -> None:
    everything = _table(amounts_page)
    amounts_page.multiselect(key="a_outcomes").set_value(["rejected"])
    _run(amounts_page)
    rejected = _table(amounts_page)
    assert rejected and len(rejected) < len(everything)
    assert {r["Issue"] for r in rejected} == {"Rejeté"}
    amounts_page.multiselect(key="a_outcomes").set_value([])
    amounts_page.number_input(key="a_min").set_value(1500.0)
    _run(amounts_page)
    large = _table(amounts_page)
    assert large and all(float(str(r["Montant"])) >= 1500.0 for r in large)


def test_a_row_opens_the_judgment_at_its_span(amounts_page: AppTest) -> None:
    rows: list[AmountRow] = amounts_page.session_state["a_rows"]
    pick = next(i for i, r in enumerate(rows) if r.value == 2000.0)
    amounts_page.selectbox(key="a_pick").set_value(pick)
    amounts_page.button(key="a_view").click()
    _run(amounts_page)
    frames = amounts_page.get("iframe")
    assert len(frames) == 1
    document = frames[0].proto.srcdoc or frames[0].proto.src
    marked = re.search(r'<mark id="passage">(.*?)</mark>', document, flags=re.S)
    assert marked and html.unescape(marked.group(1)) == rows[pick].quote


def test_the_table_exports_to_csv_and_xlsx_with_citations(
    amounts_page: AppTest, downloads: dict[str, bytes]  # noqa: F811
) -> None:
    _run(amounts_page)  # the download buttons register their bytes on this run
    rows: list[AmountRow] = amounts_page.session_state["a_rows"]
    buttons = {b.proto.label: b.proto.url for b in amounts_page.get("download_button")}
    lines = list(csv.reader(io.StringIO(downloads[buttons["CSV"]].decode("utf-8-sig"))))
    assert len(lines) == len(rows) + 1
    flat = "\n".join(";".join(line) for line in lines)
    for row in rows:
        assert row.quote in flat and row.citation in flat
    sheet = load_workbook(io.BytesIO(downloads[buttons["Excel (XLSX)"]])).active
    assert sheet is not None and sheet.max_row == len(rows) + 1


def test_a_question_on_sums_shows_table_rows_beside_the_quotes(app_env: dict[str, str]) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=180))
    answer = _ask(at, "Quels montants ont été alloués au titre du préjudice moral ?")
    assert not answer.no_answer and answer.amounts
    assert any(r.value == 2000.0 and r.head == "moral" and r.outcome == "granted"
               for r in answer.amounts)  # fmt: skip
    shown = _shown_text(at)
    for row in answer.amounts:
        assert row.quote in shown and row.citation in shown


def test_a_question_that_is_not_on_sums_shows_no_table(app_env: dict[str, str]) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=180))
    answer = _ask(at, "Le prestataire informatique est-il responsable des pannes du site ?")
    assert answer.amounts == ()
    assert not [h for h in at.html if '<table class="la-amounts"' in h.value]


def test_the_issues_view_lists_decisions_and_their_evidence_verbatim(
    app_env: dict[str, str],
) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=180))
    at.radio(key="view").set_value("Questions juridiques")
    _run(at)
    labels = at.selectbox(key="i_issue").options
    assert len(labels) == len(load_taxonomy().issues)
    with_decisions = [i for i, label in enumerate(labels) if not label.endswith("(0)")]
    assert with_decisions, labels
    at.selectbox(key="i_issue").set_value(at.selectbox(key="i_issue").options[with_decisions[0]])
    _run(at)
    cards = [h.value for h in at.html if 'class="la-card"' in h.value]
    assert cards
    store = Store.open(Path(app_env["LEGAL_ASSISTANT_STORE"]), E5_MODEL_ID)
    try:
        texts = "\n".join(store.judgment(m.id).text for m in store.judgments())
    finally:
        store.close()
    for card in cards:  # every evidence shown is the judgments' own text
        quote = re.search(r'<div class="la-quote">(.*?)</div>', card, flags=re.S)
        assert quote and html.unescape(quote.group(1)) in texts
    at.button(key="i-view-0-0").click()
    _run(at)
    assert len(at.get("iframe")) == 1


def test_the_issue_filter_restricts_answers_to_decisions_on_that_issue(
    app_env: dict[str, str],
) -> None:
    store = Store.open(Path(app_env["LEGAL_ASSISTANT_STORE"]), E5_MODEL_ID)
    try:
        embeddings, _ = make_embeddings("e5")
        tagged = decisions_by_issue(tag_store(store, embeddings))
        every = {m.id for m in store.judgments()}
    finally:
        store.close()
    issue, decisions = next((i, set(d)) for i, d in tagged.items() if 0 < len(set(d)) < len(every))
    at = _run(AppTest.from_file(APP, default_timeout=180))
    at.multiselect(key="f_issues").set_value([issue])
    _run(at)
    answer = _ask(at, "Le prestataire informatique est-il responsable des pannes ?")
    assert answer.passages
    assert {p.judgment.id for p in answer.passages} <= decisions
