"""Read a judgment file (.txt, .pdf, .docx, .html) into plain text.

PDF pages are separated by one form feed ("\\f"); other formats have no page breaks.
Every bad input raises `InputFileError` with a short reason a user can act on.
Open-data exports (.json, .jsonl, .ndjson, .xml: records with their metadata) are read by
`ingest.open_data.read_records`; `SUPPORTED_EXTENSIONS` lists both kinds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from store.errors import InputFileError

DOCUMENT_EXTENSIONS = frozenset({".txt", ".pdf", ".docx", ".html", ".htm"})
RECORD_EXTENSIONS = frozenset({".json", ".jsonl", ".ndjson", ".xml"})  # ingest.open_data
SUPPORTED_EXTENSIONS = DOCUMENT_EXTENSIONS | RECORD_EXTENSIONS


@dataclass(frozen=True)
class RawDocument:
    """The text of one file as read, before canonicalisation."""

    path: Path
    format: str  # "txt", "pdf", "docx", "html"
    text: str
    warnings: tuple[str, ...] = ()


def read_document(path: Path, max_bytes: int = 50_000_000) -> RawDocument:
    """Read `path` into a RawDocument; raise InputFileError for any file that cannot be used."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in RECORD_EXTENSIONS:
        raise InputFileError(str(path), f"an open-data record file ({suffix}): read it with "
                             "ingest.open_data.read_records")
    if suffix not in DOCUMENT_EXTENSIONS:
        shown = suffix or "(no extension)"
        raise InputFileError(str(path), f"unsupported file type {shown}")
    data = read_bytes(path, max_bytes)

    if suffix == ".txt":
        text, warnings = decode_text(data)
        fmt = "txt"
    elif suffix == ".pdf":
        text, warnings = _read_pdf(path, data)
        fmt = "pdf"
    elif suffix == ".docx":
        text, warnings = _read_docx(path, data)
        fmt = "docx"
    else:
        html, warnings = decode_text(data)
        text = html_main_text(html)
        fmt = "html"
    if not text.strip():
        raise InputFileError(str(path), "empty file" if fmt == "txt" else "no text found")
    return RawDocument(path=path, format=fmt, text=text, warnings=tuple(warnings))


_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; InputFileError when it cannot be read, is empty or is over the limit."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputFileError(str(path), f"cannot read file: {exc.strerror or exc}") from exc
    if size > max_bytes:
        raise InputFileError(
            str(path),
            f"file too large: {size / 1_000_000:.1f} MB > limit {max_bytes / 1_000_000:.1f} MB",
        )
    if size == 0:
        raise InputFileError(str(path), "empty file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(str(path), f"cannot read file: {exc.strerror or exc}") from exc
    return data


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """By its byte order mark (UTF-8, UTF-16, UTF-32; stripped); UTF-16 without one when every
    other byte is zero (with a warning); else UTF-8; else cp1252, else latin-1, with a
    warning."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), []
            except UnicodeDecodeError:
                break  # not that encoding after all: guess below
    guessed = _bomless_utf16(data)
    if guessed:
        try:
            return data.decode(guessed), [f"no byte order mark: read as {guessed.upper()}"]
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), ["not UTF-8: read as cp1252"]
    except UnicodeDecodeError:
        return data.decode("latin-1"), ["not UTF-8: read as latin-1"]


def _bomless_utf16(data: bytes) -> str:
    """"utf-16-le"/"utf-16-be" when the file looks like UTF-16 without a byte order mark
    (mostly Latin text: a zero byte in every other position), else ""."""
    sample = data[:4096]
    if len(sample) < 4 or len(data) % 2:
        return ""
    pairs = len(sample) // 2
    odd_zeros = sample[1::2].count(0)
    even_zeros = sample[0::2].count(0)
    if odd_zeros >= 0.6 * pairs and even_zeros <= 0.05 * pairs:
        return "utf-16-le"
    if even_zeros >= 0.6 * pairs and odd_zeros <= 0.05 * pairs:
        return "utf-16-be"
    return ""


def _read_pdf(path: Path, data: bytes) -> tuple[str, list[str]]:
    import io

    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, PdfReadError

    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise InputFileError(str(path), "not a valid PDF: no PDF header")
    try:
        reader = PdfReader(io.BytesIO(data))
        # An owner password only restricts printing or copying: such a PDF opens with the
        # empty user password and is read. One that needs a password to open is refused.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise InputFileError(str(path), "encrypted PDF: it needs a password to open")
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except InputFileError:
        raise
    except DependencyError as exc:  # AES encryption without the `cryptography` package
        raise InputFileError(
            str(path), f"encrypted PDF (AES): reading it needs the cryptography package "
            f"(pip install cryptography): {_short(exc)}"
        ) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise InputFileError(str(path), f"not a valid PDF: {_short(exc)}") from exc
    if not pages:
        raise InputFileError(str(path), "not a valid PDF: no pages")
    pages = [_unlayout(p) for p in pages]
    if not any(p.strip() for p in pages):
        raise InputFileError(str(path), "no text layer — OCR is not supported")
    warnings = []
    empty = [str(i + 1) for i, p in enumerate(pages) if not p.strip()]
    if empty:
        warnings.append(f"pages without text (scanned?): {', '.join(empty)}")
    return "\f".join(pages), warnings


_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)


def _unlayout(page: str) -> str:
    """Layout-mode text keeps vertical gaps as blank lines (paragraph breaks); drop the
    horizontal padding and the trailing blank lines."""
    page = _INDENT.sub("", page)
    page = re.sub(r"[ \t]+$", "", page, flags=re.MULTILINE)
    return page.strip("\n")


def _read_docx(path: Path, data: bytes) -> tuple[str, list[str]]:
    import io
    import zipfile

    import docx
    from docx.document import Document as DocumentObject
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document: DocumentObject = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputFileError(str(path), f"not a valid DOCX: {_short(exc)}") from exc
    except Exception as exc:  # python-docx raises its own PackageNotFoundError and others
        raise InputFileError(str(path), f"not a valid DOCX: {_short(exc)}") from exc
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.append(item.text)
        elif isinstance(item, Table):
            for row in item.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = cell.text.strip()
                    if text and (not cells or cells[-1] != text):  # merged cells repeat
                        cells.append(text)
                if cells:
                    blocks.append(" | ".join(cells))
    return "\n\n".join(b for b in blocks if b.strip()), []


_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form",
              "button", "iframe", "svg", "template", "select", "input")
_CHROME = re.compile(
    r"cookie|consent|gdpr|banner|navbar|menu|breadcrumb|sidebar|footer|header|social|share"
    r"|newsletter|popup|modal",
    re.IGNORECASE,
)
_MAIN = re.compile(r"decision|d[ée]cision|arret|arrêt|jugement|judgment|content|texte|text|body"
                   r"|document|article", re.IGNORECASE)
_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
               "article", "blockquote", "pre", "table", "ul", "ol", "dd", "dt")


def html_main_text(html: str) -> str:
    """The main text of an HTML page: site chrome dropped, the decision's container kept."""
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.attrs is None:
            continue
        marks = " ".join([str(tag.get("id") or ""), " ".join(tag.get("class") or []),
                          str(tag.get("role") or "")])
        if marks.strip() and _CHROME.search(marks) and not _MAIN.search(marks):
            tag.decompose()
    root = _pick_main(soup)
    for br in root.find_all("br"):
        br.replace_with("\n")
    for block in root.find_all(_BLOCK_TAGS):
        block.insert_before("\n\n")
        block.insert_after("\n\n")
    text = root.get_text()
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _pick_main(soup):  # type: ignore[no-untyped-def]
    """<article>/<main>/an element whose id or class names the decision, else the element
    holding the most text (but never less than half the page's text)."""
    body = soup.body or soup
    total = len(body.get_text(" ", strip=True))
    candidates = []
    for tag in body.find_all(True):
        marks = " ".join([str(tag.get("id") or ""), " ".join(tag.get("class") or [])])
        named = tag.name in ("article", "main") or (marks.strip() and _MAIN.search(marks))
        if named:
            size = len(tag.get_text(" ", strip=True))
            if size >= max(200, total // 3):
                candidates.append((size, tag))
    if candidates:
        # the smallest named container that still holds most of the text
        best = max(size for size, _ in candidates)
        fitting = [(size, tag) for size, tag in candidates if size >= 0.8 * best]
        return min(fitting, key=lambda st: st[0])[1]
    return body


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]
