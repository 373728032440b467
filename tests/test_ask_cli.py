"""`legal-assistant ask` and `eval` over the sample corpus with the real e5 model and Chroma:
the JSON format of DESIGN.md, verbatim passages at their offsets, highlights inside them,
filters, the LangChain retriever, and questions in English, without accents or as keywords."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.retrieve import HybridRetriever
from assistant.service import Assistant
from assistant.settings import Settings
from store.store import Store

pytest_plugins = ["fixtures_store"]
pytestmark = pytest.mark.slow

E5 = "e5:multilingual-e5-small"
LUX_COURT = "Tribunal d'arrondissement de Luxembourg"


@pytest.fixture
def env(sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in list(os.environ):
        if key.startswith(("LEGAL_ASSISTANT_", "CHROMA_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("LEGAL_ASSISTANT_STORE", str(sample_store))
    return sample_store


def ask_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["ask", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_ask_json_follows_the_design_format_and_quotes_the_stored_text(env, capsys):
    data = ask_json(capsys, "Le prestataire pouvait-il suspendre ses services pour des factures "
                            "impayées ?", "--k", "4")  # fmt: skip
    assert set(data) == {"question", "answer", "passages"}
    assert set(data["answer"]) == {"lead", "no_answer", "synthesis", "verified"}
    assert data["answer"]["synthesis"] is None and data["answer"]["verified"] is None
    assert data["answer"]["no_answer"] is False
    assert 1 <= len(data["passages"]) <= 4
    store = Store.open(env, E5)
    for rank, p in enumerate(data["passages"], 1):
        assert p["rank"] == rank
        judgment = store.judgment(p["judgment"]["id"])
        assert judgment.text[p["char_start"] : p["char_end"]] == p["text"]
        assert all(h in p["text"] for h in p["highlights"])
        assert p["citation"].startswith(("Trib. arr. Luxembourg", "CA ", "Cass.", "T. com."))
        assert set(p["judgment"]) == {"id", "court", "chamber", "date", "decision_number",
                                      "docket_number", "title", "source_path", "country",
                                      "ecli", "url"}  # fmt: skip
    assert any("inexécution" in p["text"] for p in data["passages"])


def test_ask_prints_the_lead_citations_and_marked_highlights(env, capsys):
    assert main(["ask", "préjudice moral de l'avocate"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(("1 passage", "2 passages", "3 passages",
                                           "4 passages", "5 passages"))  # fmt: skip
    assert "[1] Trib. arr. Luxembourg, XIe ch., 24 janvier 2025" in out
    assert "»" in out and "«" in out


def test_the_lead_names_the_words_of_the_question_that_the_corpus_never_uses(env, capsys):
    """A lawyer asking about a subject the judgments never name is told so, whatever the
    passages shown: those only share the rest of the question."""
    lead = ask_json(capsys, "La zorglubation de la messagerie engage-t-elle la responsabilité "
                            "du prestataire ?")["answer"]["lead"]  # fmt: skip
    assert lead.endswith("Le corpus n'emploie jamais : « zorglubation ».")
    known = ask_json(capsys, "Le prestataire pouvait-il suspendre ses services ?")
    assert "n'emploie jamais" not in known["answer"]["lead"]
    english = ask_json(capsys, "Could the provider suspend the zorglubation of its services?")
    assert "never uses" not in english["answer"]["lead"], "English words are not the corpus's"


def test_court_and_date_filters_restrict_the_passages(env, capsys):
    data = ask_json(capsys, "responsabilité", "--court", LUX_COURT)
    assert data["passages"]
    assert {p["judgment"]["court"] for p in data["passages"]} == {LUX_COURT}
    data = ask_json(capsys, "responsabilité", "--from", "2022-01-01", "--to", "2022-12-31")
    assert data["passages"]
    assert all(p["judgment"]["date"].startswith("2022") for p in data["passages"])


@pytest.mark.parametrize(
    "question",
    [
        "Could the IT provider suspend its services because invoices were unpaid?",
        "exception d'inexecution factures impayees",
        "exception d'inexécution",
    ],
)
def test_english_unaccented_and_keyword_questions_find_the_passage(env, question):
    answer = Assistant.from_settings(Settings.from_env()).ask(question, strict=True)
    assert not answer.no_answer
    assert any("inexécution" in p.text for p in answer.passages[:5])


def test_the_retriever_is_a_langchain_retriever(env):
    assistant = Assistant.from_settings(Settings.from_env())
    retriever = HybridRetriever(store=assistant.store, embeddings=assistant.embeddings, k=3)
    documents = retriever.invoke("préjudice d'image")
    assert 1 <= len(documents) <= 3
    for doc in documents:
        assert doc.metadata["text"] == doc.page_content
        assert doc.metadata["citation"]


def test_eval_prints_the_metrics_and_dumps_each_answer(env, tmp_path, capsys):
    questions = tmp_path / "q.jsonl"
    rows = [
        {
            "id": "a",
            "question": "Le prestataire pouvait-il couper les services pour factures impayées ?",
            "gold": ["exception d'inexécution"],
        },  # fmt: skip
        {"id": "b", "question": "recette de la tarte aux mirabelles", "gold": []},
    ]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    dump = tmp_path / "dump.jsonl"
    assert main(["eval", str(questions), "--k", "5", "--dump", str(dump)]) == 0
    out = capsys.readouterr().out
    for name in ("hit@1", "hit@3", "hit@5", "MRR@10"):
        assert name in out
    lines = [json.loads(line) for line in dump.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert set(lines[0]) == {"id", "question", "answer", "passages"}
    assert lines[1]["answer"]["no_answer"] is True


def test_a_question_on_sums_gets_the_table_rows_of_the_quoted_judgments(env, capsys):
    question = "Quels montants ont été alloués pour la coupure de la messagerie ?"
    data = ask_json(capsys, question)
    assert data["answer"]["no_answer"] is False and data["amounts"]
    quoted = {p["judgment"]["id"] for p in data["passages"]}
    store = Store.open(env, E5)
    for row in data["amounts"]:  # rows of the quoted judgments, each its judgment's own text
        assert row["judgment_id"] in quoted
        text = store.judgment(row["judgment_id"]).text
        assert text[row["char_start"] : row["char_end"]] == row["quote"]
        assert row["amount_text"] in row["quote"]
    assert any(r["outcome"] == "granted" and r["value"] in (500.0, 2000.0) for r in data["amounts"])
    assert main(["ask", question]) == 0
    out = capsys.readouterr().out
    assert "Sommes relevées dans ces décisions :" in out
    assert "amounts" not in ask_json(capsys, "Le prestataire est-il responsable des pannes ?")
