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

from assistant.page_render import SUMMARY_LABEL, copy_text
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
        assert passage.citation and copy_text(passage) in codes  # copyable citation
    assert answer.lead in shown
    cards = [h.value for h in page.html if 'class="la-card"' in h.value]
    assert len(cards) == len(answer.passages)
    assert any("<mark>" in card for card in cards)  # highlights inside the quotes


def test_filters_change_the_results(page: AppTest) -> None:
    unfiltered = _ask(page, QUESTION)
    courts_found = {p.judgment.court for p in unfiltered.passages}
    options = page.multiselect(key="f_courts").options  # "Cour d'appel de Paris — 1"
    other = next(c for c in options if c.rsplit(" — ", 1)[0] not in courts_found)
    page.multiselect(key="f_courts").set_value([other])  # as the browser sends it: the label
    _run(page)
    (picked,) = page.multiselect(key="f_courts").value  # (court, country)
    filtered = _ask(page, QUESTION)
    assert filtered.passages
    assert {p.judgment.court for p in filtered.passages} == {picked[0]}

    page.multiselect(key="f_courts").set_value([])
    page.multiselect(key="f_kinds").set_value(["operative"])
    _run(page)
    operative = _ask(page, QUESTION)
    assert operative.passages
    assert {p.section_kind for p in operative.passages} == {"operative"}


def test_the_section_filter_names_every_part_of_a_decision_in_french(page: AppTest) -> None:
    _run(page)
    options = page.multiselect(key="f_kinds").options
    assert "Dispositif" in options and "Motifs" in options
    assert "Conclusions du ministère public" in options  # the Parquet's opinion, apart
    assert not {"operative", "opinion", "reasons"} & set(options)


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
        assert f"[{p.rank}] {copy_text(p)}" in paragraphs


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


# -- a store of several countries (hash embedder: fast, logic only) -------------------------------

MIXED = [  # (id, court, country, chamber, numbers, ECLI); values from ../shared/corpus-open
    ("fr-cass-1", "Cour de cassation", "FR", "chambre commerciale, financière et économique",
     {"docket_number": "24-13.697"}, "ECLI:FR:CCASS:2025:CO00320"),
    ("fr-cass-2", "Cour de cassation", "FR", "deuxième chambre civile",
     {"docket_number": "22-22.946"}, "ECLI:FR:CCASS:2025:C200587"),
    ("fr-ce-1", "Conseil d'État", "FR", "3ème et 8ème chambres réunies",
     {"decision_number": "495133"}, "ECLI:FR:CECHR:2026:495133.20260403"),
    ("be-cass-1", "Cour de cassation de Belgique", "BE", "3F",
     {"docket_number": "S.20.0070.F"}, "ECLI:BE:CASS:2025:ARR.20251208.3F.6"),
    ("be-ce-1", "Conseil d'État (Belgique)", "BE", "", {"decision_number": "265501"}, ""),
    ("lu-cass-1", "Cour de cassation du Grand-Duché de Luxembourg", "LU", "",
     {"decision_number": "79/2018"}, ""),
    ("tn-cass-1", "Cour de cassation", "TN", "", {"decision_number": "2015-21606"}, ""),
]  # fmt: skip
MIXED_QUESTION = "La résiliation du contrat de maintenance du logiciel est-elle fautive ?"


@pytest.fixture(scope="module")
def mixed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from dataclasses import replace

    from conftest import build_judgment

    from store import HashEmbeddings, Store

    embed = HashEmbeddings(64)
    path = tmp_path_factory.mktemp("mixed") / "store"
    store = Store.open(path, "hash:64")
    with store.writer() as writer:
        for n, (jid, court, country, chamber, numbers, ecli) in enumerate(MIXED):
            judgment, chunks = build_judgment(
                jid,
                [
                    f"{court.upper()} arrêt {jid}",
                    f"Motifs ({jid}) : la résiliation du contrat de maintenance du logiciel "
                    f"par le client était fautive selon la juridiction {n}.",
                    f"PAR CES MOTIFS ({jid}) : rejette le pourvoi et condamne aux dépens.",
                ],
                court=court, chamber=chamber, date=f"202{n % 6}-03-1{n}",
                kinds=["header", "reasons", "operative"],
            )  # fmt: skip
            meta = replace(
                judgment.meta,
                country=country,
                ecli=ecli,
                url=f"https://example.org/decisions/{jid}" if ecli else "",
                summary=f"SOMMAIRE {jid} : rédigé par le service de documentation." if ecli else "",
                **numbers,
            )
            judgment = replace(judgment, meta=meta)
            writer.put(judgment, chunks, embed.embed_documents([c.text for c in chunks]))
        writer.commit()
    store.close()
    return path


def _hash_page(store: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The page over `store`, ingested with the hash:64 test embedder, and no other setting."""
    import os

    for key in list(os.environ):
        if key.startswith(("LEGAL_ASSISTANT_", "CHROMA_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("LEGAL_ASSISTANT_STORE", str(store))
    monkeypatch.setenv("LEGAL_ASSISTANT_EMBEDDINGS", "hash:64")
    return _run(AppTest.from_file(APP, default_timeout=60))


@pytest.fixture
def mixed_page(mixed_store: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return _hash_page(mixed_store, monkeypatch)


def _countries_of(answer: Answer) -> set[str]:
    return {p.judgment.country for p in answer.passages}


def test_the_country_filter_lists_the_countries_and_narrows_courts_and_answers(
    mixed_page: AppTest,
) -> None:
    page = mixed_page
    countries = page.multiselect(key="f_countries")
    assert countries.label == "Pays"
    assert countries.options == [
        "Belgique (BE) — 2", "France (FR) — 3", "Luxembourg (LU) — 1", "Tunisie (TN) — 1",
    ]  # fmt: skip
    unfiltered = _ask(page, MIXED_QUESTION)
    assert len(_countries_of(unfiltered)) > 1  # without the filter, several countries answer

    page.multiselect(key="f_countries").set_value(["BE"])
    _run(page)
    assert page.multiselect(key="f_countries").value == ["BE"]
    assert page.multiselect(key="f_courts").options == [
        "Conseil d'État (Belgique) — 1",
        "Cour de cassation de Belgique — 1",
    ]
    filtered = _ask(page, MIXED_QUESTION)
    assert filtered.passages and _countries_of(filtered) == {"BE"}

    # courts picked before a country: those of other countries leave the selection
    page.multiselect(key="f_countries").set_value([])
    page.multiselect(key="f_courts").set_value(
        ["Cour de cassation (FR) — 2", "Cour de cassation de Belgique — 1"]
    )
    _run(page)
    page.multiselect(key="f_countries").set_value(["BE"])
    _run(page)
    assert page.multiselect(key="f_courts").value == [("Cour de cassation de Belgique", "BE")]
    belgian = _ask(page, MIXED_QUESTION)
    assert {p.judgment.court for p in belgian.passages} == {"Cour de cassation de Belgique"}


def test_court_labels_carry_counts_and_the_country_of_a_shared_name(mixed_page: AppTest) -> None:
    page = mixed_page
    courts = page.multiselect(key="f_courts")
    assert courts.options == [
        "Conseil d'État — 1",
        "Conseil d'État (Belgique) — 1",
        "Cour de cassation (FR) — 2",  # the same name in two countries: the country tells
        "Cour de cassation (TN) — 1",
        "Cour de cassation de Belgique — 1",
        "Cour de cassation du Grand-Duché de Luxembourg — 1",
    ]
    courts.set_value(["Cour de cassation (FR) — 2"])
    _run(page)
    assert page.multiselect(key="f_courts").value == [("Cour de cassation", "FR")]
    answer = _ask(page, MIXED_QUESTION)
    assert answer.passages
    assert {(p.judgment.court, p.judgment.country) for p in answer.passages} == {
        ("Cour de cassation", "FR")
    }  # the Tunisian "Cour de cassation" is not let through


def test_cards_and_viewer_show_country_court_and_ecli_and_the_summary_apart(
    mixed_page: AppTest,
) -> None:
    page = mixed_page
    page.multiselect(key="f_courts").set_value(["Conseil d'État — 1"])
    _run(page)
    answer = _ask(page, MIXED_QUESTION)
    passage = answer.passages[0]
    assert passage.citation.startswith("CE, 3e-8e ch. réunies, 12 mars 2022, n° 495133")
    ecli = "ECLI:FR:CECHR:2026:495133.20260403"
    cards = [h.value for h in page.html if 'class="la-card"' in h.value]
    shown_cards = html.unescape(re.sub(r"<[^>]+>", "", "".join(cards)))
    assert f"Conseil d'État · France (FR) · {ecli}" in shown_cards
    assert 'href="https://example.org/decisions/fr-ce-1"' in cards[0]
    assert "SOMMAIRE" not in shown_cards  # never in a quote card
    assert f"{passage.citation} — {ecli}" in [c.value for c in page.code]

    page.button(key=f"view-{len(page.session_state['answers']) - 1}-{passage.rank}").click()
    _run(page)
    dialog = _shown_text(page)
    assert f"Conseil d'État · France (FR) · {ecli}" in dialog
    (summary,) = page.expander  # the sommaire, under a label saying it is not the court's
    assert summary.label == SUMMARY_LABEL
    inside = "".join(h.value for h in summary.get("html"))
    assert html.unescape(re.sub(r"<[^>]+>", "", inside)) == (
        "SOMMAIRE fr-ce-1 : rédigé par le service de documentation."
    )


@pytest.fixture
def constitutional_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The page over a store of one real Cour constitutionnelle ruling (tests/data/open)."""
    from assistant.cli import main

    store = tmp_path / "store"
    record = Path(__file__).parent / "data" / "open" / "BE_CourConstitutionnelle_7b476a7aa8.json"
    monkeypatch.setenv("LEGAL_ASSISTANT_EMBEDDINGS", "hash:64")
    assert main(["ingest", "--store", str(store), str(record)]) == 0
    return _hash_page(store, monkeypatch)


def test_a_constitutional_court_passage_is_cited_by_the_court_s_labels(
    constitutional_page: AppTest,
) -> None:
    """The card and the copyable citation name the Court's paragraphs as it prints them
    (« Motifs, B.1-B.4 »), not a count."""
    answer = _ask(constitutional_page, "La Cour constitutionnelle est-elle compétente ?")
    reasons = next(p for p in answer.passages if "B.2. La Cour constitutionnelle" in p.text)
    assert reasons.citation.endswith(", Motifs, B.1-B.4")
    assert copy_text(reasons) in [c.value for c in constitutional_page.code]
    assert "B.1–B.4" in _shown_text(constitutional_page)  # the card's place, an en dash
