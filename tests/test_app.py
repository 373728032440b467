"""The chat page, driven with Streamlit's AppTest over the sample corpus (real e5 model, real
store): answers show quotes with citations, filters change results, the no-answer case is shown
as such, follow-ups are understood, the viewer opens the judgment at the passage, exports carry
the conversation, and errors are sentences."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from assistant.records import Answer

pytest_plugins = ["fixtures_store"]
pytestmark = pytest.mark.slow

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
QUESTION = "Le prestataire informatique est-il responsable des pannes du site internet ?"
OFF_TOPIC = "Quelle est la recette traditionnelle de la tarte aux mirabelles de Lorraine ?"


def _run(at: AppTest) -> AppTest:
    at.run(timeout=180)
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def page(app_env: dict[str, str]) -> AppTest:
    return _run(AppTest.from_file(APP, default_timeout=180))


def _ask(at: AppTest, question: str) -> Answer:
    at.chat_input[0].set_value(question)
    _run(at)
    answers: list[Answer] = at.session_state["answers"]
    assert answers and answers[-1].question == question
    return answers[-1]


def _shown_text(at: AppTest) -> str:
    """What a reader sees in the st.html elements: tags dropped, entities decoded."""
    return "\n".join(html.unescape(re.sub(r"<[^>]+>", "", h.value)) for h in at.html)


def test_a_question_renders_quotes_with_their_citations(page: AppTest) -> None:
    answer = _ask(page, QUESTION)
    assert not answer.no_answer and answer.passages
    shown = _shown_text(page)
    codes = [c.value for c in page.code]
    for passage in answer.passages:
        assert passage.text in shown  # the quote, verbatim
        assert passage.citation and passage.citation in codes  # copyable citation
    assert answer.lead in shown
    cards = [h.value for h in page.html if 'class="la-card"' in h.value]
    assert len(cards) == len(answer.passages)
    assert any("<mark>" in card for card in cards)  # highlights inside the quotes


def test_filters_change_the_results(page: AppTest) -> None:
    unfiltered = _ask(page, QUESTION)
    courts_found = {p.judgment.court for p in unfiltered.passages}
    options = page.multiselect(key="f_courts").options
    other = next(c for c in options if c not in courts_found)
    page.multiselect(key="f_courts").set_value([other])
    _run(page)
    filtered = _ask(page, QUESTION)
    assert filtered.passages
    assert {p.judgment.court for p in filtered.passages} == {other}

    page.multiselect(key="f_courts").set_value([])
    page.multiselect(key="f_kinds").set_value(["operative"])
    _run(page)
    operative = _ask(page, QUESTION)
    assert operative.passages
    assert {p.section_kind for p in operative.passages} == {"operative"}


def test_no_answer_is_shown_as_such(page: AppTest) -> None:
    answer = _ask(page, OFF_TOPIC)
    assert answer.no_answer
    assert any("la-noanswer" in h.value for h in page.html)
    # weak passages, if any, are all tucked away under a label saying they do not answer
    all_cards = [h for h in page.main.get("html") if 'class="la-card"' in getattr(h, "value", "")]
    inside = [h.value for e in page.expander for h in e.get("html") if 'class="la-card"' in h.value]
    assert len(inside) == len(all_cards)
    if answer.passages:
        assert page.expander[0].label.startswith("Passages les plus proches")


def test_a_follow_up_is_understood_in_context(page: AppTest) -> None:
    first = _ask(page, "Comment le tribunal chiffre-t-il le préjudice matériel de l'avocate ?")
    follow = _ask(page, "et pour le préjudice moral ?")
    assert follow.standalone_question != follow.question
    assert "moral" in follow.standalone_question
    assert "tribunal" in follow.standalone_question  # the topic of the first question
    assert first.standalone_question != follow.standalone_question
    assert f"Question comprise : {follow.standalone_question}" in _shown_text(page)


def test_see_in_the_decision_opens_the_judgment_at_the_passage(page: AppTest) -> None:
    answer = _ask(page, QUESTION)
    passage = answer.passages[0]
    page.button(key=f"view-0-{passage.rank}").click()
    _run(page)
    frames = page.get("iframe")
    assert len(frames) == 1
    document = frames[0].proto.srcdoc or frames[0].proto.src
    marked = re.search(r'<mark id="passage">(.*?)</mark>', document, flags=re.S)
    assert marked and html.unescape(marked.group(1)) == passage.text
    body = html.unescape(re.sub(r"<[^>]+>", "", document.split('<div class="text">', 1)[1]))
    assert len(body) > 10 * len(passage.text)  # the whole judgment, not just the passage


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Bytes handed to download buttons, by media URL."""
    recorded: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def load_and_get_id(self: MemoryMediaFileStorage, data: Any, *args: Any, **kw: Any) -> str:
        file_id = original(self, data, *args, **kw)
        recorded[self.get_url(file_id)] = data if isinstance(data, bytes) else str(data).encode()
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    return recorded


def test_export_carries_questions_quotes_and_citations(
    page: AppTest, downloads: dict[str, bytes]
) -> None:
    answer = _ask(page, QUESTION)
    buttons = {b.proto.label: b.proto.url for b in page.get("download_button")}
    markdown = downloads[buttons["Markdown"]].decode("utf-8")
    assert QUESTION in markdown
    for p in answer.passages:
        assert p.citation.replace("_", r"\_") in markdown or p.citation in markdown
    doc = Document(io.BytesIO(downloads[buttons["Word (DOCX)"]]))
    paragraphs = [para.text for para in doc.paragraphs]
    assert any(QUESTION in t for t in paragraphs)
    for p in answer.passages:
        assert p.text in paragraphs
        assert f"[{p.rank}] {p.citation}" in paragraphs


def test_new_conversation_clears_the_history(page: AppTest) -> None:
    _ask(page, QUESTION)
    page.button(key="new_conversation").click()
    _run(page)
    assert page.session_state["answers"] == []
    assert not page.get("download_button")


def test_an_empty_store_says_what_to_run(
    app_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEGAL_ASSISTANT_STORE", str(tmp_path / "empty-store"))
    at = _run(AppTest.from_file(APP, default_timeout=180))
    assert len(at.error) == 1
    assert "legal-assistant ingest" in at.error[0].value
    assert "Traceback" not in at.error[0].value


@pytest.fixture(scope="module")
def hostile_store(
    tmp_path_factory: pytest.TempPathFactory,
    ingest_store: Callable[[list[Path], Path], None],
) -> Iterator[Path]:
    """A store with one judgment whose text holds HTML and Markdown syntax."""
    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "docs" / "hostile.txt"
    source.parent.mkdir()
    source.write_text(
        "TRIBUNAL D'ARRONDISSEMENT DE LUXEMBOURG\n\n"
        "Jugement civil no 2024TALCH01/00999\n\n"
        "Audience publique du vendredi, douze janvier deux mille vingt-quatre.\n\n"
        "MOTIFS DE LA DÉCISION\n\n"
        "Le prestataire a inséré dans la page d'accueil le code <script>alert('piratage')</script> "
        "qui a bloqué le site ; la facture portait la mention ** urgent ** et <b>impayée</b>.\n\n"
        "PAR CES MOTIFS\n\nle tribunal condamne le prestataire.\n",
        encoding="utf-8",
    )
    store = folder / "store"
    ingest_store([source.parent], store)
    yield store


def test_corpus_html_and_markdown_are_shown_as_characters(
    app_env: dict[str, str], hostile_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEGAL_ASSISTANT_STORE", str(hostile_store))
    at = _run(AppTest.from_file(APP, default_timeout=180))
    answer = _ask(at, "Le prestataire a-t-il inséré un code qui a bloqué le site ?")
    quoted = next(p for p in answer.passages if "<script>" in p.text)
    card = next(h.value for h in at.html if 'class="la-card"' in h.value and "script" in h.value)
    assert "<script>" not in card and "<b>" not in card
    assert "&lt;script&gt;alert(" in card
    assert quoted.text in _shown_text(at)  # the characters themselves, as stored


def test_an_llm_synthesis_is_shown_checked_above_the_quote_cards(
    app_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an LLM configured (the real langchain-openai client against a local stand-in), the
    page shows the checked synthesis: a verified quote stays, an invented one is removed and
    flagged, each unverified sentence is shown with its reasons, and the extractive quote cards
    are still there below."""
    from llm_standin import StandIn

    def completion(body: dict[str, Any]) -> str:
        user = body["messages"][-1]["content"]
        block = user.split('<passage n="1"', 1)[1].split(">\n", 1)[1].split("\n</passage>", 1)[0]
        return (
            f"Le tribunal énonce « {block[:50]} » [1]. Il ajoute « un motif inventé » [1]. "
            "Il alloue 987.654 euros à la demanderesse [1]."
        )

    standin = StandIn(responder=completion).start()
    try:
        monkeypatch.setenv("LEGAL_ASSISTANT_LLM", "openai:stand-in")
        monkeypatch.setenv("LEGAL_ASSISTANT_LLM_BASE_URL", standin.openai_url)
        at = _run(AppTest.from_file(APP, default_timeout=180))
        answer = _ask(at, QUESTION)
    finally:
        standin.stop()
    assert standin.requests, "the page asked the model server"
    synthesis = answer.synthesis
    assert synthesis is not None and not synthesis.verified
    assert "un motif inventé" not in synthesis.text
    shown = _shown_text(at)
    assert "Synthèse (NON vérifiée — à contrôler)" in shown
    assert synthesis.text in shown
    flags = [
        html.unescape(re.sub(r"<[^>]+>", "", flag))
        for h in at.html
        for flag in re.findall(r'<div class="la-flag">.*?</div>', h.value, flags=re.S)
    ]
    assert flags == [
        "⚠ « Il ajoute « […] » [1]. » — citation introuvable dans les passages : "
        "« un motif inventé » (retirée)",
        "⚠ « Il alloue 987.654 euros à la demanderesse [1]. » — aucune citation ; "
        "montant absent des passages cités : 987.654 euros",
    ]
    assert [s.verified for s in synthesis.sentences] == [True, False, False]
    for passage in answer.passages:
        assert passage.text in shown
