"""read_document: every supported format gives plain text; every bad input a clear error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ingest_fixtures import (
    CHROME_MARKERS,
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

from ingest.read import SUPPORTED_EXTENSIONS, read_document
from store.errors import InputFileError


def test_supported_extensions() -> None:
    assert {".txt", ".pdf", ".docx", ".html", ".htm"} == set(SUPPORTED_EXTENSIONS)


def test_utf8_text_with_bom_is_read_without_it(tmp_path: Path) -> None:
    path = tmp_path / "j.txt"
    path.write_bytes("\ufeffPERSONNE1.) c/ SOCIETE3.) — l’arrêt".encode())
    raw = read_document(path)
    assert raw.text == "PERSONNE1.) c/ SOCIETE3.) — l’arrêt"
    assert raw.format == "txt" and raw.warnings == ()


def test_cp1252_text_is_converted_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("Arrêt du 5 février 2024 – l’appelante".encode("cp1252"))
    raw = read_document(path)
    assert raw.text == "Arrêt du 5 février 2024 – l’appelante"
    assert raw.warnings == ("not UTF-8: read as cp1252",)


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


def test_encrypted_pdf(tmp_path: Path) -> None:
    assert _error(encrypted_pdf(tmp_path)) == "encrypted PDF"


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
