"""HTML for the chat page, built from escaped text only.

Corpus text is never rendered as HTML or Markdown: every piece of it goes through
`html.escape`, and our own markup (`<mark>` around highlights and around the passage in the
judgment viewer) is placed by offsets around escaped slices, never spliced into raw text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from assistant.amounts import AmountRow
from assistant.citations import (
    citation_with_ecli,
    country_label,
    judgment_country,
    paragraphs_text,
)
from assistant.records import Answer, Highlight, Passage, Synthesis
from assistant.synthesis_check import NO_ANSWER_LABEL, flagged_sentences
from store.records import Judgment, JudgmentMeta

MARK_ID = "passage"
# the label above a judgment's summary (sommaire, abstract), which is never quoted as the court's
SUMMARY_LABEL = "Sommaire (non rédigé par la juridiction — ne pas citer comme motif)"

CARD_CSS = """
<style>
.la-card{border-left:4px solid #8a6d3b;background:#fbf8f1;padding:.6rem .9rem;margin:.2rem 0;
border-radius:4px;color:#222}
.la-num{font-weight:700;color:#8a6d3b;margin-right:.4rem}
.la-quote{white-space:pre-wrap;font-family:Georgia,'Times New Roman',serif;line-height:1.45}
.la-quote mark{background:#ffe58f;padding:0 .1rem}
.la-meta{color:#555;font-size:.85rem;margin-top:.35rem}
.la-lead{white-space:pre-wrap}
.la-noanswer{border-left:4px solid #b0b0b0;background:#f4f4f4;padding:.6rem .9rem;border-radius:4px}
.la-synth-text{white-space:pre-wrap;margin:.3rem 0}
.la-flag{color:#8a1f11;font-size:.9rem;margin:.15rem 0;white-space:pre-wrap}
.la-source{color:#555;font-size:.85rem;margin-top:.2rem}
.la-source a{color:#8a6d3b}
.la-summary-text{font-style:italic;color:#333;font-size:.9rem}
.la-amounts{border-collapse:collapse;margin:.4rem 0;font-size:.9rem}
.la-amounts th,.la-amounts td{border-bottom:1px solid #e5dcc8;padding:.3rem .5rem;
text-align:left;vertical-align:top}
</style>
"""


def _merged(highlights: Sequence[Highlight], length: int) -> list[tuple[int, int]]:
    """Highlight spans clipped to the text, sorted, overlaps merged."""
    spans = sorted((max(0, h.start), min(length, h.end)) for h in highlights if h.end > h.start)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlighted_html(text: str, highlights: Sequence[Highlight]) -> str:
    """`text` escaped, with each highlight span wrapped in `<mark>`."""
    parts: list[str] = []
    cursor = 0
    for start, end in _merged(highlights, len(text)):
        parts.append(html.escape(text[cursor:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    parts.append(html.escape(text[cursor:]))
    return "".join(parts)


def passage_html(passage: Passage) -> str:
    """The quote of a passage as escaped HTML with its highlights marked."""
    return highlighted_html(passage.text, passage.highlights)


def location_text(passage: Passage) -> str:
    """Section path, paragraphs and pages in words, e.g. "Motifs › Quant au fond · § 57 · p. 4"."""
    parts: list[str] = []
    if passage.section_path:
        parts.append(" › ".join(passage.section_path))
    labels = (passage.paragraph_label_start, passage.paragraph_label_end)
    if paragraphs := paragraphs_text(passage.paragraph_start, passage.paragraph_end, "–", labels):
        parts.append(paragraphs)
    gs, ge = passage.page_start, passage.page_end
    if gs is not None:
        parts.append(f"p. {gs}" if ge in (None, gs) else f"p. {gs}–{ge}")
    return " · ".join(parts)


def source_text(meta: JudgmentMeta) -> str:
    """Court, country and ECLI of a judgment in words, e.g. "Conseil d'État · France (FR) ·
    ECLI:FR:CECHR:2026:495133.20260403" (what is unknown is left out)."""
    country = judgment_country(meta)
    parts = [meta.court.strip(), country_label(country) if country else "", meta.ecli.strip()]
    return " · ".join(p for p in parts if p)


def publication_link_html(url: str) -> str:
    """A link to where the decision is published (http and https addresses only)."""
    url = url.strip()
    if not url.lower().startswith(("https://", "http://")):
        return ""
    return (
        f'<a href="{html.escape(url, quote=True)}" target="_blank" '
        'rel="noopener noreferrer">publication officielle</a>'
    )


def source_html(meta: JudgmentMeta) -> str:
    """The source line of a card or of the viewer: court, country, ECLI, publication link."""
    text = html.escape(source_text(meta))
    link = publication_link_html(meta.url)
    if not text and not link:
        return ""
    joined = f"{text} · {link}" if text and link else text or link
    return f'<div class="la-source">{joined}</div>'


def copy_text(passage: Passage) -> str:
    """What the copy button gives: the citation, then the ECLI when known."""
    return citation_with_ecli(passage.citation, passage.judgment.ecli)


def card_html(passage: Passage) -> str:
    """A numbered quote card: the quote with highlights, its location line and its source
    line (court, country, ECLI, publication link), all escaped."""
    location = location_text(passage)
    meta = f'<div class="la-meta">{html.escape(location)}</div>' if location else ""
    return (
        f'<div class="la-card" data-rank="{passage.rank}">'
        f'<span class="la-num">[{passage.rank}]</span>'
        f'<span class="la-quote">« {passage_html(passage)} »</span>{meta}'
        f"{source_html(passage.judgment)}</div>"
    )


def lead_html(answer: Answer) -> str:
    """The lead sentence(s) of an answer, escaped; the no-answer case in its own grey box."""
    css = "la-noanswer" if answer.no_answer else "la-lead"
    return f'<div class="{css}">{html.escape(answer.lead)}</div>'


def synthesis_html(synthesis: Synthesis) -> str:
    """The LLM synthesis, escaped: its badge (« vérifiée » only when every sentence passed every
    check), its text, then each unverified sentence with its reasons; a no-answer reply is
    shown as such, neither verified nor flagged."""
    if synthesis.no_answer:
        return (
            f'<div class="la-synth" data-status="no-answer"><strong>Synthèse : '
            f"{html.escape(NO_ANSWER_LABEL)}</strong>"
            f'<div class="la-meta">Réponse du modèle : {html.escape(synthesis.text)}</div></div>'
        )
    status = "vérifiée" if synthesis.verified else "NON vérifiée — à contrôler"
    flags = "".join(
        f'<div class="la-flag">⚠ {html.escape(line)}</div>' for line in flagged_sentences(synthesis)
    )
    notice = (
        f'<div class="la-meta">{html.escape(synthesis.notice)}</div>' if synthesis.notice else ""
    )
    state = "verified" if synthesis.verified else "unverified"
    return (
        f'<div class="la-synth" data-status="{state}">'
        f"<strong>Synthèse ({html.escape(status)})</strong>"
        f'<div class="la-synth-text">{html.escape(synthesis.text)}</div>{flags}{notice}</div>'
    )


def judgment_viewer_html(judgment: Judgment, char_start: int, char_end: int) -> str:
    """A whole HTML document showing the judgment text escaped, the span [char_start:char_end]
    wrapped in `<mark id="passage">` and scrolled into view when the document loads."""
    text = judgment.text
    start = max(0, min(char_start, len(text)))
    end = max(start, min(char_end, len(text)))
    meta = judgment.meta
    date = "/".join(reversed(meta.date.split("-"))) if meta.date else ""
    country = judgment_country(meta)
    title_bits = [
        meta.court,
        country_label(country) if country else "",
        meta.chamber,
        date,
        meta.decision_number,
        meta.docket_number,
        meta.ecli,
    ]
    title = " · ".join(b for b in title_bits if b)
    body = (
        html.escape(text[:start])
        + f'<mark id="{MARK_ID}">{html.escape(text[start:end])}</mark>'
        + html.escape(text[end:])
    )
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><style>'
        "body{font-family:Georgia,'Times New Roman',serif;margin:0;padding:0 1rem;color:#222}"
        "h1{font-size:1rem;font-family:sans-serif;color:#555;position:sticky;top:0;"
        "background:#fff;margin:0;padding:.5rem 0;border-bottom:1px solid #ddd}"
        ".text{white-space:pre-wrap;line-height:1.5}"
        "mark{background:#ffe58f;color:inherit}"
        "</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f'<div class="text">{body}</div>'
        "<script>window.addEventListener('load',function(){var m=document.getElementById("
        f"'{MARK_ID}');if(m){{m.scrollIntoView({{block:'center'}});}}}});</script>"
        "</body></html>"
    )


# -- the damages table ----------------------------------------------------------------------------

HEAD_LABELS = {
    "materiel": "Préjudice matériel",
    "moral": "Préjudice moral",
    "image": "Image, réputation, préjudice commercial",
    "perte_de_chance": "Perte de chance",
    "perte_exploitation": "Perte d'exploitation, de clientèle",
    "remboursement": "Remboursement",
    "paiement": "Paiement (prix, factures)",
    "indemnite_procedure": "Indemnité de procédure (art. 240 NCPC / 700 CPC)",
    "astreinte": "Astreinte",
    "interets": "Intérêts",
    "penalite": "Pénalité, clause pénale",
    "dommages": "Dommages et intérêts (sans chef précisé)",
    "autre": "Autre",
}
OUTCOME_LABELS = {"granted": "Accordé", "rejected": "Rejeté", "claimed": "Demandé"}


def amount_cells(row: AmountRow) -> dict[str, object]:
    """One line of the damages table as the page shows it (corpus text kept verbatim)."""
    return {
        "Date": row.date,
        "Juridiction": row.court,
        "Montant": row.value,
        "Devise": row.currency,
        "Tel qu'écrit": row.amount_text,
        "Chef de préjudice": HEAD_LABELS.get(row.head, row.head),
        "Issue": OUTCOME_LABELS.get(row.outcome, row.outcome),
        "Créancier": row.creditor,
        "Débiteur": row.debtor,
        "Extrait": row.quote,
        "Référence": row.citation,
    }


def amounts_html(rows: Sequence[AmountRow]) -> str:
    """The table rows that back an answer on sums: escaped, each with its verbatim span and
    its reference."""
    lines = [
        '<table class="la-amounts"><thead><tr><th>Montant</th><th>Chef</th><th>Issue</th>'
        "<th>Créancier / débiteur</th><th>Extrait et référence</th></tr></thead><tbody>"
    ]
    for row in rows:
        parties = " → ".join(p for p in (row.debtor, row.creditor) if p)
        lines.append(
            f"<tr><td>{html.escape(row.amount_text)}</td>"
            f"<td>{html.escape(HEAD_LABELS.get(row.head, row.head))}</td>"
            f"<td>{html.escape(OUTCOME_LABELS.get(row.outcome, row.outcome))}</td>"
            f"<td>{html.escape(parties)}</td>"
            f'<td><span class="la-quote">« {html.escape(row.quote)} »</span>'
            f'<div class="la-meta">{html.escape(row.citation)}</div></td></tr>'
        )
    lines.append("</tbody></table>")
    return "".join(lines)


def evidence_card_html(evidence: str, citation: str) -> str:
    """A verbatim span (an issue tag's evidence) as a quote card with its citation."""
    return (f'<div class="la-card"><div class="la-quote">{html.escape(evidence)}</div>'
            f'<div class="la-meta">{html.escape(citation)}</div></div>')  # fmt: skip
