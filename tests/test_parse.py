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
from ingest.layouts import classify
from ingest.metadata import normalize_chamber
from ingest.parse import parse_judgment
from ingest.read import RawDocument, read_document
from store.records import Judgment

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


_CE_FOOTER = "ECLI:BE:RVSCE:2026:ARR.265.541"


def test_the_belgian_page_footer_is_dropped_and_the_sentence_it_split_is_whole() -> None:
    """The Conseil d'État prints its own ECLI and a counter (chamber, docket, page) at the
    foot of every page; the Cour constitutionnelle its ECLI, often glued to the next line."""
    text = (
        "CONSEIL D’ÉTAT, SECTION DU CONTENTIEUX ADMINISTRATIF\n"
        "A R R Ê T\nn° 265.541 du 19 janvier 2026\n"
        "Les droits de rôle ont été acquittés.\n"
        f"{_CE_FOOTER} VIexturg -23.639 - 1/3\n\n"
        "La requérante soutient que les critères ont été appliqués\n"
        f"{_CE_FOOTER} VIexturg -23.639 - 2/3 de manière discriminatoire "
        "(arrêt n° 263.544, ECLI:BE:RVSCE:2025:ARR.263.544).\n"
        "Le recours est rejeté.\n"
        "La Greffière, Le Président,\n"
        f"{_CE_FOOTER}\nVIexturg -23.639 - 3/3")
    judgment = parse_judgment(RawDocument(Path("ce.txt"), "txt", text))
    assert "appliqués de manière discriminatoire" in judgment.text
    assert judgment.text.count(_CE_FOOTER) == 1 and judgment.text.endswith(
        f"Le Président,\n{_CE_FOOTER}\nVIexturg -23.639 - 3/3"), "the closing footer stays"
    assert "1/3" not in judgment.text and "2/3" not in judgment.text
    assert "ECLI:BE:RVSCE:2025:ARR.263.544" in judgment.text, "a cited ECLI is text"
    assert judgment.meta.ecli == _CE_FOOTER and judgment.meta.decision_number == "265.541"
    assert judgment.meta.court == "Conseil d'État (Belgique)"

    glued = canonicalize("La partie peut demander à être entendue dans les sept jours suivant\n"
                         "ECLI:BE:GHCC:2025:ARR.119 la réception de la notification.\n"
                         "ECLI:BE:GHCC:2025:ARR.119\n\nA.5.1. Par ses griefs.")
    assert glued.text == ("La partie peut demander à être entendue dans les sept jours suivant la "
                          "réception de la notification.\n\nA.5.1. Par ses griefs.")
    once = canonicalize("Un arrêt cite ECLI:BE:GHCC:2025:ARR.119\nune seule fois.")
    assert once.text == "Un arrêt cite ECLI:BE:GHCC:2025:ARR.119\nune seule fois."


def _ce_text(counters: tuple[str, str, str]) -> str:
    first, second, last = counters
    return (
        "CONSEIL D’ÉTAT, SECTION DU CONTENTIEUX ADMINISTRATIF\n\n"
        "A R R Ê T\n\nn° 265.541 du 19 janvier 2026\n\n"
        "La requête est recevable.\n"
        f"{_CE_FOOTER}\nVI - 23.639 - {first}\n"
        "La requérante invoque un moyen unique.\n"
        f"{_CE_FOOTER}\nVI - 23.639 - {second}\n"
        "Le recours est rejeté.\n\nLa Greffière, Le Président,\n"
        f"{_CE_FOOTER}\nVI - 23.639 - {last}")


def _page_of(judgment: Judgment, words: str) -> tuple[int | None, int | None]:
    at = judgment.text.index(words)
    paragraph = next(p for p in judgment.paragraphs if p.char_start <= at < p.char_end)
    return paragraph.page, paragraph.page_end


def test_pages_counted_by_the_conseil_d_etat_footers_are_the_printed_pages() -> None:
    """Its footers number the pages 1/N ... N/N: a passage is cited at the page where it is
    printed, though the record's text has no page breaks."""
    judgment = parse_judgment(RawDocument(Path("ce.txt"), "txt", _ce_text(("1/3", "2/3", "3/3"))))
    assert _page_of(judgment, "La requête est recevable.") == (1, 1)
    assert _page_of(judgment, "La requérante invoque un moyen unique.") == (2, 2)
    assert _page_of(judgment, "Le recours est rejeté.") == (3, 3)


@pytest.mark.parametrize("counters", [("1/3", "3/3", "2/3"), ("1/4", "2/4", "3/4"),
                                      ("1/3", "2/3", "")])
def test_footers_that_do_not_count_the_pages_in_order_give_no_page(
        counters: tuple[str, str, str]) -> None:
    """Out of order, a total that is not the number of footers, or a footer without its
    counter: the page breaks may not be the printed pages, and no page beats a wrong one."""
    text = _ce_text(counters).replace("VI - 23.639 - \n", "").removesuffix("VI - 23.639 - ")
    judgment = parse_judgment(RawDocument(Path("ce.txt"), "txt", text))
    assert "Le recours est rejeté." in judgment.text
    assert _page_of(judgment, "Le recours est rejeté.") == (None, None)


_WRAPPED_NUMBERED = (
    "CONSEIL D’ÉTAT, SECTION DU CONTENTIEUX ADMINISTRATIF\n\n"
    "A R R Ê T\n\nn° 265.479 du 20 janvier 2026\n\n"
    "Parties requérantes :\n1. la commune d’Uccle,\n2. l’asbl Natagora,\n\n"
    "III. Faits\n\n"
    "1. La société anonyme SFAR est une société détenue\n"
    "entièrement par finance&invest.brussels.\n"
    "2. En 2009, la SA SFAR introduit une demande de permis d’urbanisme\n"
    "concernant une parcelle située au n° 1091 de la chaussée, visée à l’article\n"
    "12. du plan régional.\n"
    "3. Le 4 juin 2010, un permis d’urbanisme est délivré par le fonctionnaire\n"
    "délégué. Le recours est rejeté.")


def test_the_court_s_own_paragraph_numbers_in_wrapped_text_are_its_paragraphs() -> None:
    """A hard-wrapped record holds « 1. », « 2. », « 3. » at line starts inside one block:
    each starts a paragraph, so « § 2 » in a citation is the court's paragraph 2. The list
    of parties in the header is not the court's numbering, and « 12. » wrapped inside a
    sentence starts nothing."""
    judgment = parse_judgment(RawDocument(Path("ce.txt"), "txt", _WRAPPED_NUMBERED))
    for number, words in ((1, "1. La société anonyme"), (2, "2. En 2009"),
                          (3, "3. Le 4 juin 2010")):
        at = judgment.text.index(words)
        paragraph = next(p for p in judgment.paragraphs if p.char_start == at)
        assert paragraph.number == number
    assert "visée à l’article\n12. du plan" in judgment.text
    assert "1. la commune d’Uccle,\n2. l’asbl Natagora," in judgment.text


def test_two_numbered_lines_are_a_list_not_the_court_s_numbering() -> None:
    text = canonicalize("Les conditions sont les suivantes :\n1. un intérêt ;\n"
                        "2. une urgence.\nLa requête est rejetée.")
    assert "\n\n" not in text.text


def test_a_list_numbered_inside_a_paragraph_does_not_end_the_court_s_numbering() -> None:
    text = canonicalize("1. Premier point.\nLes conditions :\n1. un intérêt ;\n"
                        "2. une urgence.\n2. Deuxième point.\n3. Troisième point.\nFin.")
    assert text.text.split("\n\n") == [
        "1. Premier point.\nLes conditions :\n1. un intérêt ;\n2. une urgence.",
        "2. Deuxième point.", "3. Troisième point.\nFin."]


def test_numbered_titles_and_a_lost_number_do_not_hide_the_court_s_numbering() -> None:
    """An Autorité de la concurrence opinion numbers its titles from 1 in each part, in its
    table of contents and above its paragraphs (« 1. LES UTILISATEURS »): those are no
    second numbering, so its paragraphs keep their printed numbers; and a paragraph number
    the text lost (11 is missing) does not end a long numbering."""
    body = [f"{n}. Le point numéro {n} de l’avis est exposé ici en une phrase complète."
            for n in range(1, 16) if n != 11]
    text = "\n\n".join([
        "Avis n° 25-A-01 du 9 janvier 2025", "SOMMAIRE",
        "1. LES UTILISATEURS ......................... 3",
        "2. LES CONSTRUCTEURS ........................ 5",
        *body[:4], "1. LES UTILISATEURS", *body[4:8], "2. LES CONSTRUCTEURS", *body[8:]])
    judgment = parse_judgment(RawDocument(Path("avis.txt"), "txt", text))
    for n in (1, 5, 10, 12, 15):
        at = judgment.text.index(f"{n}. Le point numéro {n} ")
        assert next(p for p in judgment.paragraphs if p.char_start == at).number == n


def test_the_court_s_numbering_may_start_before_its_first_title() -> None:
    """A Cour de cassation ruling gives act of a withdrawal in « 1. », before its first title
    « Faits et procédure »: its paragraphs are still cited by their printed numbers."""
    text = ("Cour de cassation\n\nChambre commerciale\n\nArrêt n° 123 du 4 octobre 2023\n\n"
            "Désistement partiel\n\n1. Il est donné acte à la société Prologue du désistement "
            "de son pourvoi en ce qu’il est dirigé contre l’Autorité des marchés financiers.\n\n"
            "Faits et procédure\n\n2. Selon l’arrêt attaqué (Paris, 22 avril 2021), la "
            "société a publié un communiqué.\n\n3. Le collège de l’Autorité a notifié des "
            "griefs à la société.\n\nExamen du moyen\n\n4. La société fait grief à l’arrêt "
            "de réformer la décision.\n\n5. Le moyen n’est pas fondé.\n\n"
            "PAR CES MOTIFS, la Cour :\n\nREJETTE le pourvoi.")
    judgment = parse_judgment(RawDocument(Path("cass.txt"), "txt", text))
    for n, words in ((1, "1. Il est donné"), (2, "2. Selon"), (4, "4. La société"),
                     (5, "5. Le moyen")):
        assert _paragraph_at(judgment, words).number == n


def test_a_long_opening_of_the_operative_part_opens_it() -> None:
    """« PAR CES MOTIFS, et sans qu'il y ait lieu de statuer sur les autres griefs du pourvoi,
    la Cour : » opens a French cassation ruling's operative part like the short form; a sentence
    of the reasons that opens with « Par ces motifs » does not."""
    text = ("Cour de cassation\n\nArrêt du 12 juin 2025\n\nFaits et procédure\n\n1. Selon "
            "l'arrêt attaqué, la société a agi.\n\nExamen du moyen\n\n2. Par ces motifs, la "
            "cour d'appel a légalement justifié sa décision de ce chef.\n\n3. Mais la cour "
            "d'appel a violé les textes susvisés.\n\nPAR CES MOTIFS, et sans qu'il y ait lieu de "
            "statuer sur les autres griefs du pourvoi, la Cour :\n\nCASSE ET ANNULE l'arrêt.\n\n"
            "Condamne la société X à payer à la société Y la somme de 3 000 euros.")
    judgment = parse_judgment(RawDocument(Path("cass.txt"), "txt", text))
    kinds = {s.title: s.kind for s in judgment.sections}
    assert kinds["PAR CES MOTIFS, et sans qu'il y ait lieu de statuer sur les autres griefs du "
                 "pourvoi, la Cour :"] == "operative"
    assert [s.kind for s in judgment.sections if s.kind == "operative"] == ["operative"]
    operative = next(s for s in judgment.sections if s.kind == "operative")
    assert judgment.text.index("CASSE ET ANNULE") > operative.char_start
    assert judgment.text.index("2. Par ces motifs") < operative.char_start


def test_an_operative_title_run_into_its_first_ruling_opens_the_operative_part() -> None:
    """Belgian records on one line: « Par ces motifs, La Cour Rejette le pourvoi ; … ». The
    title is cut from the ruling; with no other title, where the header ends is not known, so
    the text before it is not called the header."""
    text = ("Cour de cassation de Belgique\n\nArrêt du 11 octobre 2012\n\nLe moyen, en cette "
            "branche, manque en droit.\n\nPar ces motifs, La Cour Rejette le pourvoi ; Condamne "
            "la demanderesse aux dépens.")
    judgment = parse_judgment(RawDocument(Path("be.txt"), "txt", text))
    assert "Par ces motifs, La Cour\n\nRejette le pourvoi ; Condamne" in judgment.text
    assert [(s.kind, s.path) for s in judgment.sections] == [
        ("other", ()), ("operative", ("Par ces motifs, La Cour",))]
    operative = judgment.sections[1]
    assert "Rejette le pourvoi" in judgment.text[operative.char_start:operative.char_end]
    kept = parse_judgment(RawDocument(Path("be.txt"), "txt", text.replace(
        "Par ces motifs, La Cour Rejette", "Par ces motifs, la Cour d'appel rejette")))
    assert [s.kind for s in kept.sections] == ["other"]


@pytest.mark.parametrize("title", ["P a r c e s m o t i f s", "P A R C E S M O T I F S :"])
def test_a_title_typed_letter_by_letter_is_read(title: str) -> None:
    """Luxembourg's open-data texts, hard-wrapped, type the operative part's title letter by
    letter."""
    text = ("JUSTICE DE PAIX DE LUXEMBOURG\nJugement du 3 mars 2025\nEn cause de PERSONNE1.),\n"
            "demandeur,\ncontre PERSONNE2.), défendeur.\nLa demande de PERSONNE1.) est partant à "
            f"déclarer non-fondée.\n{title}\nle tribunal de paix de et à Luxembourg, statuant\n"
            "contradictoirement,\ndéclare la demande non fondée,\ncondamne PERSONNE1.) aux frais.")
    judgment = parse_judgment(RawDocument(Path("jp.txt"), "txt", text))
    operative = next(s for s in judgment.sections if s.kind == "operative")
    assert judgment.text[operative.char_start:].startswith(title.rstrip(" :"))
    assert "déclare la demande non fondée" in judgment.text[operative.char_start:operative.char_end]


def test_paragraph_numbers_inside_a_text_on_one_line_open_its_paragraphs() -> None:
    """An AMF decision exported on one line numbers its paragraphs inside the line, some after
    a title without a full stop (« … DES GRIEFS 1. Par lettre … »): each number of the run
    opens a paragraph cited by it, and a lone « 1. » of a list it quotes is no second
    numbering."""
    numbered = [f"{n}. La commission relève le point {n} de la procédure de sanction."
                for n in range(2, 15)]
    numbered.insert(3, "Les services comprennent : 1. La tenue de compte-conservation.")
    line = ("Décision de la commission des sanctions n° 25-01 du 9 janvier 2025 I. FAITS ET "
            "PROCÉDURE 1. Par lettre du 2 mai 2024, le collège a notifié des griefs. "
            + " ".join(numbered) + " " + "La commission statue. " * 300)
    judgment = parse_judgment(RawDocument(Path("amf.txt"), "txt", line))
    for n in (1, 2, 8, 14):
        words = "1. Par lettre" if n == 1 else f"{n}. La commission relève le point {n} "
        paragraph = _paragraph_at(judgment, words)
        assert judgment.text[paragraph.char_start:].startswith(words)
        assert paragraph.number == n


def test_a_list_numbered_inside_a_lettered_ruling_is_not_its_numbering() -> None:
    """The Cour constitutionnelle quotes a law's list « 1. … 2. … 3. … » inside B.1.2: the
    ruling is numbered by its labels, and the list is no numbering of its own."""
    text = _LETTERED.replace(
        "B.2. Le moyen n’est pas fondé.\n",
        "B.2. La loi dispose :\n1. au terme de la première inscription ;\n"
        "2. au terme de deux inscriptions ;\n3. au terme de trois inscriptions.\n"
        "B.3. Le moyen n’est pas fondé.\n")
    judgment = parse_judgment(RawDocument(Path("cc.txt"), "txt", text))
    assert _paragraph_at(judgment, "rejette le recours").number == len(judgment.paragraphs)
    assert _paragraph_at(judgment, "B.3. Le moyen").label == "B.3"


def test_an_initial_or_abbreviation_ends_no_paragraph() -> None:
    """« M. » DUPONT, « l'article L. » 533-12, « cf. J. » VAN YPERSELE stay together, in
    wrapped text, in a decision written on one line and across a page break; a page that
    opens with the next numbered paragraph after « R. » starts a paragraph."""
    wrapped = canonicalize("Le rapport a été présenté par la présidente.\nElle a entendu M.\n"
                           "DUPONT en ses explications.\nLe greffier a dressé le procès-verbal.\n"
                           "Les parties ont été entendues.\nLa cause a été prise en délibéré.\n"
                           "Le jugement est rendu ce jour.")
    assert "M.\nDUPONT" in wrapped.text
    line = ("Le grief vise l'article L. 533-12 du code monétaire et financier. " * 70).strip()
    assert "L. 533-12" in canonicalize(line).text and "L.\n\n533" not in canonicalize(line).text
    assert "\n\n" in canonicalize(line).text, "a sentence end still cuts a long line"
    across = canonicalize("sous peine de se rendre coupable de l’infraction de maintien de "
                          "travaux irréguliers » (cf. J.\fVAN YPERSELE et B. LOUVEAUX).")
    assert across.text.endswith("irréguliers » (cf. J. VAN YPERSELE et B. LOUVEAUX).")
    numbered = canonicalize("Les requérantes peuvent à cet effet s’adresser au Comité "
                            "permanent R.\fA.4.6. Enfin, il résulte de ce qui précède.")
    assert numbered.text.endswith("Comité permanent R.\n\nA.4.6. Enfin, il résulte de ce qui "
                                  "précède.")


_LETTERED = (
    "Cour constitutionnelle\n\nArrêt n° 119/2025\ndu 18 septembre 2025\n\n"
    "I. Objet du recours et procédure\n\n"
    "Par requête adressée à la Cour le 30 août 2024, un recours en annulation a été introduit.\n\n"
    "II. En droit\n\n- A -\n\nQuant à l’intérêt\n"
    "A.1. La partie requérante fonde son intérêt sur son but statutaire. Elle défend les\n"
    "droits humains.\n"
    "A.2. Selon le Conseil des ministres, la partie requérante ne justifie pas de l’intérêt\n"
    "requis.\n\n- B -\n\n"
    "B.1.1. Le recours en annulation porte sur l’article 11 de la loi du 3 décembre 2017.\n"
    "B.1.2. La Cour a déjà jugé, par son arrêt n° 12/2020 :\n\n"
    "B.8.2. L’Autorité dispose d’une importante marge de manœuvre en matière d’emploi\n"
    "des langues.\n"
    "Il s’ensuit que le moyen est recevable.\n"
    "B.2. Le moyen n’est pas fondé.\n\n"
    "Par ces motifs,\n\nla Cour\n\nrejette le recours.")


def _paragraph_at(judgment: Judgment, words: str):  # type: ignore[no-untyped-def]
    at = judgment.text.index(words)
    return next(p for p in judgment.paragraphs if p.char_start <= at < p.char_end)


def test_lettered_paragraph_labels_open_paragraphs_and_are_kept() -> None:
    """The Belgian Cour constitutionnelle labels its paragraphs « A.1. », « B.1.2. » inside
    hard-wrapped text: each label opens a paragraph that carries it, so a passage is cited
    « B.1.2 » as the court prints it; the sub-title above « A.1. » stands alone as a
    sub-section; an earlier ruling's paragraph quoted inside one (« B.8.2. » out of order)
    opens no paragraph and what follows it is under no label, rather than a wrong one; the
    procedure before « A.1. » and the operative part carry none."""
    judgment = parse_judgment(RawDocument(Path("cc.txt"), "txt", _LETTERED))
    for label, words in (("A.1", "A.1. La partie"), ("A.2", "A.2. Selon"),
                         ("B.1.1", "B.1.1. Le recours"), ("B.1.2", "B.1.2. La Cour"),
                         ("B.2", "B.2. Le moyen")):
        paragraph = _paragraph_at(judgment, words)
        assert judgment.text[paragraph.char_start:].startswith(words)
        assert paragraph.label == label
    assert _paragraph_at(judgment, "B.8.2. L’Autorité").label == ""
    assert "emploi\ndes langues.\nIl s’ensuit que le moyen" in judgment.text
    assert _paragraph_at(judgment, "Par requête adressée").label == ""
    assert _paragraph_at(judgment, "rejette le recours").label == ""
    assert any(s.path[-1:] == ("Quant à l’intérêt",) for s in judgment.sections)
    assert "La partie requérante fonde son intérêt sur son but statutaire. Elle défend les\n" \
        "droits humains." in judgment.text


def test_a_page_that_opens_with_a_lettered_label_starts_a_paragraph() -> None:
    """A page break after a line that ends without punctuation joins the next page's first
    line to it, unless that line opens with the court's label (« B.5. »)."""
    text = canonicalize("B.4. La Cour examine la disposition en cause telle qu’elle est "
                        "interprétée par le juge a quo\fB.5. Le moyen n’est pas fondé en ce "
                        "qu’il est pris de la violation des articles 10 et 11.")
    assert "par le juge a quo\n\nB.5. Le moyen n’est pas fondé en ce" in text.text


_COUNCIL_OF_STATE = (
    "CONSEIL D’ÉTAT, SECTION DU CONTENTIEUX ADMINISTRATIF\n\nA R R Ê T\n\n"
    "n° 265.479 du 20 janvier 2026\n\nI. Objet de la requête\n\n"
    "La requête poursuit l’annulation de l’arrêté du bourgmestre.\n\nII. Procédure\n\n"
    "Le dossier administratif a été déposé.\n\nIII. Faits\n\n"
    "Le bourgmestre a interdit la circulation dans la rue.\n"
    "IV. Recevabilité\n"
    "La recevabilité du recours touche à l’ordre public.\n"
    "Le recours est recevable.\n\n"
    "V. Premier moyen\nV.1. Thèses des parties\nV.1.1. Thèse de la partie requérante\n"
    "La requérante prend un premier moyen de la violation de la loi communale.\n"
    "V.2. Appréciation\n"
    "Le bourgmestre était compétent.\nLe premier moyen n’est pas fondé.\n"
    "VI. Indemnité de procédure\n"
    "La partie adverse sollicite une indemnité de procédure de 770 euros.\n\n"
    "PAR CES MOTIFS,\n\nLE CONSEIL D’ÉTAT DÉCIDE :\n\nLa requête est rejetée.")


def test_the_council_of_state_s_numbered_titles_are_its_sections() -> None:
    """The Belgian Conseil d'État titles its parts « III. Faits », « IV. Recevabilité »,
    « V. Premier moyen » (with « V.1. Thèses des parties », « V.2. Appréciation »), often
    inside hard-wrapped text: each title stands alone, and the parts after the facts are
    the Council's reasons, not more facts; the parties' theses are their claims."""
    judgment = parse_judgment(RawDocument(Path("ce.txt"), "txt", _COUNCIL_OF_STATE))
    kinds = {s.path: s.kind for s in judgment.sections}
    assert kinds[("III. Faits",)] == "facts"
    assert kinds[("IV. Recevabilité",)] == "reasons"
    assert kinds[("V. Premier moyen",)] == "reasons"
    assert kinds[("V. Premier moyen", "V.1. Thèses des parties")] == "claims"
    assert kinds[("V. Premier moyen", "V.2. Appréciation")] == "reasons"
    assert kinds[("VI. Indemnité de procédure",)] == "reasons"
    assert kinds[("PAR CES MOTIFS,",)] == "operative"
    assert "dans la rue.\n\nIV. Recevabilité\n\nLa recevabilité" in judgment.text


def test_the_council_of_state_s_object_of_the_application_is_not_its_header() -> None:
    """Its records rule off the header (parties, counsel) with a line of dashes and go on,
    on the next line, with « I. Objet de la requête »: what the applicant asks the Council to
    annul is the applicant's claim, under its own title, not part of the header."""
    text = ("CONSEIL D’ÉTAT, SECTION DU CONTENTIEUX ADMINISTRATIF\nA R R Ê T\n"
            "no 265.501 du 21 janvier 2026\nEn cause : la société anonyme UPSA BELGIUM,\n"
            "contre :\nl’Etat belge.\n" + "-" * 60 + "\nI. Objet de la requête\n"
            "Par une requête introduite le 4 octobre 2023, la partie requérante demande\n"
            "l’annulation de la décision de notification de prix.\nII. Procédure\n"
            "Le dossier administratif a été déposé.\n\nPAR CES MOTIFS,\n\nLa requête est rejetée.")
    judgment = parse_judgment(RawDocument(Path("ce.txt"), "txt", text))
    kinds = {s.path: s.kind for s in judgment.sections}
    assert kinds[("I. Objet de la requête",)] == "claims"
    assert kinds[("II. Procédure",)] == "procedure"
    header = next(s for s in judgment.sections if s.kind == "header")
    assert "Objet" not in judgment.text[header.char_start:header.char_end]


def test_the_council_of_state_s_lettered_titles_are_its_sub_sections() -> None:
    """Inside « V.1. Thèses des parties » and « V.2. Appréciation », hard-wrapped text holds
    lettered titles (« A. Thèse de la requérante », « B. Examen »): each stands alone, and
    a party's thesis is its claim. An item of a claimed sum (« B. Placement d’enseigne :
    13.250 € ») and a name in a list of counsel (« A. MERCIER ) ») are no titles."""
    text = ("CONSEIL D’ÉTAT\nA R R Ê T\nA. 240.210/VI-22.649\nEn cause : la société X,\n"
            "contre :\nl’Etat belge, représenté par ses conseils;\nA. MERCIER )\nB. NOGARA )\n"
            + "-" * 40 + "\n"
            "IV. Faits\nLe ministre a refusé le permis.\nV. Deuxième moyen\n"
            "V.1. Thèses des parties\nA. Thèse de la partie adverse\n"
            "La partie adverse soutient que le moyen est irrecevable.\n"
            "V.2. Appréciation du Conseil d’État\nA. Thèses des parties\n"
            "Les parties s’opposent sur la recevabilité. La requérante chiffre son dommage.\n"
            "B. Placement d’enseigne : 13.250 €\nQue ce montant a été fixé par la partie adverse.\n"
            "B. Examen\n"
            "Le moyen est recevable mais il n’est pas fondé.\n\nPAR CES MOTIFS,\n\n"
            "La requête est rejetée.")
    judgment = parse_judgment(RawDocument(Path("ce.txt"), "txt", text))
    kinds = {s.path[-1]: s.kind for s in judgment.sections if s.path}
    assert kinds["A. Thèse de la partie adverse"] == "claims"
    assert kinds["A. Thèses des parties"] == "claims"
    assert kinds["B. Examen"] == "reasons"
    assert "B. Placement d’enseigne : 13.250 €\nQue ce montant" in judgment.text
    assert "ses conseils;\nA. MERCIER )\nB. NOGARA )" in judgment.text


def test_a_labour_court_record_on_one_line_is_cut_at_its_part_titles() -> None:
    """Belgian cours du travail records come as one line, their titles inside it (« … ne
    comparaissant pas. • • • I.- INDICATIONS DE PROCEDURE Vu … »): each title in capitals
    stands alone and opens its part, numbered on after one too long to be read as a title
    (« V. »); a name in capitals (« I. HACHEZ, Le principe ») or a numeral out of the run
    (« titre II. CONTRAT … ») stays in its sentence."""
    filler = "La cour a examiné les pièces déposées par les parties à l’audience. " * 12
    text = (
        "Cour du travail de Liège Arrêt prononcé le 2 septembre 2022 En cause de : "
        "L’OFFICE NATIONAL DE L’EMPLOI, partie appelante, contre Monsieur J., ne comparaissant "
        "pas. • • • I.- INDICATIONS DE PROCEDURE Vu en forme régulière les pièces du dossier. "
        + filler + "II.- FAITS ET ANTÉCÉDENTS PERTINENTS (RAPPEL) Il ressort des pièces que "
        "Monsieur J. a perçu des allocations. " + filler + "III.- JUGEMENT CONTESTÉ (RAPPEL) "
        "Par le jugement critiqué, les premiers juges ont dit le recours fondé. " + filler
        + "IV.- OBJET DE L’APPEL A la lecture de sa requête, l’ONEm demande la réformation du "
        "jugement selon la loi, titre II. CONTRAT DE TRAVAIL DES EMPLOYÉS, de 1978. " + filler
        + "V.- L’AUTORITÉ DE LA CHOSE JUGÉE PAR LE JUGEMENT DONT APPEL RELATIVEMENT À LA "
        "RÉGULARITÉ DE LA PROCÉDURE DE LICENCIEMENT POUR MOTIF GRAVE Le jugement est définitif. "
        + filler + "VI.- FONDEMENT DE L’APPEL Voy. I. HACHEZ, Le principe de standstill, 2008. "
        + filler + "VII.- DÉCISION DE LA COUR PAR CES MOTIFS, LA COUR, statuant publiquement, "
        "dit l’appel fondé.")
    assert "\n" not in text and len(text) > 4000
    judgment = parse_judgment(RawDocument(Path("ct.txt"), "txt", text))
    kinds = {s.path: s.kind for s in judgment.sections}
    assert kinds[("I.- INDICATIONS DE PROCEDURE",)] == "procedure"
    assert kinds[("II.- FAITS ET ANTÉCÉDENTS PERTINENTS (RAPPEL)",)] == "facts"
    assert kinds[("III.- JUGEMENT CONTESTÉ (RAPPEL)",)] == "procedure"
    assert kinds[("IV.- OBJET DE L’APPEL",)] == "claims"
    assert kinds[("VI.- FONDEMENT DE L’APPEL",)] == "reasons"
    assert "\n\nIV.- OBJET DE L’APPEL\n\nA la lecture" in judgment.text
    assert "Voy. I. HACHEZ, Le principe" in judgment.text
    assert "titre II. CONTRAT DE TRAVAIL DES EMPLOYÉS, de 1978" in judgment.text
    assert "\n\nVII.- DÉCISION DE LA COUR\n\nPAR CES MOTIFS, LA COUR" in judgment.text


def test_a_sanctions_decision_on_one_line_is_cut_at_its_known_titles_not_at_its_contents() -> None:
    """AMF decisions come as one line, table of contents included: « MOTIFS DE LA DÉCISION »
    and « PAR CES MOTIFS » in the text open the reasons and the operative part; the same
    words followed by dots and a page number are entries of the contents; a numbered
    paragraph that ends on a glued sub-title (« 73. … au point 54. 2.4 Examen du grief ») is
    no heading."""
    filler = "La Commission relève que la société a manqué à ses obligations. " * 14
    text = ("Décision n° 7 du 5 novembre 2025 SOMMAIRE FAITS .......... 2 PROCÉDURE .......... 3 "
            "MOTIFS DE LA DÉCISION .......... 8 I. SUR LE GRIEF A .......... 9 II. SUR LE GRIEF "
            "B .......... 12 III. SUR LA SANCTION .......... 20 PAR CES MOTIFS .......... 50 "
            "FAITS 1. La société "
            "NIV est une société de gestion de portefeuille. " + filler + "PROCÉDURE 2. Le 3 mai "
            "2023, le collège de l’AMF a décidé de notifier des griefs. " + filler
            + "MOTIFS DE LA DÉCISION I. Sur le grief relatif au dossier d’agrément " + filler
            + "3. Le texte applicable a été cité au point 2. 1.4 Examen du grief " + filler
            + "PAR CES MOTIFS Et ainsi qu’il en a été délibéré, la Commission prononce un blâme.")
    assert "\n" not in text and len(text) > 4000
    judgment = parse_judgment(RawDocument(Path("amf.txt"), "txt", text))
    tops = [(s.path, s.kind) for s in judgment.sections if len(s.path) == 1]
    assert tops == [(("FAITS",), "facts"), (("PROCÉDURE",), "procedure"),
                    (("MOTIFS DE LA DÉCISION",), "reasons"), (("PAR CES MOTIFS",), "operative")]
    assert "8 I. SUR LE GRIEF A .......... 9 II. SUR LE GRIEF B" in judgment.text
    assert classify("73. Le texte a été cité au point 54. 2.4 Examen du grief", in_body=True,
                    is_last=False) is None


def test_a_line_of_the_table_of_contents_is_no_heading() -> None:
    text = ("Décision n° 25-D-05 du 4 juillet 2025\n\nSOMMAIRE\n\n"
            "A. SUR LA PROCÉDURE .......................................... 20\n\n"
            "I. Constatations\n\n1. La saisine a été enregistrée le 3 mai 2021.\n\n"
            "II. Discussion\n\nA. SUR LA PROCÉDURE\n\n2. L’Autorité examine la procédure.")
    judgment = parse_judgment(RawDocument(Path("adlc.txt"), "txt", text))
    assert [s.path for s in judgment.sections if "A. SUR" in " ".join(s.path)] == [
        ("II. Discussion", "A. SUR LA PROCÉDURE")]


def test_the_justice_of_the_peace_s_appraisal_is_its_reasons() -> None:
    text = ("JUSTICE DE PAIX DE LUXEMBOURG\n\nAudience publique du 26 mars 2026\n\n"
            "Par requête déposée au greffe le 11 juin 2025, la bailleresse a fait convoquer le "
            "locataire.\n\nC. L’appréciation du tribunal\n\nAux termes de l’article 16 de la "
            "loi, le locataire est tenu de payer le loyer.")
    kinds = {s.path: s.kind for s in
             parse_judgment(RawDocument(Path("jp.txt"), "txt", text)).sections}
    assert kinds[("C. L’appréciation du tribunal",)] == "reasons"


def test_an_opinion_of_the_competition_authority_has_its_findings_and_its_analysis() -> None:
    text = ("Avis n° 25-A-14 du 18 décembre 2025\n\nSOMMAIRE\n\nI. Constatations\n\n"
            "1. Le mécanisme de capacité a été créé en 2016 pour garantir l’approvisionnement."
            "\n\nII. Analyse concurrentielle\n\n2. L’Autorité estime que le nouveau "
            "mécanisme ne soulève pas de difficulté de concurrence.")
    kinds = {s.path: s.kind for s in
             parse_judgment(RawDocument(Path("avis.txt"), "txt", text)).sections}
    assert kinds[("I. Constatations",)] == "facts"
    assert kinds[("II. Analyse concurrentielle",)] == "reasons"


def test_a_decision_s_operative_part_quoted_before_the_court_s_own_is_not_it() -> None:
    """A tax judgment quotes the director's decision, « PAR CES MOTIFS reçoit la réclamation
    … », then reasons under « I. Quant à la compétence », « II. Quant au fond »: only its
    last « Par ces motifs » opens its operative part, and its titled topics are reasons."""
    text = ("TRIBUNAL ADMINISTRATIF\n\nJugement du 3 mars 2025\n\n"
            "Par requête déposée le 2 mai 2024, la société a fait introduire un recours.\n\n"
            "Le directeur a rejeté la réclamation en ces termes :\n\n« …\n\nPAR CES MOTIFS\n\n"
            "reçoit la réclamation en la forme, la rejette comme non fondée. »\n\n"
            "I. Quant à la compétence du tribunal\n\nLe tribunal est compétent pour connaître "
            "du recours principal en réformation.\n\nII. Quant au fond\n\n"
            "Le bulletin d’impôt a été émis à bon droit, de sorte que le recours est à rejeter."
            "\n\nPar ces motifs,\n\nle tribunal administratif rejette le recours.")
    judgment = parse_judgment(RawDocument(Path("ta.txt"), "txt", text))
    operative = [s for s in judgment.sections if s.kind == "operative"]
    assert [s.path for s in operative] == [("Par ces motifs,",)]
    kinds = {s.path: s.kind for s in judgment.sections}
    assert kinds[("I. Quant à la compétence du tribunal",)] == "reasons"
    assert kinds[("II. Quant au fond",)] == "reasons"


def test_numbered_titles_are_not_paragraph_labels() -> None:
    """The Belgian Conseil d'État numbers its titles « V.1.1. La requête »: they are
    sub-titles, not the court's paragraph labels."""
    text = ("V. Premier moyen\nV.1. Thèses des parties\n\nV.1.1. La requête\n"
            "La requérante prend un premier moyen de la violation de la loi.\n\n"
            "V.1.2. La note d’observations\nLa partie adverse conteste le moyen.\n\n"
            "V.2. Appréciation\nLe moyen n’est pas fondé.\n\nV.3. Conclusion\n"
            "Le recours est rejeté.")
    judgment = parse_judgment(RawDocument(Path("ce.txt"), "txt", text))
    assert not any(p.label for p in judgment.paragraphs)


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
    assert [s.kind for s in judgment.sections] == ["other"]


def test_a_judgment_without_a_number_is_named_by_its_text_as_read() -> None:
    """Its id is « sha- » and the hash of the text as read from the file, not of the text as
    this version of the reader cuts it: a newer reader does not rename it."""
    import hashlib

    text = "Mélanger la farine et le beurre.  \r\n\r\n\r\nCuire à feu doux.\r\n"
    judgment = parse_judgment(RawDocument(Path("recette.txt"), "txt", text))
    assert judgment.meta.id == "sha-" + hashlib.sha256(text.encode()).hexdigest()[:16]
    assert judgment.meta.id != "sha-" + judgment.meta.content_hash[:16]


def test_content_hash_is_sha256_of_canonical_text() -> None:
    import hashlib

    judgment = _parse(LUXEMBOURG)
    assert judgment.meta.content_hash == hashlib.sha256(judgment.text.encode()).hexdigest()


def _corpus(fragment: str) -> Path:
    return next(p for p in corpus_files() if fragment in p.name)


def test_unheaded_procedural_history_is_split_from_the_header() -> None:
    # Chambéry: court, parties, counsel and "COMPOSITION DE LA COUR" are the header; the
    # narrative from "Par acte du 14/08/2015" to MOTIFS has no heading of its own.
    judgment = _parse(_corpus("chambery"))
    text = judgment.text
    opening = [s for s in judgment.sections if not s.path]
    assert [s.kind for s in opening] == ["header", "procedure", "claims", "procedure"]
    header, procedure, claims, closing = opening
    assert "COMPOSITION DE LA COUR" in text[header.char_start:header.char_end]
    assert "Par acte" not in text[header.char_start:header.char_end]
    assert text[procedure.char_start:].startswith("Par acte du 14/08/2015")
    assert "Par jugement en date du 3 juin 209" in text[procedure.char_start:procedure.char_end]
    assert text[claims.char_start:].startswith("Aux termes de ses conclusions")
    assert "le parquet général a requis" in text[claims.char_start:claims.char_end]
    assert text[closing.char_start:closing.char_end].startswith("L'ordonnance de clôture")
    motifs = next(s for s in judgment.sections if s.path)
    assert motifs.kind == "reasons" and closing.char_end < motifs.char_start
    for before, after in zip(judgment.sections, judgment.sections[1:], strict=False):
        if not before.path:
            assert before.char_end < after.char_start  # no overlap, nothing lost
            assert not text[before.char_end:after.char_start].strip()
    # the metadata still comes from the header
    assert judgment.meta.court == "Cour d'appel de Chambéry"
    assert judgment.meta.date == "2022-02-15"


def test_old_style_rulings_open_with_facts_or_reasons_after_the_header() -> None:
    facts = _parse(_corpus("baumann_fr-cass-com-19941025"))
    kinds = [(s.kind, s.path) for s in facts.sections]
    assert kinds[:2] == [("header", ()), ("facts", ())]
    assert facts.text[facts.sections[1].char_start:].startswith("Attendu, selon l'arrêt attaqué")
    assert "Sur le rapport" in facts.text[:facts.sections[0].char_end]
    tribunal = _parse(_corpus("larochesuryon"))
    opening = [s for s in tribunal.sections if not s.path]
    assert [s.kind for s in opening] == ["header", "reasons"]
    assert "TRIBUNAL DE COMMERCE" in tribunal.text[:opening[0].char_end]
    assert tribunal.text[opening[1].char_start:].startswith("Attendu que")


def test_luxembourg_header_keeps_its_vu_lines_and_runs_to_the_first_heading() -> None:
    judgment = _parse(LUXEMBOURG)
    header, first = judgment.sections[0], judgment.sections[1]
    assert header.kind == "header" and first.path == ("FAITS CONSTANTS",)
    assert "Vu les conclusions" in judgment.text[:header.char_end]
    assert not judgment.text[header.char_end:first.char_start].strip()


def test_chamber_names_share_one_typography() -> None:
    chambers = {p.name: _parse(p).meta.chamber for p in corpus_files()}
    paris = {c for name, c in chambers.items() if "ca-paris" in name}
    assert paris == {"Pôle 5 - Chambre 11"}  # "Pôle 5 ch. 11" and "Pôle 5 – Chambre 11"
    assert chambers[_corpus("ca-versailles-2003").name] == "12e chambre section 2"
    assert chambers[_corpus("ca-lyon").name] == "3e chambre A"
    assert chambers[_corpus("ca-nancy").name] == "Première chambre civile"
    assert chambers[LUXEMBOURG.name] == "XIe chambre"
    for chamber in chambers.values():
        assert not re.search(r"[–—]|\b(?:\d+|[IVXL]+)\s?[èe]me\b|\s\s|^\s|\s$", chamber), chamber


@pytest.mark.parametrize(("written", "normal"), [
    ("Pôle 5 ch. 11", "Pôle 5 - Chambre 11"), ("Pôle 5 – Chambre 11", "Pôle 5 - Chambre 11"),
    ("12ème chambre  section 2", "12e chambre section 2"), ("1ère chambre civile",
                                                            "1re chambre civile"),
    ("Première Chambre Civile", "Première chambre civile"), ("XIème chambre", "XIe chambre"),
    ("ch. civ.", "ch. civ."), ("Chambre 2 section 2", "Chambre 2 section 2"), ("", ""),
])
def test_normalize_chamber_changes_typography_only(written: str, normal: str) -> None:
    assert normalize_chamber(written) == normal


@pytest.mark.parametrize(("name", "country"), [
    ("larochesuryon", "FR"),  # "articles L.640-1 et suivants du code de commerce"
    ("ca-chambery", "FR"), ("fr-cass-com-2020", "FR"), ("2025TALCH11", "LU"),
])
def test_full_judgments_state_their_country(name: str, country: str) -> None:
    assert _parse(_corpus(name)).meta.country == country



def _kinds(text: str) -> list[tuple[str, str]]:
    judgment = parse_judgment(RawDocument(Path("decision.txt"), "txt", text, ()), "decision.txt")
    return [(s.kind, judgment.text[s.char_start : s.char_start + 25]) for s in judgment.sections]


def test_a_french_administrative_decision_has_its_procedure_reasons_and_operative_part() -> None:
    text = (
        "Vu la procédure suivante :\n\n"
        "Par une requête, enregistrée le 3 janvier 2025, M. B... demande au Conseil d'Etat "
        "d'annuler la décision.\n\n"
        "Vu les autres pièces du dossier ;\n\n"
        "Considérant ce qui suit :\n\n"
        "1. Aux termes de l'article L. 761-1 du code de justice administrative, le juge peut "
        "mettre une somme à la charge de la partie perdante.\n\n"
        "D É C I D E :\n\n"
        "Article 1er : La requête de M. B... est rejetée.\n\n"
        "Article 2 : La présente décision sera notifiée à M. B....\n"
    )
    assert [kind for kind, _ in _kinds(text)] == ["procedure", "reasons", "operative"]


def test_a_belgian_constitutional_ruling_keeps_the_parties_arguments_apart() -> None:
    text = (
        "Cour constitutionnelle\n\nArrêt n° 13/2026 du 22 janvier 2026\n\n"
        "I. Objet de la question préjudicielle et procédure\n\n"
        "Par jugement du 4 mars 2025, le Tribunal de première instance a posé la question "
        "préjudicielle suivante.\n\n"
        "II. Les faits et la procédure antérieure\n\n"
        "La société a clôturé son exercice comptable le 31 mars et conteste l'impôt établi.\n\n"
        "III. En droit\n\n- A -\n\n"
        "A.1. La partie demanderesse fait valoir que la disposition crée une différence de "
        "traitement.\n\n"
        "A.2. Le Conseil des ministres répond que la\ndifférence repose sur un critère objectif\n"
        "et qu'elle est raisonnablement justifiée.\n- B -\n"
        "B.1. La question préjudicielle porte sur l'article 2\nde la loi du 25 décembre 2017.\n\n"
        "Par ces motifs,\n\nla Cour\n\ndit pour droit : l'article 2 ne viole pas la "
        "Constitution.\n"
    )
    kinds = _kinds(text)
    assert [kind for kind, _ in kinds] == [
        "header", "procedure", "facts", "reasons", "claims", "reasons", "operative"]
    # the parties' arguments (- A -) are not the Court's reasons (- B -)
    assert kinds[4][1].startswith("- A -") and kinds[5][1].startswith("- B -\n\nB.1.")


def test_an_older_public_law_ruling_reasons_by_considerants_before_it_decides() -> None:
    text = (
        "Le Conseil constitutionnel,\n\n"
        "Vu la Constitution, notamment son article 59 ;\n\n"
        "Le rapporteur ayant été entendu ;\n\n"
        "1. Considérant qu'aux termes de l'article L. 52-12 du code électoral, le compte est "
        "déposé dans les deux mois ;\n\n"
        "2. Considérant que le compte a été déposé après ce délai ;\n\n"
        "Décide :\n\n"
        "Article premier : Mme X est déclarée inéligible pour un an.\n"
    )
    kinds = _kinds(text)
    assert [kind for kind, _ in kinds] == ["header", "reasons", "operative"]
    assert kinds[1][1].startswith("1. Considérant")


def test_the_prosecutors_opinion_after_a_ruling_is_not_its_operative_part() -> None:
    text = (
        "Arrêt de la Cour de cassation\n\n"
        "Sur les faits\n\n"
        "Selon le jugement attaqué, le tribunal a condamné PERSONNE1.) à payer un loyer.\n\n"
        "PAR CES MOTIFS,\n\n"
        "la Cour de cassation\nrejette le pourvoi;\n\n"
        "Conclusions du Parquet Général\ndans l’affaire de cassation\n"
        "PERSONNE1.)\nc/\nPERSONNE2.)\n"
        "Le pourvoi est recevable.\n\n"
        "Faits et rétroactes\n\n"
        "Par requête, PERSONNE2.) a demandé la condamnation de PERSONNE1.) au paiement de la "
        "somme de 20.054,60 euros au titre de loyers échus.\n\n"
        "PAR CES MOTIFS\n\n"
        "Le pourvoi est à rejeter.\n"
    )
    judgment = parse_judgment(RawDocument(Path("cass.txt"), "txt", text, ()), "cass.txt")
    tops = [(s.kind, s.path[0]) for s in judgment.sections if len(s.path) == 1]
    # the opinion runs to the end: its own titles open nothing
    assert tops == [("facts", "Sur les faits"), ("operative", "PAR CES MOTIFS,"),
                    ("opinion", "Conclusions du Parquet Général")]
    opinion = judgment.sections[-1]
    assert judgment.text[opinion.heading_start:opinion.heading_end] == tops[-1][1]
    assert opinion.char_end == len(judgment.text.rstrip())
