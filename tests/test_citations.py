"""Citations follow the style card of DESIGN.md."""

import pytest
from conftest import TAL_META

from assistant.citations import (
    citation_with_ecli,
    country_label,
    court_abbreviation,
    format_citation,
    format_date_fr,
)
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


def test_text_before_the_judgment_s_own_paragraph_1_gets_no_paragraph_number():
    """A judgment that numbers its paragraphs numbers the header before « 1. » 0: no « § 0 »
    is cited, and a passage running into the numbered paragraphs reads from § 1."""
    assert format_citation(CASS, paragraph_start=0, paragraph_end=0, page_start=1,
                           page_end=1).endswith("pourvoi n° 15-12.253, p. 1")
    assert format_citation(CASS, paragraph_start=0, paragraph_end=2).endswith(", §§ 1-2")
    assert format_citation(CASS, paragraph_start=0, paragraph_end=1).endswith(", § 1")


def test_the_court_s_lettered_paragraph_labels_are_cited_as_printed():
    """A Cour constitutionnelle passage is cited « B.5.2 » or « A.1-A.5.1 », not by a count;
    a passage only partly under labels falls back to the count."""
    meta = JudgmentMeta(id="cc", court="Cour constitutionnelle", date="2025-09-18",
                        decision_number="2025/119", country="BE")
    assert format_citation(meta, ("II. En droit", "- B -"), "reasons", 12, 12,
                           paragraph_label_start="B.5.2",
                           paragraph_label_end="B.5.2").endswith(", Motifs, B.5.2")
    assert format_citation(meta, (), "reasons", 3, 7, paragraph_label_start="A.1",
                           paragraph_label_end="A.5.1").endswith(", A.1-A.5.1")
    assert format_citation(meta, (), "reasons", 2, 3, paragraph_label_start="",
                           paragraph_label_end="A.1").endswith(", §§ 2-3")


def test_operative_part_is_named_dispositif():
    citation = format_citation(TAL, section_path=("PAR CES MOTIFS",), section_kind="operative",
                               paragraph_start=120)
    assert citation.endswith("(rôle TAL-2021-06580), Dispositif, § 120")


def test_the_prosecutors_opinion_is_cited_as_such_not_as_the_ruling():
    citation = format_citation(TAL, section_path=("Conclusions du Parquet Général",),
                               section_kind="opinion", paragraph_start=3)
    assert citation.endswith("(rôle TAL-2021-06580), Conclusions du ministère public, § 3")


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


# -- the open-data courts (values copied from ../shared/corpus-open records) --------------------


def _meta(**fields: str) -> JudgmentMeta:
    return JudgmentMeta(**{"id": "j", **fields})


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(  # records/FR_CE-Fiscal_113e978fb0.json
            {"court": "Conseil d'État", "country": "FR", "date": "2026-04-03",
             "decision_number": "495133", "chamber": "3ème et 8ème chambres réunies",
             "ecli": "ECLI:FR:CECHR:2026:495133.20260403"},
            "CE, 3e-8e ch. réunies, 3 avril 2026, n° 495133", id="CE-chambres-reunies"),
        pytest.param(  # the formation unknown; the number as a docket
            {"court": "Conseil d'État", "country": "FR", "date": "2024-03-12",
             "docket_number": "470123"},
            "CE, 12 mars 2024, n° 470123", id="CE"),
        pytest.param(  # records/FR_CE-Fiscal_5be369a84a.json
            {"court": "Conseil d'État", "country": "FR", "date": "2026-03-11",
             "decision_number": "509818", "chamber": "9ème chambre"},
            "CE, 9e ch., 11 mars 2026, n° 509818", id="CE-chambre"),
        pytest.param(  # records/FR_ConseilConstitutionnel_06c61b7b26.json: nature from the ECLI
            {"court": "Conseil constitutionnel", "country": "FR", "date": "1993-11-16",
             "decision_number": "93-1582", "ecli": "ECLI:FR:CC:1993:93.1582.AN"},
            "Cons. const., 16 novembre 1993, n° 93-1582 AN", id="Cons-const"),
        pytest.param(
            {"court": "Conseil constitutionnel", "country": "FR", "date": "2024-03-12",
             "decision_number": "2024-1083 QPC"},
            "Cons. const., 12 mars 2024, n° 2024-1083 QPC", id="Cons-const-QPC"),
        pytest.param(  # records/BE_CourCassation-Fiscal_03acccf6c8.json
            {"court": "Cour de cassation de Belgique", "country": "BE", "chamber": "3F",
             "date": "2026-02-09", "docket_number": "F.23.0036.F",
             "ecli": "ECLI:BE:CASS:2026:ARR.20260209.3F.3"},
            "Cass. (3e ch.), 9 février 2026, F.23.0036.F", id="Cass-BE"),
        pytest.param(  # records/BE_CourCassation-Fiscal_0de9fb143d.json, chamber spelt out
            {"court": "Cour de cassation", "country": "BE", "chamber": "première chambre",
             "date": "2026-01-30", "decision_number": "F.23.0006.F"},
            "Cass. (1re ch.), 30 janvier 2026, F.23.0006.F", id="Cass-BE-1re"),
        pytest.param(  # no chamber: the country says which Cassation
            {"court": "Cour de cassation de Belgique", "date": "2025-12-08",
             "docket_number": "S.20.0070.F"},
            "Cass. (Belgique), 8 décembre 2025, S.20.0070.F", id="Cass-BE-no-chamber"),
        pytest.param(  # records/BE_CourConstitutionnelle_04301f94e0.json (arret_nr 2025/119)
            {"court": "Cour constitutionnelle", "country": "BE", "date": "2025-09-18",
             "decision_number": "2025/119", "ecli": "ECLI:BE:GHCC:2025:119"},
            "C. const., 18 septembre 2025, n° 119/2025", id="C-const-BE"),
        pytest.param(  # records/BE_ConseilEtat_0066407905.json (arret_nr 265501)
            {"court": "Conseil d'État (Belgique)", "country": "BE", "date": "2026-01-21",
             "decision_number": "265501"},
            "C.E. (Belgique), 21 janvier 2026, n° 265.501", id="CE-BE"),
        pytest.param(  # records/BE_CourTravail_2021025cae.json
            {"court": "Cour du travail de Bruxelles", "country": "BE", "date": "2025-05-11",
             "ecli": "ECLI:BE:CTBRL:2025:ARR.20250511.1"},
            "C. trav. Bruxelles, 11 mai 2025", id="C-trav"),
        pytest.param(  # records/BE_CourTravail_14ed2367c3.json
            {"court": "Tribunal du travail de Bruxelles", "country": "BE", "date": "2025-01-23"},
            "Trib. trav. Bruxelles, 23 janvier 2025", id="Trib-trav"),
        pytest.param(
            {"court": "Cour de cassation du Grand-Duché de Luxembourg", "country": "LU",
             "date": "2018-07-10", "decision_number": "79/2018"},
            "Cass. lux., 10 juillet 2018, n° 79/2018", id="Cass-LU"),
        pytest.param(  # records/LU_TribAdmin-TaxDecisions_350fd11f18.json
            {"court": "Tribunal administratif", "country": "LU", "chamber": "5",
             "date": "2026-03-18", "docket_number": "50495",
             "ecli": "ECLI:LU:TADM:2026:50495"},
            "Trib. adm., 5e ch., 18 mars 2026, n° 50495", id="TA-LU"),
        pytest.param(  # records/LU_Courts_ddb589ca37.json
            {"court": "Cour administrative", "country": "LU", "date": "2026-03-26",
             "decision_number": "54047C", "ecli": "ECLI:LU:CADM:2026:54047"},
            "Cour adm., 26 mars 2026, n° 54047C", id="Cour-adm-LU"),
        pytest.param(  # records/LU_Courts_1c021bff34.json (CSJ/04. Chambre)
            {"court": "Cour d'appel du Grand-Duché de Luxembourg", "country": "LU",
             "chamber": "04. Chambre", "date": "2026-03-27", "docket_number": "CAL-2024-00067"},
            "CA Luxembourg, 4e ch., 27 mars 2026, rôle CAL-2024-00067", id="CA-LU"),
        pytest.param(  # records/FR_CNDA_09dc9c6fa2.json
            {"court": "Cour nationale du droit d'asile", "country": "FR", "date": "2026-02-26",
             "decision_number": "23028255"},
            "CNDA, 26 février 2026, n° 23028255", id="CNDA"),
        pytest.param(  # records/FR_CdesC_2d87a91667.json: a report, no number
            {"court": "Cour des comptes", "country": "FR", "date": "2026-03-18"},
            "C. comptes, 18 mars 2026", id="C-comptes"),
        pytest.param(  # records/FR_CouncilState_00219a20dc.json
            {"court": "Cour administrative d'appel de Marseille", "country": "FR",
             "chamber": "6ème chambre - formation à 3", "date": "2026-03-02",
             "decision_number": "25MA00101"},
            "CAA Marseille, 6e ch., 2 mars 2026, n° 25MA00101", id="CAA"),
        pytest.param(  # records/FR_CASS_048877cf2b.json: the pourvoi, not the internal number
            {"court": "Cour de cassation", "country": "FR", "chamber": "CHAMBRE_CIVILE_1",
             "date": "2026-02-11", "decision_number": "12600098", "docket_number": "24-18329",
             "ecli": "ECLI:FR:CCASS:2026:C100098"},
            "Cass. civ. 1re, 11 février 2026, pourvoi n° 24-18.329", id="Cass-FR-open-data"),
        pytest.param(  # records/FR_Judilibre_055fef1594.json
            {"court": "Cour de cassation", "country": "FR", "chamber": "comm",
             "date": "2025-06-12", "decision_number": "24-13.697"},
            "Cass. com., 12 juin 2025, pourvoi n° 24-13.697", id="Cass-FR-Judilibre"),
        pytest.param(  # records/TN_CourDeCassation_07d8302bf9.json: not the French Cassation
            {"court": "Cour de cassation", "country": "TN", "date": "2015-01-02",
             "decision_number": "2015-21606"},
            "Cour de cassation (Tunisie), 2 janvier 2015, n° 2015-21606", id="Cass-TN"),
        pytest.param(  # records/CI_CourSupreme_1ab5de81e1.json: unknown court, full name
            {"court": "Cour suprême de Côte d'Ivoire", "country": "CI", "date": "2016-03-01",
             "decision_number": "214/16"},
            "Cour suprême de Côte d'Ivoire, 1er mars 2016, n° 214/16", id="unknown-court"),
        pytest.param(
            {"court": "Cour suprême", "country": "CI", "date": "2016-03-01"},
            "Cour suprême (Côte d'Ivoire), 1er mars 2016", id="generic-name-gets-country"),
        pytest.param(  # records/FR_ConseilConstitutionnel_0c1c02d930.json, number given twice
            {"court": "Conseil constitutionnel", "country": "FR", "date": "1993-09-22",
             "decision_number": "93-1515", "docket_number": "n° 93-1515",
             "ecli": "ECLI:FR:CC:1993:93.1515.AN"},
            "Cons. const., 22 septembre 1993, n° 93-1515 AN", id="one-number-twice"),
        pytest.param(  # records/LU_TribAdmin-TaxDecisions_a7cc*.json, number given twice
            {"court": "Tribunal administratif", "country": "LU", "chamber": "5e chambre",
             "date": "2026-03-25", "decision_number": "45846", "docket_number": "45846"},
            "Trib. adm., 5e ch., 25 mars 2026, n° 45846", id="one-number-twice-LU"),
        pytest.param(  # records/INTL_NYC1958_67ab689597.json: a French docket is an RG number
            {"court": "Cour d'appel de Paris", "country": "FR", "date": "2023-01-10",
             "docket_number": "18/14721"},
            "CA Paris, 10 janvier 2023, RG n° 18/14721", id="RG-FR"),
        pytest.param(  # records/INTL_CAS-Sports_df300885ad.json: no country, no "rôle"
            {"court": "Tribunal arbitral du sport", "country": "", "date": "2023-10-27",
             "docket_number": "2022/A/9056"},
            "Tribunal arbitral du sport, 27 octobre 2023, n° 2022/A/9056", id="docket-no-country"),
        pytest.param(  # a Luxembourg court known by its seat: the docket is a "rôle"
            {"court": "Tribunal d'arrondissement de Diekirch", "date": "2023-10-27",
             "docket_number": "TAD-2022-00123"},
            "Trib. arr. Diekirch, 27 octobre 2023, rôle TAD-2022-00123", id="docket-LU-seat"),
        pytest.param(  # records/INTL_NYC1958_43b4906a99.json
            {"court": "Cour du Québec", "country": "CA", "date": "2022-06-28",
             "docket_number": "500-22-268503-219"},
            "Cour du Québec, 28 juin 2022, n° 500-22-268503-219", id="docket-abroad"),
        pytest.param(  # records/CH_Entscheidsuche_2f4f0b7a19.json: not a French TA with a seat
            {"court": "Tribunal administratif fédéral", "country": "CH", "date": "2026-02-05",
             "docket_number": "E-9839/2025"},
            "Tribunal administratif fédéral, 5 février 2026, n° E-9839/2025", id="TA-federal-CH"),
    ],
)  # fmt: skip
def test_open_data_courts_are_cited_in_their_own_style(fields, expected):
    assert format_citation(_meta(**fields)) == expected


def test_the_two_conseils_d_etat_and_cassations_never_read_alike():
    fr = format_citation(_meta(court="Conseil d'État", country="FR", date="2026-01-21"))
    be = format_citation(_meta(court="Conseil d'État", country="BE", date="2026-01-21"))
    assert fr.startswith("CE, ") and be.startswith("C.E. (Belgique), ")
    # the same name "Cour de cassation", told apart by the country (or the ECLI when unset)
    names = {
        format_citation(_meta(court="Cour de cassation", date="2026-01-21", **extra)).split(",")[0]
        for extra in ({"country": "FR"}, {"country": "BE"}, {"country": "LU"},
                      {"country": "TN"}, {"ecli": "ECLI:BE:CASS:2026:ARR.20260121.1F.1"})
    }  # fmt: skip
    assert names == {"Cass.", "Cass. (Belgique)", "Cass. lux.", "Cour de cassation (Tunisie)"}


def test_the_ecli_follows_the_citation_only_when_known():
    citation = "CE, 12 mars 2024, n° 470123"
    assert citation_with_ecli(citation, "ECLI:FR:CECHR:2024:470123.20240312") == (
        "CE, 12 mars 2024, n° 470123 — ECLI:FR:CECHR:2024:470123.20240312"
    )
    assert citation_with_ecli(citation, "") == citation
    meta = _meta(court="Conseil d'État", country="FR", date="2024-03-12",
                 decision_number="470123", ecli="ECLI:FR:CECHR:2024:470123.20240312")  # fmt: skip
    assert "ECLI" not in format_citation(meta, paragraph_start=3)  # the citation stays bare


@pytest.mark.parametrize(
    ("code", "label"),
    [("FR", "France (FR)"), ("BE", "Belgique (BE)"), ("LU", "Luxembourg (LU)"),
     ("XK", "XK"), ("", "Pays inconnu")],
)  # fmt: skip
def test_country_labels(code, label):
    assert country_label(code) == label
