"""One name per court across open-data sources: spellings as published in corpus-open."""

from __future__ import annotations

import pytest

from ingest.courts import canonical_chamber, canonical_court, country_code, split_court

# (court field as published, country/jurisdiction field, hint: _source and/or ECLI) -> result
CASES = [
    # Conseil d'État: France (several spellings) vs Belgium
    ("Conseil d'Etat", "", "", ("Conseil d'État", "")),
    ("Conseil d'État", "", "FR/CouncilState", ("Conseil d'État", "FR")),
    ("CE", "", "", ("Conseil d'État", "FR")),
    ("Section du Contentieux", "", "FR/CouncilState ECLI:FR:CECHR:2026:497460.20260302",
     ("Conseil d'État", "FR")),
    ("Section du Contentieux", "", "FR/CE-Fiscal", ("Conseil d'État", "FR")),
    ("Belgian Council of State", "", "BE/ConseilEtat", ("Conseil d'État (Belgique)", "BE")),
    ("Raad van State", "BE", "", ("Conseil d'État (Belgique)", "BE")),
    ("Conseil d'État", "", "BE/ConseilEtat", ("Conseil d'État (Belgique)", "BE")),
    # Cour de cassation told apart by country
    ("Cour de cassation", "", "FR/CASS", ("Cour de cassation", "FR")),
    ("cc", "", "FR/Judilibre", ("Cour de cassation", "FR")),
    ("Cour de cassation", "", "BE/CASS ECLI:BE:CASS:2025:ARR.20251208.3F.6",
     ("Cour de cassation de Belgique", "BE")),
    ("Cour de cassation", "", "BE/CourCassation-Fiscal", ("Cour de cassation de Belgique", "BE")),
    ("Cour de Cassation", "Luxembourg", "LU/SupremeCourt",
     ("Cour de cassation du Grand-Duché de Luxembourg", "LU")),
    ("Cour de cassation", "", "TN/CourDeCassation", ("Cour de cassation de Tunisie", "TN")),
    ("Cour de cassation", "", "", ("Cour de cassation", "")),  # no country: none invented
    # constitutional courts
    ("Belgian Constitutional Court", "", "BE/CourConstitutionnelle ECLI:BE:GHCC:2025:119",
     ("Cour constitutionnelle", "BE")),
    ("Conseil constitutionnel", "", "FR/ConseilConstitutionnel", ("Conseil constitutionnel", "FR")),
    # Belgian labour courts
    ("Cour du Travail Bruxelles", "", "BE/CourTravail", ("Cour du travail de Bruxelles", "BE")),
    ("Cour du Travail Liège", "", "", ("Cour du travail de Liège", "BE")),
    ("Tribunal du Travail Bruxelles", "", "BE/CourTravail",
     ("Tribunal du travail de Bruxelles", "BE")),
    # Luxembourg
    ("Tribunal administratif - Tribunal - Chambre 6", "Luxembourg", "LU/Courts",
     ("Tribunal administratif", "LU")),
    ("Tribunal administratif - Cour - Chambre ?", "Luxembourg", "LU/Courts",
     ("Cour administrative", "LU")),
    ("Tribunal administratif - 5e chambre", "Luxembourg", "LU/TribAdmin-TaxDecisions",
     ("Tribunal administratif", "LU")),
    ("CSJ/04. Chambre", "Luxembourg", "LU/Courts",
     ("Cour d'appel du Grand-Duché de Luxembourg", "LU")),
    ("Justice de Paix Luxembourg", "Luxembourg", "LU/Courts",
     ("Justice de paix de Luxembourg", "LU")),
    ("Tribunal d'arrondissement Luxembourg commerce/15. Chambre", "Luxembourg", "LU/Courts",
     ("Tribunal d'arrondissement de Luxembourg", "LU")),
    ("Tribunal d'arrondissement de et à Luxembourg", "", "",
     ("Tribunal d'arrondissement de Luxembourg", "LU")),
    # French courts named after their seat
    ("Tribunal Administratif de Marseille", "", "FR/CouncilState",
     ("Tribunal administratif de Marseille", "FR")),
    ("Cour administrative d'appel de Marseille", "", "FR/CouncilState",
     ("Cour administrative d'appel de Marseille", "FR")),
    ("Tribunal de Commerce de Rodez (Commercial Court Rodez)", "France", "INTL/CISGOnline",
     ("Tribunal de commerce de Rodez", "FR")),
    ("France, Cour d'appel de Paris (Court of Appeal of Paris)", "France", "INTL/NYC1958",
     ("Cour d'appel de Paris", "FR")),
    ("Canada, Cour du Québec", "Canada", "INTL/NYC1958", ("Cour du Québec", "CA")),
    # other countries, international courts (no country, whatever the seat)
    ("Cour suprême", "", "CI/CourSupreme", ("Cour suprême de Côte d'Ivoire", "CI")),
    ("tribunal-supreme", "", "MC/LegiMonaco", ("Tribunal suprême de Monaco", "MC")),
    ("tribunal-premiere-instance", "", "MC/LegiMonaco",
     ("Tribunal de première instance de Monaco", "MC")),
    ("Cour Commune de Justice et d'Arbitrage (CCJA)", "Côte d'Ivoire", "INTL/OHADA-CCJA",
     ("Cour commune de justice et d'arbitrage (OHADA)", "")),
    ("Court of Arbitration for Sport", "", "INTL/CAS-Sports", ("Tribunal arbitral du sport", "")),
    # no court field: the source's court, the ECLI's court, a court code
    ("", "", "FR/CNDA", ("Cour nationale du droit d'asile", "FR")),
    ("", "", "INTL/BeneluxCourt", ("Cour de justice Benelux", "")),
    ("", "", "ECLI:FR:CECHR:2026:495133.20260403", ("Conseil d'État", "FR")),
    ("", "", "CH/Entscheidsuche GE_CJ", ("Cour de justice de Genève", "CH")),
    ("", "", "INTL/RIAA", ("", "")),  # arbitral tribunals vary: no court invented
    ("", "", "", ("", "")),
]


@pytest.mark.parametrize(("raw", "country", "hint", "expected"), CASES)
def test_canonical_court(raw: str, country: str, hint: str, expected: tuple[str, str]) -> None:
    assert canonical_court(raw, country, hint) == expected


def test_one_name_per_court_across_sources() -> None:
    french = {canonical_court(raw, "", hint)[0] for raw, hint in [
        ("Conseil d'Etat", ""), ("Conseil d'État", "FR/CouncilState"), ("CE", ""),
        ("Section du Contentieux", "FR/CE-Fiscal"), ("", "ECLI:FR:CECHR:2026:1.2")]}
    assert french == {"Conseil d'État"}
    cassations = {canonical_court("Cour de cassation", c)[0] for c in ("FR", "BE", "LU", "TN")}
    assert len(cassations) == 4


def test_country_code() -> None:
    assert country_code("Luxembourg") == "LU"
    assert country_code("fr") == "FR"
    assert country_code("Côte d'Ivoire") == "CI"
    assert country_code("labour_law") == ""


def test_split_court_and_chamber() -> None:
    assert split_court("Tribunal administratif - 5e chambre") == ("Tribunal administratif",
                                                                  "5e chambre")
    assert split_court("CSJ/04. Chambre") == ("CSJ", "4e chambre")
    assert split_court("Tribunal administratif - Cour - Chambre ?") == ("Cour administrative", "")
    assert split_court("Tribunal d'arrondissement Luxembourg commerce/25. Chambre") == (
        "Tribunal d'arrondissement Luxembourg", "25e chambre (commerce)")
    assert split_court("Cour de cassation") == ("Cour de cassation", "")


def test_canonical_chamber() -> None:
    assert canonical_chamber("CHAMBRE_CIVILE_1") == "première chambre civile"
    assert canonical_chamber("civ1") == "première chambre civile"
    assert canonical_chamber("CHAMBRE_COMMERCIALE") == canonical_chamber("comm")
    assert canonical_chamber("1e chambre") == "1re chambre"
    assert canonical_chamber("4") == "4e chambre"
    assert canonical_chamber("?") == ""
    assert canonical_chamber("6ème chambre - formation à 3") == "6e chambre - formation à 3"
    assert canonical_chamber("3ème et 8ème chambres réunies") == "3e et 8e chambres réunies"
