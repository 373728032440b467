"""read_document: every supported format gives plain text; every bad input a clear error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ingest_fixtures import (
    CHROME_MARKERS,
    LUXEMBOURG,
    SPLIT_AFTER,
    SPLIT_BEFORE,
    encrypted_pdf,
    image_only_pdf,
    luxembourg_paragraphs,
    luxembourg_pdf,
    split_paragraph_pdf,
    truncated_pdf,
    write_docx,
    write_html,
)

from ingest.read import (
    DOCUMENT_EXTENSIONS,
    RECORD_EXTENSIONS,
    SUPPORTED_EXTENSIONS,
    read_document,
)
from store.errors import InputFileError


def test_supported_extensions() -> None:
    assert {".txt", ".pdf", ".docx", ".html", ".htm"} == set(DOCUMENT_EXTENSIONS)
    assert {".json", ".jsonl", ".ndjson", ".xml"} == set(RECORD_EXTENSIONS)
    assert SUPPORTED_EXTENSIONS == DOCUMENT_EXTENSIONS | RECORD_EXTENSIONS


def test_an_open_data_file_is_sent_to_the_record_reader(tmp_path: Path) -> None:
    path = tmp_path / "decision.json"
    path.write_text('{"text": "x"}', encoding="utf-8")
    with pytest.raises(InputFileError, match="open-data record file"):
        read_document(path)


def test_utf8_text_with_bom_is_read_without_it(tmp_path: Path) -> None:
    path = tmp_path / "j.txt"
    path.write_bytes("\ufeffPERSONNE1.) c/ SOCIETE3.) — l’arrêt".encode())
    raw = read_document(path)
    assert raw.text == "PERSONNE1.) c/ SOCIETE3.) — l’arrêt"
    assert raw.format == "txt" and raw.warnings == ()


# Accents, the euro sign, typographic quotes and dashes: what mojibake would show first.
ACCENTED = ("Audience publique du vendredi, vingt-quatre janvier deux mille vingt-cinq.\n\n"
            "Le préjudice moral de l’appelante est fixé à 10.000 € – « ex aequo et bono ».")


def test_cp1252_text_is_converted_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(ACCENTED.encode("cp1252"))
    raw = read_document(path)
    assert raw.text == ACCENTED
    assert raw.warnings == ("not UTF-8: read as cp1252",)


def test_latin1_text_keeps_its_accents(tmp_path: Path) -> None:
    text = "Audience publique du vendredi, vingt-quatre janvier. Le préjudice subi « à tort »."
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("latin-1"))
    raw = read_document(path)
    assert raw.text == text
    assert raw.warnings == ("not UTF-8: read as cp1252",)  # cp1252 is latin-1's superset


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe\x00\x00", "utf-32-le")],
    ids=["utf-16-le", "utf-16-be", "utf-32-le"],
)
def test_unicode_text_with_a_byte_order_mark_is_read_without_a_warning(
    tmp_path: Path, bom: bytes, encoding: str
) -> None:
    path = tmp_path / "j.txt"
    path.write_bytes(bom + ACCENTED.encode(encoding))
    raw = read_document(path)
    assert raw.text == ACCENTED
    assert raw.warnings == ()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_a_byte_order_mark_is_recognised_with_a_warning(
    tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "j.txt"
    path.write_bytes(ACCENTED.encode(encoding))
    raw = read_document(path)
    assert raw.text == ACCENTED
    assert raw.warnings == (f"no byte order mark: read as {encoding.upper()}",)


def test_a_whole_judgment_in_utf16_reads_as_its_utf8_original(tmp_path: Path) -> None:
    original = LUXEMBOURG.read_text(encoding="utf-8")
    path = tmp_path / "lux-utf16.txt"
    path.write_bytes(original.encode("utf-16"))  # with the machine's byte order mark
    assert read_document(path).text == original
    assert read_document(path).text == read_document(LUXEMBOURG).text


def test_html_in_utf16_keeps_its_accents(tmp_path: Path) -> None:
    paragraphs = luxembourg_paragraphs()[:8]
    utf8 = write_html(tmp_path / "j.html", paragraphs)
    path = tmp_path / "j16.html"
    path.write_bytes(utf8.read_text(encoding="utf-8").encode("utf-16"))
    assert read_document(path).text.split("\n\n") == paragraphs


def test_pdf_pages_are_separated_by_one_form_feed(tmp_path: Path) -> None:
    raw = read_document(luxembourg_pdf(tmp_path, pages=3))
    assert raw.format == "pdf"
    assert raw.text.count("\f") == 2
    assert "Audience publique du vendredi" in raw.text.split("\f")[0]


def test_pdf_split_paragraph_keeps_both_halves_on_their_pages(tmp_path: Path) -> None:
    pages = read_document(split_paragraph_pdf(tmp_path)).text.split("\f")
    assert SPLIT_BEFORE in pages[0].replace("\n", " ")
    assert pages[1].lstrip().startswith(SPLIT_AFTER.split()[0])


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    paragraphs = luxembourg_paragraphs()[:5]
    path = write_docx(tmp_path / "j.docx", paragraphs, [["dommage moral", "10.000 €"]])
    raw = read_document(path)
    assert raw.format == "docx"
    for paragraph in paragraphs:
        assert paragraph in raw.text
    assert "dommage moral | 10.000 €" in raw.text


def test_html_keeps_the_decision_and_drops_site_chrome(tmp_path: Path) -> None:
    paragraphs = luxembourg_paragraphs()[:8]
    raw = read_document(write_html(tmp_path / "j.html", paragraphs))
    assert raw.format == "html"
    assert raw.text.split("\n\n") == paragraphs
    for marker in CHROME_MARKERS:
        assert marker not in raw.text


def _error(path: Path, **kwargs: int) -> str:
    with pytest.raises(InputFileError) as info:
        read_document(path, **kwargs)
    assert info.value.path == str(path)
    return info.value.reason


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert _error(path) == "empty file"


def test_junk_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(os.urandom(2000))
    assert _error(path).startswith("not a valid PDF")


def test_truncated_pdf(tmp_path: Path) -> None:
    assert _error(truncated_pdf(tmp_path)).startswith("not a valid PDF")


def test_a_pdf_that_needs_a_password_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = encrypted_pdf(tmp_path)  # user password "secret"
    with pytest.raises(InputFileError) as info:
        read_document(path)
    assert info.value.reason == "encrypted PDF: it needs a password to open"
    assert str(info.value) == f"{path}: encrypted PDF: it needs a password to open"


@pytest.mark.parametrize("aes", [False, True], ids=["rc4", "aes"])
def test_an_owner_password_only_pdf_opens_without_a_password_and_is_read(
    tmp_path: Path, aes: bool
) -> None:
    raw = read_document(encrypted_pdf(tmp_path, user_password="", aes=aes))
    assert raw.format == "pdf"
    assert raw.text == "Audience publique du 18 novembre 2020"
    assert raw.warnings == ()


def test_an_aes_pdf_without_the_cryptography_package_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypdf
    from pypdf.errors import DependencyError

    def needs_cryptography(self: object, password: str) -> int:
        raise DependencyError("cryptography>=3.1 is required for AES algorithm")

    monkeypatch.setattr(pypdf.PdfReader, "decrypt", needs_cryptography)
    assert _error(encrypted_pdf(tmp_path, user_password="")) == (
        "encrypted PDF (AES): reading it needs the cryptography package (pip install "
        "cryptography): cryptography>=3.1 is required for AES algorithm"
    )


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    assert _error(image_only_pdf(tmp_path)) == "no text layer — OCR is not supported"


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Jugement " * 300_000, encoding="utf-8")
    assert _error(path, max_bytes=1_000_000) == "file too large: 2.7 MB > limit 1.0 MB"


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "notes.xyz"
    path.write_text("texte", encoding="utf-8")
    assert _error(path) == "unsupported file type .xyz"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("texte", encoding="utf-8")
    path.chmod(0)
    try:
        assert _error(path).startswith("cannot read file")
    finally:
        path.chmod(0o600)


def test_corrupt_docx(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not a real docx archive")
    assert _error(path).startswith("not a valid DOCX")
