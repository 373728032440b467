"""Export a conversation as Markdown or DOCX: each question, the lead, the quotes verbatim with
their full citations (the ECLI after the citation when known), and the synthesis with its
verification status when there is one. Export the damages table as CSV or XLSX, each row with
its citation and verbatim quote."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from assistant.amounts import AmountRow
from assistant.citations import citation_with_ecli
from assistant.page_render import copy_text, location_text
from assistant.records import Answer, Passage
from assistant.synthesis_check import NO_ANSWER_LABEL, flagged_sentences, status_label

TITLE = "Recherche jurisprudentielle — conversation"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def md_escape(text: str) -> str:
    """Backslash-escape Markdown syntax so that rendered Markdown shows the corpus characters."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _status(answer: Answer) -> str:
    if answer.synthesis is None:
        return ""
    if answer.synthesis.no_answer:
        return NO_ANSWER_LABEL.rstrip(".").lower()
    return status_label(answer.synthesis)


def _passages_heading(answer: Answer) -> str:
    if answer.no_answer:
        return "Passages les plus proches (ils ne répondent pas à la question)"
    return "Passages cités"


def _blockquote(text: str) -> str:
    return "\n".join(f"> {md_escape(line)}" if line else ">" for line in text.split("\n"))


def _md_passage(p: Passage) -> list[str]:
    lines = [f"**[{p.rank}]** {md_escape(copy_text(p))}", ""]  # the ECLI after the citation
    lines.append(_blockquote(p.text))
    location = location_text(p)
    if location:
        lines += ["", f"*{md_escape(location)}*"]
    return lines + [""]


def to_markdown(answers: Sequence[Answer]) -> str:
    """The conversation as a Markdown document."""
    out = [f"# {TITLE}", ""]
    for n, answer in enumerate(answers, start=1):
        out += [f"## Question {n} : {md_escape(answer.question)}", ""]
        searched = answer.standalone_question
        if searched and searched != answer.question:
            out += [f"*Question recherchée : {md_escape(searched)}*", ""]
        out += [md_escape(answer.lead), ""]
        if answer.notice:
            out += [f"*{md_escape(answer.notice)}*", ""]
        if answer.synthesis is not None:
            out += [f"### Synthèse ({_status(answer)})", "", md_escape(answer.synthesis.text), ""]
            flags = flagged_sentences(answer.synthesis)
            out += [*(f"- ⚠ {md_escape(line)}" for line in flags), *([""] if flags else [])]
            if answer.synthesis.notice:
                out += [f"*{md_escape(answer.synthesis.notice)}*", ""]
        if answer.amounts:
            out += ["### Sommes relevées dans ces décisions", ""]
            for row in answer.amounts:
                out += [f"- **{md_escape(amount_summary(row))}** — "
                        f"{md_escape(citation_with_ecli(row.citation, row.ecli))}",
                        "", _blockquote(row.quote), ""]  # fmt: skip
        if answer.passages:
            out += [f"### {_passages_heading(answer)}", ""]
            for p in answer.passages:
                out += _md_passage(p)
    return "\n".join(out).rstrip() + "\n"


def _clean(text: str) -> str:
    """Text as XML allows it (control characters other than tab and newline dropped)."""
    return _XML_INVALID.sub("", text)


def to_docx(answers: Sequence[Answer]) -> bytes:
    """The conversation as a Word document (highlights in yellow inside the quotes)."""
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX

    doc = Document()
    doc.add_heading(TITLE, level=0)
    for n, answer in enumerate(answers, start=1):
        doc.add_heading(_clean(f"Question {n} : {answer.question}"), level=1)
        searched = answer.standalone_question
        if searched and searched != answer.question:
            doc.add_paragraph().add_run(_clean(f"Question recherchée : {searched}")).italic = True
        doc.add_paragraph(_clean(answer.lead))
        if answer.notice:
            doc.add_paragraph().add_run(_clean(answer.notice)).italic = True
        if answer.synthesis is not None:
            doc.add_heading(f"Synthèse ({_status(answer)})", level=2)
            doc.add_paragraph(_clean(answer.synthesis.text))
            for line in flagged_sentences(answer.synthesis):
                doc.add_paragraph(_clean(f"⚠ {line}"), style="List Bullet")
            if answer.synthesis.notice:
                doc.add_paragraph().add_run(_clean(answer.synthesis.notice)).italic = True
        if answer.amounts:
            doc.add_heading("Sommes relevées dans ces décisions", level=2)
            for row in answer.amounts:
                entry = doc.add_paragraph(style="List Bullet")
                entry.add_run(_clean(amount_summary(row))).bold = True
                entry.add_run(_clean(f" — {citation_with_ecli(row.citation, row.ecli)}"))
                doc.add_paragraph(_clean(row.quote), style="Quote")
        if not answer.passages:
            continue
        doc.add_heading(_passages_heading(answer), level=2)
        for p in answer.passages:
            head = doc.add_paragraph()
            head.add_run(f"[{p.rank}] ").bold = True
            head.add_run(_clean(copy_text(p)))  # the citation, then the ECLI when known
            quote = doc.add_paragraph(style="Quote")
            cursor = 0
            for h in sorted(p.highlights, key=lambda h: h.start):
                if h.start < cursor or h.end <= h.start:
                    continue
                quote.add_run(_clean(p.text[cursor : h.start]))
                quote.add_run(
                    _clean(p.text[h.start : h.end])
                ).font.highlight_color = WD_COLOR_INDEX.YELLOW
                cursor = h.end
            quote.add_run(_clean(p.text[cursor:]))
            location = location_text(p)
            if location:
                doc.add_paragraph().add_run(_clean(location)).italic = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def amount_summary(row: AmountRow) -> str:
    """"2.000 euros · accordé · préjudice moral · SOCIETE3.) → PERSONNE1.)" (as written)."""
    parties = " → ".join(p for p in (row.debtor, row.creditor) if p)
    bits = [row.amount_text, OUTCOME_WORDS.get(row.outcome, row.outcome),
            row.head.replace("_", " "), parties]  # fmt: skip
    return " · ".join(b for b in bits if b)


OUTCOME_WORDS = {"granted": "accordé", "rejected": "rejeté", "claimed": "demandé"}

# The damages table: one line per row, the citation (with the ECLI when known) and the quote.
AMOUNT_COLUMNS = (
    ("Décision", "judgment_id"), ("Juridiction", "court"), ("Date", "date"),
    ("Numéro", "decision_number"), ("Citation", "citation"), ("Issue", "outcome"),
    ("Chef de préjudice", "head"), ("Montant", "value"), ("Devise", "currency"),
    ("Montant tel qu'écrit", "amount_text"), ("Créancier", "creditor"), ("Débiteur", "debtor"),
    ("Partie de la décision", "section_kind"), ("Début", "char_start"), ("Fin", "char_end"),
    ("Citation textuelle", "quote"),
)  # fmt: skip


def _amount_cells(row: AmountRow) -> list[str | float | int]:
    cells: list[str | float | int] = []
    for _, name in AMOUNT_COLUMNS:
        value = getattr(row, name)
        cells.append(citation_with_ecli(value, row.ecli) if name == "citation" else value)
    return cells


def amounts_to_csv(rows: Sequence[AmountRow]) -> bytes:
    """The damages table as CSV (UTF-8 with a byte-order mark, so that spreadsheets read the
    accents), a header line then one line per row; quotes are kept verbatim."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([title for title, _ in AMOUNT_COLUMNS])
    for row in rows:
        writer.writerow(_amount_cells(row))
    return buffer.getvalue().encode("utf-8-sig")


def amounts_to_xlsx(rows: Sequence[AmountRow]) -> bytes:
    """The damages table as an Excel workbook: one sheet, a bold header, sums as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Montants"
    sheet.append([title for title, _ in AMOUNT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_clean(c) if isinstance(c, str) else c for c in _amount_cells(row)])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, also when it starts with "=": never a formula
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
