"""Metadata parsed from the plain text of real decisions whose layout the parser first missed.

The excerpts in tests/data/open-text/ are the opening and closing lines of published decisions
(corpus-open records of the development split, texts as published): the French Conseil d'État
and Conseil constitutionnel, the Belgian Cour de cassation and cour du travail, the Luxembourg
Tribunal administratif, Cour d'appel and Cour de cassation. Each is read as a .txt document.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import metadata as md
from ingest.parse import parse_judgment
from ingest.read import read_document

OPEN_TEXT = Path(__file__).parent / "data" / "open-text"

# file -> (court, country, date, decision number, docket number)
EXPECTED = {
    "fr-conseil-etat.txt": ("Conseil d'État", "FR", "2026-03-02", "", "n° 497009"),
    "fr-conseil-constitutionnel.txt": ("Conseil constitutionnel", "FR", "1993-11-04", "",
                                       "n° 93-1648"),
    "be-cassation.txt": ("Cour de cassation de Belgique", "BE", "2026-01-30", "", "F.23.0006.F"),
    "be-cour-travail.txt": ("Cour du travail de Liège", "BE", "2017-07-18", "",
                            "RG 2016/AL/707"),
    "lu-tribunal-administratif.txt": ("Tribunal administratif", "LU", "2026-03-27", "54429",
                                      "54429"),
    "lu-cour-appel.txt": ("Cour d'appel du Grand-Duché de Luxembourg", "LU", "2026-03-27",
                          "53/26 IV-COM", "CAL-2024-00067"),
    "lu-cassation.txt": ("Cour de cassation du Grand-Duché de Luxembourg", "LU", "2026-01-29",
                         "29/2026", "CAS-2025-00126"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_court_date_and_numbers(name: str) -> None:
    path = OPEN_TEXT / name
    judgment = parse_judgment(read_document(path), source_path=name)
    court, country, date, number, docket = EXPECTED[name]
    meta = judgment.meta
    assert (meta.court, meta.date, meta.decision_number, meta.docket_number) == (
        court, date, number, docket)
    assert md.find_country(judgment.text, min(len(judgment.text), 6000), meta.court) == country


def test_the_own_ecli_gives_court_number_and_country() -> None:
    text = (OPEN_TEXT / "lu-tribunal-administratif.txt").read_text(encoding="utf-8")
    assert md.find_ecli(text) == "ECLI:LU:TADM:2026:54429"
    assert md.find_decision_number(text, len(text)) == ("54429", "")


def test_a_cited_ecli_is_not_the_judgments_own() -> None:
    text = ("Cour du travail de Liège, division Liège\nArrêt\n"
            "Voir Cass., 14 sept. 2020, R.G. S.18.0012.F (ECLI:BE:CASS:2020:ARR.20200914.3F.1), "
            "qui décide autrement.\n" + "Motifs. " * 200)
    assert md.find_ecli(text) == ""
    assert md.find_court(text, len(text)) == "Cour du travail de Liège"
    assert md.find_date(text, len(text)) == ""


def test_a_footer_ecli_is_the_judgments_own() -> None:
    page = "Texte de la page " * 60
    text = (f"CONSEIL D’ÉTAT, SECTION DU CONTENTIEUX ADMINISTRATIF\n{page}\n"
            f"ECLI:BE:RVSCE:2026:ARR.265.501\nVI- 22.649 - 1/3\n{page}\n"
            f"ECLI:BE:RVSCE:2026:ARR.265.501\nVI- 22.649 - 2/3\n{page}")
    assert md.find_court(text, 1500) == "Conseil d'État (Belgique)"
    assert md.find_decision_number(text, 1500) == ("265.501", "")
    assert md.find_country(text, 1500, "") == "BE"


@pytest.mark.parametrize(("court", "country"), [
    ("Cour de cassation de Belgique", "BE"),
    ("Cour de cassation du Grand-Duché de Luxembourg", "LU"),
    ("Cour du travail de Mons", "BE"),
    ("Tribunal d'arrondissement de Luxembourg", "LU"),
    ("Conseil constitutionnel", "FR"),
    ("Cour administrative d'appel de Marseille", "FR"),
])
def test_a_court_of_one_country_gives_the_country(court: str, country: str) -> None:
    assert md.find_country("", 0, court) == country


def test_a_shared_court_name_needs_evidence_for_the_country() -> None:
    assert md.find_country("LA COUR DE CASSATION a rendu l'arrêt suivant", 100,
                           "Cour de cassation") == ""
    french = "R É P U B L I Q U E F R A N Ç A I S E\nAU NOM DU PEUPLE FRANÇAIS\n"
    assert md.find_country(french, len(french), "Cour de cassation") == "FR"
    # markers of two countries, none dominant: no country
    mixed = "AU NOM DU PEUPLE FRANÇAIS ... siège à L-1340 Luxembourg"
    assert md.find_country(mixed, len(mixed), "Cour de cassation") == ""


def test_a_shared_court_name_is_completed_with_the_country() -> None:
    assert md.qualify_court("Cour de cassation", "BE") == "Cour de cassation de Belgique"
    assert md.qualify_court("Conseil d'État", "BE") == "Conseil d'État (Belgique)"
    assert md.qualify_court("Conseil d'État", "FR") == "Conseil d'État"
    assert md.qualify_court("Cour d'appel de Paris", "FR") == "Cour d'appel de Paris"


@pytest.mark.parametrize(("line", "iso"), [
    ("Audience publique extraordinaire duvingt-septmars deux mille vingt-six", "2026-03-27"),
    ("Audience publique du jeudi, vingt-neufjanvierdeux mille vingt-six.", "2026-01-29"),
    ("Audience publique du vingt-septseptembre deux mille dix-sept", "2017-09-27"),
])
def test_a_date_in_glued_words(line: str, iso: str) -> None:
    text = f"Arrêt N° 1/26\n{line}\nComposition:\n"
    assert md.find_date(text, len(text)) == iso


@pytest.mark.parametrize(("closing", "iso"), [
    ("Rendu public par mise à disposition au greffe, le 2 mars 2026.", "2026-03-02"),
    ("Fait à Paris, le 11 mars 2026", "2026-03-11"),
    ("et lu à l’audience publique du 27 mars 2026 par le vice-président", "2026-03-27"),
    ("L’arrêt est prononcé à l’audience publique de la 10 ème chambre de la Cour du travail de "
     "Bruxelles, le 11 avril 2025, où étaient présents", "2025-04-11"),
    ("Ainsi prononcé en langue française, en langue néerlandaise et en langue allemande, "
     "conformément à l'article 65 de la loi spéciale du 6 janvier 1989 sur la Cour "
     "d'arbitrage, à l'audience publique du 21 décembre 1990.", "1990-12-21"),
])
def test_the_closing_formula_dates_the_decision(closing: str, iso: str) -> None:
    text = ("Vu la procédure suivante :\n\nPar un jugement du 3 décembre 2024, le tribunal a "
            "rejeté la demande.\n\n" + "Considérant. " * 50 + "\n\n" + closing)
    assert md.find_date(text, 200) == iso


def test_a_cited_judgment_pronounced_earlier_does_not_date_the_decision() -> None:
    text = ("Le jugement entrepris prononcé le 12 octobre 2023 par le tribunal du travail "
            "francophone de Bruxelles. " + "Motifs. " * 50)
    assert md.find_date(text, len(text)) == ""


@pytest.mark.parametrize(("header", "number", "docket"), [
    ("Jugement commercial 2024TALCH02/00123\n\nNo. TAL-2024-01234\n", "2024TALCH02/00123",
     "TAL-2024-01234"),
    ("N° 2024TALCH15/00067 (XVe chambre)\n", "2024TALCH15/00067", ""),
    ("Arrêt N° 45/24 IV-COM\n\nsur appel du jugement\n2022TALCH08/00123 du 3 mars 2022\n"
     "Numéro CAL-2023-00456 du rôle\n", "45/24 IV-COM", "CAL-2023-00456"),
    ("Cour de cassation de Belgique\n\nArrêt\n\nn° C.25.0123.F\n", "", "C.25.0123.F"),
    ("Arrêt n° 1046 F-B\n\nPourvois n°\n F 21-25.274\n H 21-25.275\n G 21-25.276 Jonction\n",
     "1046 F-B", "pourvois n° 21-25.274, 21-25.275 et 21-25.276"),
    ("CONSEIL D'ETAT\n\nNos 470123, 470456\n\nLecture du 12 mars 2024\n", "470123, 470456",
     ""),
])
def test_numbers_where_courts_write_them(header: str, number: str, docket: str) -> None:
    text = header + "\n" + "Motifs. " * 40
    assert md.find_decision_number(text, len(header))[0] == number
    assert md.find_docket(text, len(header)) == docket

