"""ECLI parsing on identifiers copied from corpus-open records and texts."""

from __future__ import annotations

import pytest

from ingest.ecli import Ecli, find_eclis, own_ecli, parse_ecli

# ECLI -> (country, court, year, date, number)
REAL = {
    "ECLI:FR:CECHR:2026:495133.20260403": ("FR", "Conseil d'État", 2026, "2026-04-03", "495133"),
    "ECLI:FR:CCASS:2026:C100098": ("FR", "Cour de cassation", 2026, "", ""),
    "ECLI:FR:CCASS:2023:SO00986": ("FR", "Cour de cassation", 2023, "", ""),
    "ECLI:FR:CC:1993:93.1599.AN": ("FR", "Conseil constitutionnel", 1993, "", "93-1599 AN"),
    "ECLI:BE:CASS:2025:ARR.20251208.3F.4": ("BE", "Cour de cassation de Belgique", 2025,
                                            "2025-12-08", ""),
    "ECLI:BE:GHCC:2025:119": ("BE", "Cour constitutionnelle", 2025, "", "119/2025"),
    "ECLI:BE:GHCC:1993:ARR.037": ("BE", "Cour constitutionnelle", 1993, "", "37/1993"),
    "ECLI:BE:RVSCE:2026:ARR.265.501": ("BE", "Conseil d'État (Belgique)", 2026, "", "265.501"),
    "ECLI:BE:CTBRL:2025:ARR.20250511.1": ("BE", "Cour du travail de Bruxelles", 2025,
                                          "2025-05-11", ""),
    "ECLI:BE:CTLIE:2022:ARR.20220902.1": ("BE", "Cour du travail de Liège", 2022, "2022-09-02",
                                          ""),
    "ECLI:BE:TTBRL:2026:ORD.20260123.1": ("BE", "Tribunal du travail de Bruxelles", 2026,
                                          "2026-01-23", ""),
    "ECLI:LU:TADM:2026:53864": ("LU", "Tribunal administratif", 2026, "", "53864"),
    "ECLI:EU:C:1991:65": ("EU", "Cour de justice de l'Union européenne", 1991, "", ""),
    "ECLI:CE:ECHR:1987:0326JUD000924881": ("CE", "Cour européenne des droits de l'homme", 1987,
                                           "", ""),
}


@pytest.mark.parametrize("raw", sorted(REAL))
def test_real_eclis(raw: str) -> None:
    ecli = parse_ecli(f"voir {raw}, publié")
    assert ecli is not None
    country, court, year, date, number = REAL[raw]
    assert (ecli.country, ecli.court, ecli.year, ecli.date, ecli.number) == (
        country, court, year, date, number)
    assert str(ecli) == raw


def test_spaces_around_the_colons_and_a_final_full_stop() -> None:
    ecli = parse_ecli("(ECLI : BE : GHCC : 2025 : 119).")
    assert ecli == Ecli("BE", "GHCC", 2025, "119")
    assert parse_ecli("se termine par ECLI:LU:TADM:2026:54429.") == Ecli("LU", "TADM", 2026,
                                                                         "54429")


def test_unknown_code_gives_no_court_and_a_date_outside_the_year_is_not_read() -> None:
    ecli = parse_ecli("ECLI:NL:HR:2020:20190101")
    assert ecli is not None
    assert ecli.court == ""
    assert ecli.date == ""  # 2019 in an ECLI of 2020


def test_no_ecli() -> None:
    assert parse_ecli("ECLI: pas d'identifiant ici") is None
    assert own_ecli("Aucun identifiant.") is None


def test_own_ecli_in_the_opening_lines() -> None:
    text = ("Tribunal administratif N° 53864 du rôle\n"
            "du Grand-Duché de Luxembourg ECLI:LU:TADM:2026:53864\n" + "Motifs. " * 200
            + "\n(ECLI:LU:CADM:2019:42000)\n")
    assert str(own_ecli(text)) == "ECLI:LU:TADM:2026:53864"
    assert [str(e) for _, e in find_eclis(text)] == ["ECLI:LU:TADM:2026:53864",
                                                     "ECLI:LU:CADM:2019:42000"]


def test_a_repeated_citation_inside_sentences_is_not_the_own_ecli() -> None:
    cite = "(Cass., 14 sept. 2020, R.G. S.18.0012.F, ECLI:BE:CASS:2020:ARR.20200914.3F.1) "
    text = "Cour du travail de Liège\n" + ("Motifs. " * 100 + cite) * 3 + "Motifs. " * 100
    assert own_ecli(text) is None


def test_footer_ecli_repeated_at_line_starts() -> None:
    page = "Texte. " * 150
    text = (f"CONSEIL D’ÉTAT\n{page}\n(ECLI:BE:RVSCE:2024:ARR.258.998)\n{page}\n"
            f"ECLI:BE:RVSCE:2026:ARR.265.500 VIII - 12.669 - 1/11\n{page}\n"
            f"ECLI:BE:RVSCE:2026:ARR.265.500 VIII - 12.669 - 2/11\n{page}")
    assert str(own_ecli(text)) == "ECLI:BE:RVSCE:2026:ARR.265.500"
