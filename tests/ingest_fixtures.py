"""Builders of real input files for the ingest tests: PDFs (fpdf2, real page breaks), DOCX
(python-docx) and HTML pages (a decision inside site chrome), from the bundled corpus text
(data/corpus)."""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
LUXEMBOURG = next((CORPUS / "luxembourg").glob("*.txt"))
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# The Luxembourg sample splits this paragraph across a page break of the original PDF.
SPLIT_BEFORE = "les e-mails suivants de ses avocats"
SPLIT_AFTER = "et collaborateurs de l'étude ne fonctionnent plus depuis le 4 décembre 2020"


def corpus_files() -> list[Path]:
    return sorted(CORPUS.rglob("*.txt"))


def luxembourg_paragraphs() -> list[str]:
    return [p.strip() for p in LUXEMBOURG.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def _pdf():  # type: ignore[no-untyped-def]
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    if FONT.exists():
        pdf.add_font("DejaVu", fname=str(FONT))
        pdf.set_font("DejaVu", size=10)
    else:  # core font: latin-1 only
        pdf.set_font("Helvetica", size=10)
    return pdf


def _safe(pdf, text: str) -> str:  # type: ignore[no-untyped-def]
    if FONT.exists():
        return text
    return text.replace("’", "'").encode("latin-1", "replace").decode("latin-1")


def write_pdf(path: Path, pages: list[list[str]], footer: bool = True) -> Path:
    """One PDF page per entry of `pages` (each a list of paragraphs), "n/N" page counters."""
    pdf = _pdf()
    for number, paragraphs in enumerate(pages, start=1):
        pdf.add_page()
        for paragraph in paragraphs:
            pdf.multi_cell(0, 5, _safe(pdf, paragraph), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        if footer:
            pdf.set_auto_page_break(False)
            pdf.set_y(-15)
            pdf.cell(0, 5, f"{number}/{len(pages)}", align="C")
            pdf.set_auto_page_break(True, margin=20)
    pdf.output(str(path))
    return path


def split_paragraph_pdf(folder: Path) -> Path:
    """A 2-page PDF of the Luxembourg sample's opening where one paragraph runs across the
    page break (page 1 ends with SPLIT_BEFORE, page 2 starts with SPLIT_AFTER)."""
    paragraphs = luxembourg_paragraphs()
    split_at = next(i for i, p in enumerate(paragraphs) if p.endswith(SPLIT_BEFORE))
    page1 = paragraphs[split_at - 1: split_at + 1]
    page2 = paragraphs[split_at + 1: split_at + 3]
    return write_pdf(folder / "split.pdf", [page1, page2])


def luxembourg_pdf(folder: Path, pages: int = 3, per_page: int = 4) -> Path:
    paragraphs = luxembourg_paragraphs()
    return write_pdf(folder / "lux.pdf",
                     [paragraphs[i * per_page:(i + 1) * per_page] for i in range(pages)])


def image_only_pdf(folder: Path) -> Path:
    """A PDF whose page has drawings but no text layer (like a scan)."""
    pdf = _pdf()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    path = folder / "scan.pdf"
    pdf.output(str(path))
    return path


def encrypted_pdf(folder: Path, user_password: str = "secret", aes: bool = False) -> Path:
    """A PDF encrypted with owner password "owner" and `user_password`: "secret" (the default)
    is needed to open it; "" gives an owner-password-only PDF (restricted permissions, opens
    without a password, as many court sites publish them). `aes` encrypts with AES-128
    instead of RC4."""
    from fpdf.enums import EncryptionMethod

    pdf = _pdf()
    method = EncryptionMethod.AES_128 if aes else EncryptionMethod.RC4
    pdf.set_encryption(
        owner_password="owner", user_password=user_password, encryption_method=method
    )
    pdf.add_page()
    pdf.multi_cell(0, 5, "Audience publique du 18 novembre 2020")
    stem = ("locked" if user_password else "owner-only") + ("-aes" if aes else "")
    path = folder / f"{stem}.pdf"
    pdf.output(str(path))
    return path


def truncated_pdf(folder: Path) -> Path:
    whole = luxembourg_pdf(folder).read_bytes()
    path = folder / "truncated.pdf"
    path.write_bytes(whole[: len(whole) // 3])
    return path


def write_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.save(str(path))
    return path


def write_html(path: Path, paragraphs: list[str], title: str = "Jugement") -> Path:
    """The decision in <div class="decision"> inside a page with nav, header, footer, a cookie
    banner, a sidebar and scripts."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    page = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{title}</title>
<style>.x {{ color: red; }}</style><script>var tracking = "SCRIPT-TEXT";</script></head>
<body>
<header><h1>Portail de la justice</h1><p>HEADER-TEXT Accueil du site</p></header>
<nav><ul><li>Accueil</li><li>NAV-TEXT Jurisprudence</li><li>Contact</li></ul></nav>
<div id="cookie-banner">COOKIE-TEXT Nous utilisons des cookies. <button>Accepter</button></div>
<aside class="sidebar">SIDEBAR-TEXT Décisions récentes</aside>
<main><div class="decision">
{body}
</div></main>
<footer>FOOTER-TEXT Mentions légales © 2025</footer>
</body></html>"""
    path.write_text(page, encoding="utf-8")
    return path


CHROME_MARKERS = ("SCRIPT-TEXT", "HEADER-TEXT", "NAV-TEXT", "COOKIE-TEXT", "SIDEBAR-TEXT",
                  "FOOTER-TEXT", "color: red")
