"""Citations follow the style card of DESIGN.md."""

import pytest
from conftest import TAL_META

from assistant.citations import court_abbreviation, format_citation, format_date_fr
from store.records import JudgmentMeta

TAL = TAL_META
CA_PARIS = JudgmentMeta(
    id="ca-paris-20-05569",
    court="Cour d'appel de Paris",
    chamber="Pôle 5 - Chambre 11",
    date="2023-01-20",
    docket_number="RG 20/05569",
)
CASS = JudgmentMeta(
    id="cass-15-12253",
    court="Cour de cassation",
    chamber="chambre commerciale, financière et économique",
    date="2017-02-22",
    docket_number="pourvoi n° 15-12.253",
)


def test_luxembourg_judgment_with_section_and_paragraph():
    citation = format_citation(
        TAL,
        section_path=(
            "MOTIFS DE LA DÉCISION",
            "Quant au fond",
            "a) Quant aux pannes survenues en cours d'exécution de contrat",
        ),
        section_kind="reasons",
        paragraph_start=57,
        paragraph_end=57,
    )
    assert citation == (
        "Trib. arr. Luxembourg, XIe ch., 24 janvier 2025, n° 2025TALCH11/00011 "
        "(rôle TAL-2021-06580), Motifs › a) Quant aux pannes survenues en cours d'exécution de "
        "contrat, § 57"
    )


def test_court_of_appeal_with_paragraph_and_page():
    citation = format_citation(CA_PARIS, paragraph_start=12, paragraph_end=12, page_start=4,
                               page_end=4)
    assert citation == "CA Paris, pôle 5 ch. 11, 20 janvier 2023, RG n° 20/05569, § 12, p. 4"


def test_cour_de_cassation_chamber_is_abbreviated():
    assert format_citation(CASS) == "Cass. com., 22 février 2017, pourvoi n° 15-12.253"


def test_ranges_of_paragraphs_and_pages():
    citation = format_citation(CASS, paragraph_start=3, paragraph_end=5, page_start=1, page_end=2)
    assert citation.endswith("§§ 3-5, pp. 1-2")


def test_operative_part_is_named_dispositif():
    citation = format_citation(TAL, section_path=("PAR CES MOTIFS",), section_kind="operative",
                               paragraph_start=120)
    assert citation.endswith("(rôle TAL-2021-06580), Dispositif, § 120")


def test_unknown_metadata_is_left_out_not_invented():
    meta = JudgmentMeta(id="sha-0123", source_path="corpus/unknown.txt")
    assert format_citation(meta, paragraph_start=2) == "unknown.txt, § 2"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"source_path": "/srv/judgments/2024/a.pdf"}, "a.pdf, § 1"),
        ({"source_path": r"C:\Users\me\b.docx"}, "b.docx, § 1"),
        ({"source_path": "/srv/x.txt", "title": "SOCIETE1.) c/ PERSONNE2.)"},
         "SOCIETE1.) c/ PERSONNE2.), § 1"),
        ({"source_path": "/srv/x.txt", "date": "2020-03-02", "decision_number": "12/2020"},
         "x.txt, 2 mars 2020, n° 12/2020, § 1"),
        ({"source_path": "/srv/y.txt", "court": "Cour d'appel de Paris"}, "y.txt, CA Paris, § 1"),
        ({"source_path": "", "id": "sha-9"}, "sha-9, § 1"),
    ],
)
def test_without_court_or_date_the_title_or_file_name_names_the_decision(fields, expected):
    meta = JudgmentMeta(**{"id": "sha-0123", **fields})
    citation = format_citation(meta, paragraph_start=1)
    assert citation == expected
    assert "/srv" not in citation and "Users" not in citation


@pytest.mark.parametrize(
    ("iso", "expected"),
    [("2025-01-24", "24 janvier 2025"), ("2021-06-01", "1er juin 2021"), ("", ""), ("2021", "")],
)
def test_dates_in_french(iso, expected):
    assert format_date_fr(iso) == expected


@pytest.mark.parametrize(
    ("court", "chamber", "expected"),
    [
        ("Cour de cassation du Grand-Duché de Luxembourg", "", "Cass. lux."),
        ("Tribunal de commerce de La Roche-sur-Yon", "", "T. com. La Roche-sur-Yon"),
        ("Cour d'appel de Chambéry", "", "CA Chambéry"),
        ("Cour de cassation", "chambre sociale", "Cass. soc."),
        ("Cour de cassation", "première chambre civile", "Cass. civ. 1re"),
    ],
)
def test_court_abbreviations(court, chamber, expected):
    assert court_abbreviation(court, chamber)[0] == expected
