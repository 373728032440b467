"""Open-data exports: JSON records, JSON Lines, DILA XML (issue 12).

Every file under tests/data/open/ is a real file copied from ../shared/corpus-open (records/ and
dila-cass/), except JADE_built_CETATEXT000099999001.xml: corpus-open has no JADE export, so that
one is BUILT for the tests, following the DILA JADE schema (TEXTE_JURI_ADMIN) around the real
text of the Conseil d'État decision n° 497009 (records/FR_CouncilState_ea508d09c5.json). Other
built inputs (a Judilibre API decision with zones, JSON Lines, bad files) are made in the tests
from those real records and say so.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from assistant.cli import EXIT_FAILED, EXIT_OK, main
from ingest.canonical import canonicalize
from ingest.chunk import chunk_judgment
from ingest.open_data import is_record_file, read_records
from ingest.parse import judgment_from_record
from store.errors import InputFileError
from store.records import Judgment
from store.store import Store

DATA = Path(__file__).resolve().parent / "data" / "open"


@pytest.fixture(autouse=True)
def hash_model(monkeypatch):
    monkeypatch.setenv("LEGAL_ASSISTANT_EMBEDDINGS", "hash")


def judgment_of(name: str | Path) -> Judgment:
    batch = read_records(DATA / name if isinstance(name, str) else name)
    assert len(batch.records) == 1 and not batch.errors
    return judgment_from_record(batch.records[0])


def record_json(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


# --- one real file per format and source ------------------------------------------------------


def test_french_conseil_d_etat_record() -> None:
    j = judgment_of("FR_CouncilState_ea508d09c5.json")  # court: "Section du Contentieux"
    m = j.meta
    assert (m.court, m.country, m.date) == ("Conseil d'État", "FR", "2026-03-02")
    assert m.docket_number == "497009"
    assert m.ecli == "ECLI:FR:CECHR:2026:497009.20260302"
    assert m.chamber == "6e et 5e chambres réunies"
    assert m.url == "https://www.conseil-etat.fr/arianeweb/CE/decision/20260302/497009"
    assert m.id == "conseil-d-etat-497009"
    assert j.text == canonicalize(record_json("FR_CouncilState_ea508d09c5.json")["text"]).text


def test_record_without_ecli_has_none() -> None:
    m = judgment_of("FR_CE-Fiscal_5be369a84a.json").meta  # "ecli": null
    assert (m.court, m.country, m.date, m.ecli) == ("Conseil d'État", "FR", "2026-03-11", "")
    assert (m.docket_number, m.chamber) == ("509818", "9e chambre")


def test_belgian_constitutional_court_record_and_its_year_only_date() -> None:
    j = judgment_of("BE_CourConstitutionnelle_7b476a7aa8.json")
    m = j.meta
    assert (m.court, m.country) == ("Cour constitutionnelle", "BE")
    assert m.decision_number == "2025/141"
    assert m.ecli == "ECLI:BE:GHCC:2025:141"
    # the record's date is "2025-01-01" (the year); the arrêt states its day
    assert record_json("BE_CourConstitutionnelle_7b476a7aa8.json")["date"] == "2025-01-01"
    assert "du 23 octobre 2025" in j.text
    assert m.date == "2025-10-23"
    assert any("2025-01-01 taken as the year only" in w for w in j.warnings)


def test_belgian_council_of_state_and_cassation_records() -> None:
    ce = judgment_of("BE_ConseilEtat_eca25a3c86.json").meta  # "Belgian Council of State"
    assert (ce.court, ce.country, ce.date) == ("Conseil d'État (Belgique)", "BE", "2026-01-19")
    assert ce.decision_number == "265461"
    cass = judgment_of("BE_CASS_b7716c63fe.json")
    m = cass.meta
    assert (m.court, m.country, m.date) == ("Cour de cassation de Belgique", "BE", "2025-12-08")
    assert (m.docket_number, m.chamber) == ("S.19.0064.F", "3F")
    assert m.ecli == "ECLI:BE:CASS:2025:ARR.20251208.3F.4"
    assert m.summary.startswith("Résumé : Constitue un usage au sens des articles 1135")
    # the court writes "au sens de ces dispositions"; the abstract "au sens des articles"
    assert "Constitue un usage au sens des articles" not in cass.text


def test_luxembourg_records() -> None:
    tal = judgment_of("LU_Courts_ec7fc3faec.json").meta
    # court: "Tribunal d'arrondissement Luxembourg commerce/15. Chambre"
    assert (tal.court, tal.country, tal.date) == (
        "Tribunal d'arrondissement de Luxembourg", "LU", "2026-03-27")
    assert tal.chamber == "15e chambre (commerce)"
    assert tal.docket_number == "TAL-2025-10367"
    cass = judgment_of("LU_SupremeCourt_faf848aa65.json").meta  # "Cour de Cassation"
    assert (cass.court, cass.country, cass.date) == (
        "Cour de cassation du Grand-Duché de Luxembourg", "LU", "1997-02-20")
    assert (cass.decision_number, cass.docket_number) == ("1341", "CASS-1341")


def test_tunisian_cour_de_cassation_is_told_apart() -> None:
    m = judgment_of("TN_CourDeCassation_315a566d50.json").meta
    assert (m.court, m.country, m.date) == ("Cour de cassation de Tunisie", "TN", "2017-12-08")
    assert m.docket_number == "54804-2017"


def test_belgian_labour_court_record() -> None:
    m = judgment_of("BE_CourTravail_4b889b3c38.json").meta
    assert (m.court, m.country, m.date) == ("Tribunal du travail de Bruxelles", "BE", "2026-01-23")
    assert m.ecli == "ECLI:BE:TTBRL:2026:ORD.20260123.1"


def test_a_judgment_republished_by_an_authority_keeps_the_court_of_the_record() -> None:
    # an ECHR judgment published by the Défenseur des droits: no court field, the court is
    # the record's author; the text names the cour d'appel de Versailles (an earlier stage)
    name = "FR_DefenseurDroits_768e062231.json"
    value = record_json(name)
    assert not value.get("court") and value["authors"].startswith("Cour européenne")
    assert "cour d’appel de Versailles" in value["text"]
    m = judgment_of(name).meta
    assert (m.court, m.country) == ("Cour européenne des droits de l'homme", "")
    assert (m.decision_number, m.date) == ("34324/24", "2026-03-19")


def test_constitutional_court_paragraphs_and_chunks_carry_its_lettered_labels() -> None:
    """Its arrêt labels the parties' arguments A.1, A.2 and the Court's reasons B.1 to B.4;
    a chunk is cited by the labels it runs over (one cut inside A.1 reads A.1-A.2), and the
    procedure before them and the operative part carry none."""
    j = judgment_of("BE_CourConstitutionnelle_7b476a7aa8.json")
    assert [p.label for p in j.paragraphs if p.label] == ["A.1", "A.2", "B.1", "B.2", "B.3",
                                                          "B.4"]
    for p in j.paragraphs:
        if p.label:
            assert j.text[p.char_start:].startswith(p.label + ". ")
    by_kind = {c.section_kind: c for c in chunk_judgment(j)}
    assert (by_kind["reasons"].paragraph_label_start,
            by_kind["reasons"].paragraph_label_end) == ("B.1", "B.4")
    assert by_kind["operative"].paragraph_label_start == ""
    assert by_kind["procedure"].paragraph_label_start == ""
    inside = next(c for c in chunk_judgment(j) if c.text.startswith("En ce qui concerne"))
    assert (inside.paragraph_label_start, inside.paragraph_label_end) == ("A.1", "A.2")


def test_a_constitutional_court_passage_is_cited_by_its_label(tmp_path: Path, capsys) -> None:
    """Ingested and asked, a passage of the Court's reasons is cited « B.1-B.4 » in the
    answer, as the Court prints its paragraphs."""
    store = tmp_path / "store"
    assert ingest(store, DATA / "BE_CourConstitutionnelle_7b476a7aa8.json") == EXIT_OK
    capsys.readouterr()
    assert main(["ask", "--store", str(store), "--json", "--k", "6",
                 "La Cour constitutionnelle est-elle compétente pour statuer ?"]) == EXIT_OK
    passages = json.loads(capsys.readouterr().out)["passages"]
    reasons = next(p for p in passages if "B.2. La Cour constitutionnelle est" in p["text"])
    assert (reasons["paragraph_label_start"], reasons["paragraph_label_end"]) == ("B.1", "B.4")
    assert reasons["citation"].endswith(", Motifs, B.1-B.4")  # not « Motifs › - B- »
    for p in passages:
        first, last = p["paragraph_label_start"], p["paragraph_label_end"]
        if first:
            assert p["citation"].endswith(first if first == last else f"{first}-{last}")


def test_old_constitutional_court_text_with_typesetting_codes_states_its_day() -> None:
    name = "BE_CourConstitutionnelle_14e01dee5b.json"  # "$f$No 41/90 Arrêt du 21 décembre
    raw = record_json(name)["text"]  # 1990", "$p$II. Les faits", ... ; record date 1990-01-01
    assert raw.startswith("$f$") and record_json(name)["date"] == "1990-01-01"
    j = judgment_of(name)
    assert j.meta.date == "1990-12-21"
    assert any("1990-01-01 taken as the year only" in w for w in j.warnings)
    assert not re.search(r"\$[a-z]{1,3}\$", j.text)
    assert j.text.startswith("No 41/90 Arrêt du 21 décembre 1990")
    # a code opens a paragraph: "$p$II. Les faits et la procédure" starts one
    assert "\n\nII. Les faits et la procédure" in j.text


def test_text_on_one_line_is_cut_into_paragraphs_at_sentence_ends() -> None:
    name = "BE_CourCassation-Fiscal_6097023bd3.json"
    raw = record_json(name)["text"]
    assert "\n" not in raw and len(raw) > 5000
    j = judgment_of(name)
    assert len(j.paragraphs) >= 5
    # only the space at each cut became a blank line
    assert j.text.replace("\n\n", " ") == re.sub(r"\s+", " ", raw).strip()
    for paragraph in j.paragraphs:
        body = j.text[paragraph.char_start:paragraph.char_end]
        assert "\n\n" not in body and len(body) <= 2000
        assert body[-1] in ".!?:;»…" or paragraph is j.paragraphs[-1]
    assert "\n\nPar ces motifs," in j.text  # the operative part opens a paragraph
    chunks = chunk_judgment(j)
    assert len(chunks) > 1
    assert all(c.text == j.text[c.char_start:c.char_end] for c in chunks)


def test_judilibre_record() -> None:
    j = judgment_of("FR_Judilibre_9fd6909cf3.json")  # jurisdiction "cc", chamber "civ1"
    m = j.meta
    assert (m.court, m.country, m.date) == ("Cour de cassation", "FR", "2025-06-12")
    assert m.chamber == "première chambre civile"
    assert m.docket_number == "pourvoi n° 24-12.552"
    assert m.ecli == "ECLI:FR:CCASS:2025:C100415"
    assert m.id == "cass-24-12-552"  # as parsing the same decision's text gives it
    assert m.summary == "Titrage : regimes matrimoniaux"


def test_cassation_record_keeps_its_sommaire_out_of_the_text() -> None:
    raw = record_json("FR_CASS_bc22ace4ec.json")
    assert "\nSOMMAIRE:\n[PRINCIPAL] BAIL RURAL" in raw["text"]  # Légifrance appends it
    j = judgment_of("FR_CASS_bc22ace4ec.json")
    m = j.meta
    assert (m.court, m.country, m.date) == ("Cour de cassation", "FR", "2026-02-12")
    assert m.chamber == "troisième chambre civile"
    assert (m.decision_number, m.docket_number) == ("32600113", "pourvoi n° 24-22.148")
    assert m.ecli == "ECLI:FR:CCASS:2026:C300113"
    assert m.summary.startswith("Titrage : BAIL RURAL\n\nSommaire : Une clause de reprise "
                                "sexennale ne peut être introduite")
    assert "SOMMAIRE" not in j.text and "BAIL RURAL" not in j.text
    assert raw["analyse"][:120] not in j.text
    assert j.text.endswith("dans les conditions prévues au deuxième alinéa de l'article 450 du "
                           "code de procédure civile.")
    assert not any(raw["analyse"][:60] in c.text for c in chunk_judgment(j))


def test_dila_cass_xml() -> None:
    j = judgment_of("JURITEXT000048389562.xml")
    m = j.meta
    assert (m.court, m.country, m.date) == ("Cour de cassation", "FR", "2023-10-25")
    assert m.chamber == "chambre commerciale, financière et économique"
    assert (m.decision_number, m.docket_number) == ("42300690", "pourvoi n° 22-15.776")
    assert m.ecli == "ECLI:FR:CCASS:2023:CO00690"
    assert m.url == "https://www.legifrance.gouv.fr/juri/id/JURITEXT000048389562"
    assert m.title.startswith("Cour de cassation, civile, Chambre commerciale, 25 octobre 2023")
    assert j.text.startswith("LA COUR DE CASSATION, CHAMBRE COMMERCIALE, a rendu l'arrêt "
                             "suivant :\n\nCOMM.")
    assert "<br" not in j.text and "\n\nAudience publique du 25 octobre 2023\n\n" in j.text
    # SOMMAIRE (titrage SCT and abstract ANA) in the summary, never in the text
    assert m.summary.startswith("Titrage : ENTREPRISE EN DIFFICULTE (loi du 26 juillet 2005)")
    assert "\n\nSommaire : En l'absence de disposition du code de commerce" in m.summary
    assert "ENTREPRISE EN DIFFICULTE" not in j.text
    assert "cette voie lui est ouverte et que le pourvoi formé contre le jugement" not in j.text


def test_jade_xml_built_after_the_dila_schema() -> None:
    """JADE_built_...xml is BUILT (no JADE file in corpus-open): the DILA JADE layout around
    the real text of the Conseil d'État decision n° 497009."""
    j = judgment_of("JADE_built_CETATEXT000099999001.xml")
    m = j.meta
    # JURIDICTION "Conseil d'Etat"
    assert (m.court, m.country, m.date) == ("Conseil d'État", "FR", "2026-03-02")
    assert (m.decision_number, m.docket_number) == ("", "497009")
    assert m.ecli == "ECLI:FR:CECHR:2026:497009.20260302"
    assert m.chamber == "6e - 5e chambres réunies"
    assert m.url == "https://www.legifrance.gouv.fr/ceta/id/CETATEXT000099999001"
    assert j.text.startswith("Vu les procédures suivantes :\n\n1° Sous le n° 497009, par une")
    assert m.summary.startswith("Titrage : EAUX - Plans d'eau")
    assert "Résumé écrit pour le test" in m.summary and "Résumé écrit" not in j.text
    # the same decision as the JSON record: one id, so the second source is a duplicate
    assert m.id == judgment_of("FR_CouncilState_ea508d09c5.json").id


def test_judilibre_api_decision_with_zones_gives_the_sections(tmp_path: Path) -> None:
    """BUILT: a Judilibre API decision (text, zones, jurisdiction, chamber, decision_date,
    number, ecli, themes) made from the real record FR_Judilibre_9fd6909cf3.json, its zones
    set at the decision's own headings."""
    real = record_json("FR_Judilibre_9fd6909cf3.json")
    text = real["text"]
    at = {h: text.index(h) for h in ("Faits et procédure", "Examen du moyen",
                                     "Réponse de la Cour", "PAR CES MOTIFS")}
    api = {
        "id": real["_id"], "jurisdiction": "cc", "chamber": "civ1", "number": "24-12.552",
        "decision_date": "2025-06-12", "ecli": real["ecli"], "themes": ["Régimes matrimoniaux"],
        "summary": "Sommaire écrit pour le test : récompense due à la communauté.",
        "text": text,
        "zones": {
            "introduction": [{"start": 0, "end": at["Faits et procédure"]}],
            "expose": [{"start": at["Faits et procédure"], "end": at["Examen du moyen"]}],
            "moyens": [{"start": at["Examen du moyen"], "end": at["Réponse de la Cour"]}],
            "motivations": [{"start": at["Réponse de la Cour"], "end": at["PAR CES MOTIFS"]}],
            "dispositif": [{"start": at["PAR CES MOTIFS"], "end": len(text)}],
        },
    }
    j = judgment_of(_write(tmp_path / "judilibre.json", api))
    assert [(s.path, s.kind) for s in j.sections] == [
        (("Introduction",), "header"), (("Exposé du litige",), "facts"), (("Moyens",), "claims"),
        (("Motivation",), "reasons"), (("Dispositif",), "operative")]
    for section, (start, end) in zip(j.sections, [
            (0, at["Faits et procédure"]), (at["Faits et procédure"], at["Examen du moyen"]),
            (at["Examen du moyen"], at["Réponse de la Cour"]),
            (at["Réponse de la Cour"], at["PAR CES MOTIFS"]), (at["PAR CES MOTIFS"], len(text))],
            strict=True):
        assert j.text[section.char_start:section.char_end] == canonicalize(text[start:end]).text
    m = j.meta
    assert (m.court, m.country, m.date) == ("Cour de cassation", "FR", "2025-06-12")
    assert (m.chamber, m.docket_number) == ("première chambre civile", "pourvoi n° 24-12.552")
    assert m.summary == ("Sommaire : Sommaire écrit pour le test : récompense due à la "
                         "communauté.\n\nTitrage : Régimes matrimoniaux")
    assert "Sommaire écrit" not in j.text
    chunks = chunk_judgment(j)
    assert {c.section_kind for c in chunks} == {"header", "facts", "claims", "reasons",
                                                "operative"}
    assert all(c.text == j.text[c.char_start:c.char_end] for c in chunks)
    assert next(c for c in chunks if c.section_kind == "operative").text.startswith(
        "PAR CES MOTIFS")


def _write(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


# --- bad input ------------------------------------------------------------------------------


def test_record_without_text_is_refused_naming_the_file(tmp_path: Path) -> None:
    record = record_json("BE_ConseilEtat_eca25a3c86.json") | {"text": ""}
    path = _write(tmp_path / "no_text.json", record)
    with pytest.raises(InputFileError) as error:
        read_records(path)
    assert error.value.path == str(path)
    assert "record without text" in error.value.reason and '"text" is empty' in error.value.reason


def test_record_whose_text_is_only_its_abstract_is_refused(tmp_path: Path) -> None:
    """BUILT from a real Belgian record: corpus-open's BE_CourCassation-Fiscal_2a9b17398f.json
    (conclusions, ECLI ...:CONC...) publishes only the abstract as its "text"."""
    record = record_json("BE_CASS_b7716c63fe.json")
    record["text"] = record["abstract"]
    path = _write(tmp_path / "fiche.json", record)
    with pytest.raises(InputFileError, match="its \"text\" is the record's summary"):
        read_records(path)


def test_malformed_json_is_refused_with_its_position(tmp_path: Path) -> None:
    data = (DATA / "BE_ConseilEtat_eca25a3c86.json").read_text(encoding="utf-8")
    path = tmp_path / "cut.json"
    path.write_text(data[: len(data) // 2], encoding="utf-8")
    with pytest.raises(InputFileError) as error:
        read_records(path)
    assert error.value.path == str(path)
    assert re.match(r"malformed JSON: .* at line \d+ column \d+", error.value.reason)


@pytest.mark.parametrize(("content", "expected"), [
    ('{"name": "x", "rows": [1, 2]}', "unknown record shape: expected a decision record with a "
                                      "\"text\" field (legal-sources or Judilibre); found fields: "
                                      "name, rows"),
    ('[{"text": "x"}]', "unknown record shape: expected one JSON object (a decision record) or "
                        "JSON Lines (one object per line); found a JSON array"),
    ("<?xml version='1.0'?><DOCUMENT><A/></DOCUMENT>",
     "unknown XML: expected a DILA decision (root <TEXTE_JURI_JUDI> or <TEXTE_JURI_ADMIN>); "
     "found root <DOCUMENT>"),
    ("hello", "not an open-data record: expected a JSON record"),
])
def test_unknown_shapes_are_refused_saying_what_was_expected(tmp_path: Path, content: str,
                                                             expected: str) -> None:
    suffix = ".xml" if content.startswith("<") else ".json"
    path = tmp_path / f"odd{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError) as error:
        read_records(path)
    assert error.value.reason.startswith(expected)


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    data = (DATA / "JURITEXT000048389562.xml").read_text(encoding="utf-8")
    path = tmp_path / "broken.xml"
    path.write_text(data.replace("</META_COMMUN>", "", 1), encoding="utf-8")
    with pytest.raises(InputFileError, match=r"malformed XML: line \d+: "):
        read_records(path)


def test_dila_xml_without_contenu_is_a_record_without_text(tmp_path: Path) -> None:
    data = (DATA / "JURITEXT000048389562.xml").read_text(encoding="utf-8")
    data = re.sub(r"<CONTENU>.*?</CONTENU>", "<CONTENU/>", data, count=1, flags=re.DOTALL)
    path = tmp_path / "empty.xml"
    path.write_text(data, encoding="utf-8")
    with pytest.raises(InputFileError, match="record without text"):
        read_records(path)


def test_misnamed_files_are_recognised_by_content(tmp_path: Path) -> None:
    as_txt = tmp_path / "decision.txt"
    shutil.copy(DATA / "FR_Judilibre_9fd6909cf3.json", as_txt)
    assert is_record_file(as_txt)
    assert read_records(as_txt).records[0].meta.ecli == "ECLI:FR:CCASS:2025:C100415"
    as_json = tmp_path / "decision.json"
    shutil.copy(DATA / "JURITEXT000048389562.xml", as_json)
    record = read_records(as_json).records[0]
    assert record.format == "dila" and record.warnings == ("named .json but holds XML",)
    plain = tmp_path / "plain.txt"
    plain.write_text("COUR D'APPEL DE PARIS\n\nArrêt du 3 mai 2024", encoding="utf-8")
    assert not is_record_file(plain)
    page = tmp_path / "page.xml"
    page.write_text("<!DOCTYPE html><html><body>x</body></html>", encoding="utf-8")
    with pytest.raises(InputFileError, match="not an open-data record"):
        read_records(page)


def test_json_lines_read_line_by_line_whatever_the_extension(tmp_path: Path) -> None:
    """BUILT from real records: line 2 has no text, line 4 is not an object."""
    ce, travail = (record_json(n) for n in THREE[:2])
    lines = [json.dumps(ce), json.dumps(travail | {"text": None}), "", "[1, 2]",
             json.dumps(travail)]
    path = tmp_path / "export.json"  # JSON Lines named .json: recognised by content
    path.write_text("\n".join(lines), encoding="utf-8")
    batch = read_records(path)
    assert batch.format == "jsonl"
    assert [(r.line, r.meta.court) for r in batch.records] == [
        (1, "Conseil d'État (Belgique)"), (5, "Tribunal du travail de Bruxelles")]
    assert [(e.path, e.reason) for e in batch.errors] == [
        (f"{path}:2", 'record without text: expected the decision text in "text"; found '
                      '"text" is empty'),
        (f"{path}:4", "unknown record shape: expected a JSON object per line; found a JSON "
                      "array")]
    # lines 2 and 5 hold the same record id: the second is named by its line
    assert [r.source for r in batch.records] == [f"{path}#BE_CONSETAT_265461", f"{path}#L5"]


# --- the CLI: JSON Lines, incremental runs, duplicates, prune -------------------------------


def ingest(store: Path, *args: str | Path) -> int:
    return main(["ingest", "--store", str(store), *map(str, args)])


def summary(out: str) -> dict[str, int]:
    line = next(x for x in out.splitlines() if x.startswith("summary:"))
    return {k: int(v) for k, v in (p.split("=") for p in line.removeprefix("summary:").split())}


def counts(**given: int) -> dict[str, int]:
    keys = ("added", "updated", "unchanged", "removed", "duplicate", "failed", "skipped")
    return {k: given.get(k, 0) for k in keys}


def _lines(*names: str, malformed: int = 0) -> list[str]:
    """One compact JSON line per real record; line `malformed` (1-based) cut in the middle."""
    lines = [json.dumps(record_json(n), ensure_ascii=False) for n in names]
    if malformed:
        lines[malformed - 1] = lines[malformed - 1][:200]
    return lines


THREE = ("BE_ConseilEtat_eca25a3c86.json", "BE_CourTravail_4b889b3c38.json",
         "TN_CourDeCassation_315a566d50.json")


def test_json_lines_with_a_malformed_line_via_the_cli(tmp_path: Path, capsys) -> None:
    """BUILT: a JSON Lines file of three real corpus-open records, the third cut short."""
    folder = tmp_path / "export"
    folder.mkdir()
    jsonl = folder / "decisions.jsonl"
    jsonl.write_text("\n".join(_lines(*THREE, malformed=3)) + "\n", encoding="utf-8")
    store = tmp_path / "store"

    assert ingest(store, folder) == EXIT_FAILED  # the exit code tells the truth
    out = capsys.readouterr().out
    assert summary(out) == counts(added=2, failed=1)
    assert re.search(rf"failed: {re.escape(str(jsonl))}:3: malformed JSON: .* at column \d+",
                     out)
    metas = {m.court: m for m in Store.open(store, "hash:64").judgments()}
    assert set(metas) == {"Conseil d'État (Belgique)", "Tribunal du travail de Bruxelles"}
    assert metas["Conseil d'État (Belgique)"].date == "2026-01-19"
    assert metas["Conseil d'État (Belgique)"].source_path == f"{jsonl}#BE_CONSETAT_265461"

    # a re-run changes nothing (the bad line still fails) and commits no new generation
    before = Store.open(store, "hash:64").stats()
    assert ingest(store, folder) == EXIT_FAILED
    assert summary(capsys.readouterr().out) == counts(unchanged=2, failed=1)
    after = Store.open(store, "hash:64").stats()
    assert (after.judgments, after.chunks, after.generation) == (
        before.judgments, before.chunks, before.generation)

    # the line repaired: only it is added
    jsonl.write_text("\n".join(_lines(*THREE)) + "\n", encoding="utf-8")
    assert ingest(store, folder) == EXIT_OK
    assert summary(capsys.readouterr().out) == counts(added=1, unchanged=2)
    tn = next(m for m in Store.open(store, "hash:64").judgments() if m.country == "TN")
    assert (tn.court, tn.date) == ("Cour de cassation de Tunisie", "2017-12-08")

    # a changed record field updates only that judgment
    changed = [json.loads(x) for x in _lines(*THREE)]
    changed[1]["title"] = "Ordonnance - Tribunal du travail francophone de Bruxelles"
    jsonl.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in changed),
                     encoding="utf-8")
    assert ingest(store, folder) == EXIT_OK
    assert summary(capsys.readouterr().out) == counts(updated=1, unchanged=2)

    # a line removed: --prune removes its judgment, the others stay
    jsonl.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in changed[:2]),
                     encoding="utf-8")
    assert ingest(store, "--prune", folder) == EXIT_OK
    out = capsys.readouterr().out
    assert summary(out) == counts(unchanged=2, removed=1)
    assert "record no longer in the file" in out
    assert {m.country for m in Store.open(store, "hash:64").judgments()} == {"BE"}


def test_prune_keeps_the_records_of_a_file_with_a_bad_line(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    jsonl = folder / "decisions.ndjson"
    jsonl.write_text("\n".join(_lines(*THREE)), encoding="utf-8")
    store = tmp_path / "store"
    assert ingest(store, folder) == EXIT_OK
    capsys.readouterr()
    jsonl.write_text("\n".join(_lines(*THREE, malformed=1)), encoding="utf-8")
    assert ingest(store, "--prune", folder) == EXIT_FAILED
    assert summary(capsys.readouterr().out) == counts(unchanged=2, failed=1)
    assert Store.open(store, "hash:64").stats().judgments == 3


def test_one_record_files_of_every_format_and_a_duplicate_across_sources(tmp_path: Path,
                                                                         capsys) -> None:
    folder = tmp_path / "open"
    shutil.copytree(DATA, folder)
    store = tmp_path / "store"
    files = sorted(folder.iterdir())
    assert ingest(store, folder) == EXIT_OK
    out = capsys.readouterr().out
    # the JADE file and FR_CouncilState_ea508d09c5.json hold the same decision
    assert summary(out) == counts(added=len(files) - 1, duplicate=1)
    assert re.search(r"duplicate: .*(JADE_built|FR_CouncilState_ea508d09c5).*: same judgment as",
                     out)
    s = Store.open(store, "hash:64")
    by_id = {m.id: m for m in s.judgments()}
    assert by_id["cass-22-15-776"].court == "Cour de cassation"
    assert by_id["cass-be-s-19-0064-f"].country == "BE"
    stored = s.judgment("cass-24-22-148")
    assert stored.meta.summary.startswith("Titrage : BAIL RURAL")
    assert "BAIL RURAL" not in stored.text
    assert ingest(store, folder) == EXIT_OK
    assert summary(capsys.readouterr().out) == counts(unchanged=len(files) - 1, duplicate=1)
