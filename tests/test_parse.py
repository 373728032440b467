"""parse_judgment: canonical text, metadata checked against the corpus INDEX, sections."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from ingest_fixtures import (
    CORPUS,
    LUXEMBOURG,
    SPLIT_AFTER,
    SPLIT_BEFORE,
    corpus_files,
    split_paragraph_pdf,
)

from ingest.canonical import canonicalize
from ingest.dates import fold, parse_date
from ingest.parse import parse_judgment
from ingest.read import RawDocument, read_document

INDEX = {row["file"]: row for row in csv.DictReader(
    (CORPUS / "INDEX.tsv").open(encoding="utf-8"), delimiter="\t")}


def _parse(path: Path):  # type: ignore[no-untyped-def]
    return parse_judgment(read_document(path), source_path=str(path))


def _court_key(court: str) -> str:
    """'Cour de cassation (France), chambre commerciale' -> 'cour de cassation'."""
    court = re.sub(r"\s*\(.*?\)", "", court.split(",")[0])
    return fold(court).replace("’", "'").strip()


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_court_and_date_match_the_index(path: Path) -> None:
    judgment = _parse(path)
    expected = INDEX[path.name]
    text = fold(judgment.text)
    court_words = _court_key(expected["court"]).split()[:3]  # e.g. "cour d'appel de"
    if judgment.meta.court or all(w in text for w in court_words):
        assert _court_key(judgment.meta.court) == _court_key(expected["court"])
    iso = expected["date"]
    year, month, day = iso.split("-")
    states_date = judgment.meta.date or re.search(
        rf"\b0?{int(day)}(?:er)?[ ./]+(?:0?{int(month)}[./]|\w+ ){year}", judgment.text)
    if states_date:
        assert judgment.meta.date == iso


def test_corpus_metadata_coverage() -> None:
    """Court and date for all but the excerpts that do not state them."""
    parsed = [_parse(p) for p in corpus_files()]
    assert sum(bool(j.meta.court) for j in parsed) >= len(parsed) - 1
    assert sum(bool(j.meta.date) for j in parsed) >= len(parsed) - 3
    assert len({j.meta.id for j in parsed}) == len(parsed)


def test_luxembourg_judgment_metadata() -> None:
    meta = _parse(LUXEMBOURG).meta
    assert meta.court == "Tribunal d'arrondissement de Luxembourg"
    assert meta.chamber == "XIe chambre"  # the source writes "Xle"
    assert meta.date == "2025-01-24"  # "vingt-quatre janvier deux mille vingt-cinq"
    assert meta.decision_number == "2025TALCH11/00011"
    assert meta.docket_number == "TAL-2021-06580"
    assert meta.matter == "civil"
    assert meta.title == "PERSONNE1.) et SOCIETE2.) c/ SOCIETE3.)"
    assert meta.id == "tal-2025talch11-00011"
    assert meta.source_path == str(LUXEMBOURG)


def test_luxembourg_sections_and_subsections() -> None:
    judgment = _parse(LUXEMBOURG)
    tops = [(s.path[0], s.kind) for s in judgment.sections if len(s.path) == 1]
    assert tops == [("FAITS CONSTANTS", "facts"), ("PROCÉDURE", "procedure"),
                    ("PRÉTENTIONS ET MOYENS DES PARTIES", "claims"),
                    ("MOTIFS DE LA DÉCISION", "reasons"), ("PAR CES MOTIFS", "operative")]
    header = judgment.sections[0]
    assert header.kind == "header" and header.path == () and header.char_start == 0
    pannes = next(s for s in judgment.sections if s.title.startswith("a) Quant aux pannes"))
    assert pannes.path[0] == "MOTIFS DE LA DÉCISION" and "Quant au fond" in pannes.path
    assert judgment.text[pannes.heading_start:pannes.heading_end] == pannes.title
    for section in judgment.sections:
        assert judgment.text[section.heading_start:section.heading_end] == section.title
        assert 0 <= section.char_start <= section.char_end <= len(judgment.text)
    # "Quant au fond, SOCIETE3.) conclut ..." is a paragraph, not a heading
    assert not any(s.title.startswith("Quant au fond,") for s in judgment.sections)


def test_luxembourg_paragraphs_are_numbered_in_reading_order() -> None:
    judgment = _parse(LUXEMBOURG)
    numbers = [p.number for p in judgment.paragraphs]
    assert numbers == list(range(1, len(numbers) + 1))
    assert all(p.page is None for p in judgment.paragraphs)  # a .txt has no pages
    titles = {s.title for s in judgment.sections}
    assert not any(judgment.text[p.char_start:p.char_end] in titles for p in judgment.paragraphs)


def test_canonical_text_is_clean_and_keeps_pseudonyms() -> None:
    text = _parse(LUXEMBOURG).text
    assert "**" not in text and "^{" not in text and "1er juin 2021" in text
    assert f"{SPLIT_BEFORE} {SPLIT_AFTER}" in text  # split paragraph rejoined
    assert "\n\n\n" not in text and "  " not in text
    assert "PERSONNE1.)" in text and "l'SOCIETE1.)" in text


def test_cassation_numbers_its_own_paragraphs() -> None:
    path = next(p for p in corpus_files() if "19-19463" in p.name)
    judgment = _parse(path)
    assert judgment.meta.decision_number == "740 FS-P+B"
    assert judgment.meta.docket_number == "pourvoi n° 19-19.463"
    assert judgment.meta.chamber == "chambre commerciale, financière et économique"
    numbered = [p for p in judgment.paragraphs
                if judgment.text[p.char_start:p.char_end].startswith("5. Il résulte")]
    assert [p.number for p in numbered] == [5]
    kinds = {s.title: s.kind for s in judgment.sections}
    assert kinds["Enoncé du moyen"] == "claims" and kinds["Réponse de la Cour"] == "reasons"
    assert kinds["PAR CES MOTIFS, la Cour :"] == "operative"


def test_pdf_page_break_split_is_rejoined_and_pages_are_known(tmp_path: Path) -> None:
    judgment = parse_judgment(read_document(split_paragraph_pdf(tmp_path)))
    joined = re.sub(r"\s+", " ", judgment.text)
    assert f"{SPLIT_BEFORE} {SPLIT_AFTER}" in joined
    assert "1/2" not in judgment.text and "2/2" not in judgment.text
    split = next(p for p in judgment.paragraphs
                 if SPLIT_AFTER in judgment.text[p.char_start:p.char_end].replace("\n", " "))
    assert (split.page, split.page_end) == (1, 2)
    assert judgment.paragraphs[-1].page == 2


def test_canonical_page_starts_point_at_each_page() -> None:
    canonical = canonicalize("Première page.\n\n3\f  Deuxième   page.\u00a0Fin.\n\n1/2\fTroisième.")
    assert canonical.text == "Première page.\n\nDeuxième page. Fin.\n\nTroisième."
    assert [canonical.text[s:s + 4] for s in canonical.page_starts] == ["Prem", "Deux", "Troi"]


def test_heading_line_ending_a_page_is_not_joined() -> None:
    text = canonicalize(
        "Les parties ont conclu.\n\nMOTIFS DE LA DÉCISION\fla demande est recevable.")
    assert "MOTIFS DE LA DÉCISION\n\nla demande" in text.text


@pytest.mark.parametrize(("phrase", "iso"), [
    ("vendredi, vingt-quatre janvier deux mille vingt-cinq", "2025-01-24"),
    ("jeudi, premier avril deux mille vingt-et-un", "2021-04-01"),
    ("Audience publique du 18 novembre 2020", "2020-11-18"),
    ("JUGEMENT du mercredi 23 novembre 2022", "2022-11-23"),
    ("N° 49 / 10. du 8.7.2010.", "2010-07-08"),
    ("du 01.04.2021", "2021-04-01"),
    ("ARRÊT DU : 27 FEVRIER 2023", "2023-02-27"),
    ("vingt-cinq octobre mil neuf cent quatre-vingt-quatorze", "1994-10-25"),
    ("le 31 février 2020", ""),
    ("sans date", ""),
])
def test_french_dates(phrase: str, iso: str) -> None:
    assert parse_date(phrase) == iso


def test_unknown_text_ingests_with_warnings() -> None:
    raw = RawDocument(Path("recette.txt"), "txt", "Mélanger la farine et le beurre.\n\nCuire.")
    judgment = parse_judgment(raw)
    assert judgment.meta.court == "" and judgment.meta.date == ""
    assert "court not found" in judgment.warnings and "date not found" in judgment.warnings
    assert "not recognised as a judgment" in judgment.warnings
    assert judgment.meta.id == "sha-" + judgment.meta.content_hash[:16]
    assert [s.kind for s in judgment.sections] == ["other"]


def test_content_hash_is_sha256_of_canonical_text() -> None:
    import hashlib

    judgment = _parse(LUXEMBOURG)
    assert judgment.meta.content_hash == hashlib.sha256(judgment.text.encode()).hexdigest()
