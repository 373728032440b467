"""The exported conversation carries each question, the lead, every quote verbatim with its full
citation, and the synthesis with its verification status."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path

from conftest import TAL_META
from docx import Document

from assistant.amounts import AmountRow, extract_amounts
from assistant.export import (
    AMOUNT_COLUMNS,
    amounts_to_csv,
    amounts_to_xlsx,
    md_escape,
    to_docx,
    to_markdown,
)
from assistant.records import Answer, Highlight, Passage, Synthesis, SynthesisSentence

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
LU_TEXT = (SAMPLE / "TAL_2025-01-24_2025TALCH11-00011.txt").read_text(encoding="utf-8")
META = TAL_META
CITATION = (
    "Trib. arr. Luxembourg, XIe ch., 24 janvier 2025, n° 2025TALCH11/00011 "
    "(rôle TAL-2021-06580), Motifs › Quant au dommage moral, § 57"
)


def _passage(rank: int, anchor: str, length: int = 400) -> Passage:
    start = LU_TEXT.index(anchor)
    text = LU_TEXT[start : start + length]
    return Passage(
        rank=rank,
        score=0.5,
        text=text,
        judgment=META,
        char_start=start,
        char_end=start + length,
        section_path=("MOTIFS DE LA DÉCISION", "Quant au fond"),
        paragraph_start=57,
        paragraph_end=57,
        highlights=(Highlight(anchor, 0, len(anchor)),),
        citation=f"{CITATION} [{rank}]",
    )


def _conversation() -> list[Answer]:
    first = Answer(
        question="Comment est réparé le dommage moral ?",
        lead="Deux passages du corpus répondent à la question.",
        passages=(_passage(1, "Quant au dommage moral"), _passage(2, "Le préjudice causé")),
        no_answer=False,
        synthesis=Synthesis(
            text="Le dommage moral tient à l'atteinte à l'honneur [1].",
            sentences=(SynthesisSentence("Le dommage moral ...", (1,), True),),
            verified=True,
        ),
    )
    second = Answer(
        question="et pour la perte de clientèle ?",
        standalone_question="Comment est réparée la perte de clientèle ?",
        lead="Le corpus ne contient aucun passage qui réponde à cette question.",
        passages=(_passage(1, "PERSONNE1.) et SOCIETE2.) chiffrent", 200),),
        no_answer=True,
    )
    return [first, second]


def _unescape_md(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_markdown_holds_questions_leads_quotes_and_citations() -> None:
    answers = _conversation()
    markdown = to_markdown(answers)
    for answer in answers:
        assert md_escape(answer.question) in markdown
        assert md_escape(answer.lead) in markdown
        for p in answer.passages:
            assert md_escape(p.citation) in markdown
            quoted = "\n".join(line[2:] for line in markdown.splitlines() if line.startswith("> "))
            assert md_escape(p.text.split("\n")[0]) in quoted
    assert "Synthèse (vérifiée)" in markdown
    assert "Question recherchée : Comment est réparée la perte de clientèle ?" in markdown
    assert "ne répondent pas à la question" in markdown  # the no-answer case is not dressed up


def test_markdown_quotes_are_verbatim_once_markdown_escapes_are_read() -> None:
    answer = _conversation()[0]
    markdown = to_markdown([answer])
    blocks = re.findall(r"((?:^>.*\n?)+)", markdown, flags=re.M)
    quotes = [
        "\n".join(_unescape_md(line[2:]) for line in b.rstrip("\n").split("\n")) for b in blocks
    ]
    assert quotes == [p.text for p in answer.passages]


def test_markdown_syntax_in_the_corpus_is_escaped() -> None:
    assert md_escape("**PERSONNE1.)** <script>") == r"\*\*PERSONNE1.)\*\* \<script\>"


def test_docx_holds_the_same_content_with_highlights() -> None:
    answers = _conversation()
    doc = Document(io.BytesIO(to_docx(answers)))
    paragraphs = [p.text for p in doc.paragraphs]
    full = "\n".join(paragraphs)
    for answer in answers:
        assert answer.question in full
        assert answer.lead in paragraphs
        for p in answer.passages:
            assert p.text in paragraphs  # verbatim, one quote paragraph
            assert f"[{p.rank}] {p.citation}" in paragraphs
    assert "Synthèse (vérifiée)" in paragraphs
    quote = next(p for p in doc.paragraphs if p.text == answers[0].passages[0].text)
    assert quote.style is not None and quote.style.name == "Quote"
    highlighted = [r.text for r in quote.runs if r.font.highlight_color is not None]
    assert highlighted == ["Quant au dommage moral"]


def test_unverified_synthesis_is_labelled_as_such() -> None:
    answer = _conversation()[0]
    unverified = Answer(
        question=answer.question,
        lead=answer.lead,
        passages=answer.passages,
        no_answer=False,
        synthesis=Synthesis(text="Affirmation sans source.", sentences=(), verified=False),
    )
    assert "Synthèse (non vérifiée)" in to_markdown([unverified])
    doc = Document(io.BytesIO(to_docx([unverified])))
    assert "Synthèse (non vérifiée)" in [p.text for p in doc.paragraphs]


def test_export_names_each_unverified_sentence_and_a_no_answer() -> None:
    answer = _conversation()[0]
    flagged = SynthesisSentence(
        "Le tribunal a alloué 50.000 euros [1].",
        (1,),
        False,
        ("aucune citation", "montant absent des passages cités : 50.000 euros"),
    )
    unverified = Answer(
        question=answer.question,
        lead=answer.lead,
        passages=answer.passages,
        no_answer=False,
        synthesis=Synthesis(text=flagged.text, sentences=(flagged,), verified=False),
    )
    line = (
        "⚠ « Le tribunal a alloué 50.000 euros [1]. » — aucune citation ; "
        "montant absent des passages cités : 50.000 euros"
    )
    assert f"- {md_escape(line)}" in to_markdown([unverified]).splitlines()
    assert line in [p.text for p in Document(io.BytesIO(to_docx([unverified]))).paragraphs]
    no_answer = Answer(
        question=answer.question,
        lead=answer.lead,
        passages=answer.passages,
        no_answer=False,
        synthesis=Synthesis(
            text="The passages do not answer the question.",
            sentences=(),
            verified=False,
            no_answer=True,
        ),
    )
    markdown = to_markdown([no_answer])
    assert "### Synthèse (les passages ne permettent pas de répondre)" in markdown
    assert "non vérifiée" not in markdown and "⚠" not in markdown


def test_the_ecli_follows_the_citation_in_both_exports() -> None:
    ecli = "ECLI:FR:CECHR:2026:495133.20260403"  # records/FR_CE-Fiscal_113e978fb0.json
    meta = replace(META, ecli=ecli, summary="Un sommaire qui n'est pas une citation.")
    first = _conversation()[0]
    passages = tuple(replace(p, judgment=meta) for p in first.passages)
    answer = replace(first, passages=passages)
    markdown = to_markdown([answer])
    for p in passages:
        assert f"**[{p.rank}]** {md_escape(p.citation)} — {md_escape(ecli)}\n" in markdown
    assert "sommaire" not in markdown.lower()
    paragraphs = [para.text for para in Document(io.BytesIO(to_docx([answer]))).paragraphs]
    for p in passages:
        assert f"[{p.rank}] {p.citation} — {ecli}" in paragraphs
    # without an ECLI, the citation stands alone
    assert f"[1] {first.passages[0].citation}" in [
        para.text for para in Document(io.BytesIO(to_docx([first]))).paragraphs
    ]


# -- the damages table: CSV and XLSX, each row with its citation and verbatim quote -------------

CORPUS_LUX = SAMPLE.parent / "corpus" / "luxembourg" / "TAL_2025-01-24_2025TALCH11-00011.txt"


def _amount_rows() -> tuple[str, list[AmountRow]]:
    from ingest.parse import parse_judgment
    from ingest.read import read_document

    judgment = parse_judgment(read_document(CORPUS_LUX), str(CORPUS_LUX))
    return judgment.text, extract_amounts(judgment)


def test_amounts_csv_holds_each_row_with_its_citation_and_verbatim_quote() -> None:
    text, rows = _amount_rows()
    rows[0] = replace(rows[0], ecli="ECLI:LU:TADM:2025:00011")  # an ECLI follows the citation
    data = amounts_to_csv(rows)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: spreadsheets read the accents
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, body = lines[0], lines[1:]
    assert header[:8] == ["Décision", "Juridiction", "Date", "Numéro", "Citation", "Issue",
                          "Chef de préjudice", "Montant"]  # fmt: skip
    assert len(body) == len(rows) == 14
    for line, row in zip(body, rows, strict=True):
        record = dict(zip(header, line, strict=True))
        assert record["Citation textuelle"] == row.quote == text[row.char_start : row.char_end]
        assert float(record["Montant"]) == row.value and record["Devise"] == "EUR"
        assert (record["Issue"], record["Chef de préjudice"], record["Créancier"],
                record["Débiteur"]) == (row.outcome, row.head, row.creditor, row.debtor)
        assert record["Citation"].startswith("Trib. arr. Luxembourg, XIe ch., 24 janvier 2025, "
                                             "n° 2025TALCH11/00011")  # fmt: skip
    assert dict(zip(header, body[0], strict=True))["Citation"] == (
        f"{rows[0].citation} — ECLI:LU:TADM:2025:00011")


def test_amounts_xlsx_holds_the_same_rows_sums_as_numbers_and_text_never_a_formula() -> None:
    from openpyxl import load_workbook

    text, rows = _amount_rows()
    formula_like = replace(rows[0], creditor="=SOMME(A1:A2)")
    book = load_workbook(io.BytesIO(amounts_to_xlsx([*rows, formula_like])))
    sheet = book["Montants"]
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    header, body = values[0], values[1:]
    assert header == [title for title, _ in AMOUNT_COLUMNS]
    assert sheet["A1"].font.bold
    assert len(body) == 15
    for line, row in zip(body, rows, strict=False):
        record = dict(zip(header, line, strict=True))
        assert record["Citation textuelle"] == row.quote == text[row.char_start : row.char_end]
        assert record["Montant"] == row.value  # a number, not text
        assert record["Citation"] == row.citation and record["Décision"] == row.judgment_id
    assert body[-1][header.index("Créancier")] == "=SOMME(A1:A2)"
    assert sheet.cell(row=16, column=header.index("Créancier") + 1).data_type == "s"


def test_an_empty_damages_table_exports_its_header_only() -> None:
    from openpyxl import load_workbook

    assert amounts_to_csv([]).decode("utf-8-sig").splitlines() == [
        ",".join(title for title, _ in AMOUNT_COLUMNS)]
    sheet = load_workbook(io.BytesIO(amounts_to_xlsx([])))["Montants"]
    assert sheet.max_row == 1


def test_an_answer_on_sums_exports_its_table_rows_with_quotes_and_citations() -> None:
    _, rows = _amount_rows()
    granted = [r for r in rows if r.outcome == "granted"][:3]
    answer = replace(_conversation()[0], amounts=tuple(granted))
    markdown = to_markdown([answer])
    paragraphs = [p.text for p in Document(io.BytesIO(to_docx([answer]))).paragraphs]
    for row in granted:
        assert md_escape(row.quote) in markdown and md_escape(row.citation) in markdown
        assert row.quote in paragraphs
        assert any(row.amount_text in t and row.citation in t for t in paragraphs)
    assert "Sommes relevées" not in to_markdown(_conversation())  # only when there are rows
