"""The damages table (issue 14): on the Luxembourg judgment of data/corpus, parsed as ingest
parses it, the table shows what the judgment decides, each row quoted verbatim; sums of other
decisions and sums told as facts are no rows; amounts are read as French, Luxembourg and
Belgian decisions write them; `amounts_in_store` and `legal-assistant amounts` give the same
rows from a store built by the ingest command."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.amounts import (
    HEADS,
    AmountFilters,
    AmountsCache,
    amounts_in_store,
    checked_rows,
    extract_amounts,
    extraction,
    parse_amount,
    party_key,
)
from assistant.cli import main
from ingest.parse import parse_judgment
from ingest.read import RawDocument, read_document
from store.records import Judgment
from store.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
LUX = CORPUS / "luxembourg" / "TAL_2025-01-24_2025TALCH11-00011.txt"
LUX_ID = "tal-2025talch11-00011"
LUX_COURT = "Tribunal d'arrondissement de Luxembourg"
CORPUS_FILES = sorted(p for p in CORPUS.rglob("*.txt") if p.parent != CORPUS)


def parsed(path: Path) -> Judgment:
    return parse_judgment(read_document(path), str(path))


def parsed_text(text: str, name: str = "decision.txt") -> Judgment:
    return parse_judgment(RawDocument(Path(name), "txt", text, ()), name)


@pytest.fixture(scope="module")
def lux() -> Judgment:
    return parsed(LUX)


@pytest.fixture(scope="module")
def table(lux: Judgment) -> list[tuple[str, float, str, str, str]]:
    return sorted((r.outcome, r.value, r.head, r.creditor, r.debtor) for r in extract_amounts(lux))


# -- the Luxembourg judgment --------------------------------------------------------------------


def test_each_claimant_is_granted_500_for_image_and_2000_for_moral_damage(table):
    granted = [row for row in table if row[0] == "granted" and row[2] in ("image", "moral")]
    assert granted == [
        ("granted", 500.0, "image", "PERSONNE1.)", "SOCIETE3.)"),
        ("granted", 500.0, "image", "SOCIETE1.)", "SOCIETE3.)"),
        ("granted", 2000.0, "moral", "PERSONNE1.)", "SOCIETE3.)"),
        ("granted", 2000.0, "moral", "SOCIETE1.)", "SOCIETE3.)"),
    ]


def test_1000_under_article_240_is_granted_to_both_and_the_two_claims_for_more_rejected(table):
    procedure = [row for row in table if row[2] == "indemnite_procedure"]
    assert procedure == [
        ("granted", 1000.0, "indemnite_procedure", "PERSONNE1.) et SOCIETE1.)", "SOCIETE3.)"),
        ("rejected", 2000.0, "indemnite_procedure", "PERSONNE1.) et SOCIETE2.)", "SOCIETE3.)"),
        ("rejected", 3000.0, "indemnite_procedure", "SOCIETE3.)", "PERSONNE1.) et SOCIETE2.)"),
    ]


def test_the_heads_claimed_but_refused_or_reduced_are_rejected(table):
    refused = [row for row in table if row[0] == "rejected"
               and row[2] not in ("indemnite_procedure", "paiement")]  # fmt: skip
    assert refused == [
        ("rejected", 10000.0, "image", "", "SOCIETE3.)"),  # the dance school's, reduced to 500
        ("rejected", 10000.0, "materiel", "PERSONNE1.)", "SOCIETE3.)"),
        ("rejected", 10000.0, "moral", "", "SOCIETE3.)"),  # the firm's, reduced to 2,000
        ("rejected", 10000.0, "moral", "", "SOCIETE3.)"),  # the school's, reduced to 2,000
        ("rejected", 20000.0, "image", "", "SOCIETE3.)"),  # the firm's, reduced to 500
        ("rejected", 30000.0, "perte_exploitation", "PERSONNE1.)", "SOCIETE3.)"),
    ]


def test_the_providers_counterclaim_for_its_invoices_is_rejected(lux):
    rows = [r for r in extract_amounts(lux) if r.head == "paiement"]
    assert [(r.outcome, r.value, r.creditor, r.debtor) for r in rows] == [
        ("rejected", 8143.25, "SOCIETE3.)", "PERSONNE1.) et SOCIETE2.)")]
    assert "à titre reconventionnel" in rows[0].quote and "8.143,25 euros" in rows[0].quote


def test_the_table_has_these_14_rows_and_no_other(table):
    assert len(table) == 14
    assert {row[0] for row in table} == {"granted", "rejected"}  # the tribunal rules on all


def test_totals_parts_of_a_total_and_sums_told_as_facts_are_no_rows(table):
    values = {row[1] for row in table}
    # 70,000 / 20,000 / 90,000: totals of the heads; 2,740.73 and 5,402.52: the two invoices
    # of the 8,143.25 claimed; 29,527.85 (turnover), 4,890.60 (an invoice line), 2,340 (a
    # former invoice), 453.20 and 1,195.60 (the new provider's), 351 (cartridges), 95 (rate).
    assert values.isdisjoint({70000.0, 90000.0, 2740.73, 5402.52, 29527.85, 4890.6, 2340.0,
                              453.2, 1195.6, 351.0, 95.0})  # fmt: skip
    assert sum(1 for row in table if row[1] == 20000.0) == 1  # the firm's image head only


def test_a_sum_said_in_the_reasons_and_the_operative_part_is_quoted_from_the_operative_part(lux):
    for row in extract_amounts(lux):
        if row.outcome == "granted":
            assert row.section_kind == "operative"
            assert row.quote.startswith("partant, condamne le groupement d'intérêt économique "
                                        "SOCIETE3.) à payer à")  # fmt: skip
            assert row.citation.startswith(
                "Trib. arr. Luxembourg, XIe ch., 24 janvier 2025, n° 2025TALCH11/00011 "
                "(rôle TAL-2021-06580), Dispositif, § ")


def test_rows_carry_the_amount_as_written_and_the_judgments_fields(lux):
    row = next(r for r in extract_amounts(lux) if r.value == 8143.25)
    assert (row.amount_text, row.currency, row.judgment_id, row.court, row.date,
            row.decision_number) == ("8.143,25 euros", "EUR", LUX_ID, LUX_COURT, "2025-01-24",
                                     "2025TALCH11/00011")  # fmt: skip


# -- every quote is checked -----------------------------------------------------------------------


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_every_quote_is_the_exact_slice_of_the_judgment_that_holds_the_amount(path):
    judgment = parsed(path)
    result = extraction(judgment)
    assert result.dropped == ()
    for row in result.rows:
        assert judgment.text[row.char_start : row.char_end] == row.quote
        assert row.amount_text in row.quote
        assert parse_amount(row.amount_text) == (row.value, row.currency)
        assert 20 <= len(row.quote) <= 400
        assert row.head in HEADS


def test_a_row_whose_quote_is_not_verbatim_is_dropped_and_counted(lux):
    good = extract_amounts(lux)[0]
    shifted = replace(good, char_start=good.char_start + 1)  # the quote is no longer the slice
    other_sum = replace(good, value=good.value + 1)  # the amount written is not this value
    not_there = replace(good, amount_text="999 euros")  # the amount is not in the quote
    retyped = replace(good, quote=good.quote.replace("euros", "EUR"))  # not the text
    kept, dropped = checked_rows([good, shifted, other_sum, not_there, retyped], lux.text)
    assert kept == [good]
    assert dropped == [shifted, other_sum, not_there, retyped]


# -- reading amounts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "country", "expected"),
    [
        ("2.000 euros", "", (2000.0, "EUR")),
        ("1 500,50 €", "", (1500.5, "EUR")),
        ("1\u202f500,50 €", "", (1500.5, "EUR")),
        ("1.250.- EUR", "", (1250.0, "EUR")),
        ("EUR 3.000", "", (3000.0, "EUR")),
        ("EUR 351,00", "", (351.0, "EUR")),
        ("8.143,25 euros", "", (8143.25, "EUR")),
        ("3 000 €", "", (3000.0, "EUR")),
        ("60 570 euro HT", "", (60570.0, "EUR")),
        ("1.000.000 euros", "", (1000000.0, "EUR")),
        ("500 euros", "", (500.0, "EUR")),
        ("100.000 francs luxembourgeois", "", (100000.0, "LUF")),
        ("25.000 francs belges", "", (25000.0, "BEF")),
        ("2.500 francs", "BE", (2500.0, "BEF")),
        ("2.500 francs", "FR", (2500.0, "FRF")),
        ("CHF 5.000", "", (5000.0, "CHF")),
        ("CHF 1'500", "", (1500.0, "CHF")),  # Swiss thousands
        ("1’250’000 francs", "CH", (1250000.0, "CHF")),
        ("5.000 EUROS", "", (5000.0, "EUR")),  # an operative part written in capitals
        ("2.000 Euros", "", (2000.0, "EUR")),
        ("300 FRANCS BELGES", "", (300.0, "BEF")),
        ("10 000 dollars", "", (10000.0, "USD")),
        ("1 899 228,15CAD", "", (1899228.15, "CAD")),  # a Quebec court glues the code
        ("1.000.000 F CFA", "", (1000000.0, "XOF")),
        ("82.905.000 frs CFA", "", (82905000.0, "XOF")),
        ("6.908.750 frs", "CI", (6908750.0, "XOF")),  # the francs of Côte d'Ivoire
        ("2 \n500 €", "", (2500.0, "EUR")),  # wrapped over a line
        ("27\n000 euros", "", (27000.0, "EUR")),
        ("de3.000 euros", "", (3000.0, "EUR")),  # glued to the word before it (text layer)
        ("n°3.000 euros", "", (3000.0, "EUR")),
        ("L3.000 euros", "", None),  # glued to a capital: a reference, not a sum
        ("12.3.000 euros", "", None),
        ("20.00 euros", "", None),  # not a French writing: dots group thousands by three
        ("CHF 5,000", "", None),  # nor is a comma before three digits
        ("deux factures", "", None),
    ],
)
def test_amounts_are_read_as_french_luxembourg_and_belgian_decisions_write_them(
        written, country, expected):
    assert parse_amount(written, country) == expected


# -- what is not a row ----------------------------------------------------------------------------


def test_a_judgment_without_sums_gives_no_row():
    judgment = parsed(CORPUS / "excerpts" / "juricaf_lu-cass-20230330-38-23.txt")
    assert extract_amounts(judgment) == []


def test_a_debt_told_as_a_fact_is_no_row():
    judgment = parsed(CORPUS / "full" / "judilibre-github_fr-tcom-larochesuryon-20221123-"
                               "2022004346.txt")  # fmt: skip
    assert "5.600,00 €" in judgment.text
    assert extract_amounts(judgment) == []


def test_the_first_judges_awards_restated_by_the_appeal_court_are_no_rows():
    judgment = parsed(CORPUS / "excerpts" / "livv_ca-orleans-20260120-23-01807.txt")
    assert "la somme de 6 000 euros à titre de dommages et intérêts" in judgment.text
    assert extract_amounts(judgment) == []


def test_a_sum_told_as_already_awarded_with_an_adverb_is_no_row():
    judgment = parsed_text(
        "COUR DE JUSTICE BENELUX\n\nLES FAITS\n\n"
        "Dans une autre instance, X a également été condamné à payer à Y la somme de "
        "2 000 euros à titre de dommages et intérêts.\n"
    )
    assert extract_amounts(judgment) == []


def test_the_cour_de_cassation_grants_article_700_and_the_attacked_decisions_sums_are_no_rows():
    judgment = parsed(CORPUS / "full" / "judilibre-github_fr-cass-com-20201118-19-19463.txt")
    assert "d'AVOIR condamné la société Uber à payer" in judgment.text
    rows = extract_amounts(judgment)
    assert [(r.outcome, r.value, r.head, r.section_kind) for r in rows] == [
        ("granted", 3000.0, "indemnite_procedure", "operative")]
    assert rows[0].creditor.startswith("syndicat des sociétés coopératives de chauffeurs")


def test_a_sum_of_the_judgment_a_moyen_attacks_is_no_row():
    judgment = parsed_text(
        "COUR DE CASSATION\n\nEnoncé du moyen\n\n3. L'URSSAF fait grief au jugement de "
        "constater l'irrégularité de l'appel de cotisation, de l'annuler et de la condamner à "
        "rembourser à la cotisante la somme de 3 644 euros avec intérêts au taux légal."
    )
    assert extract_amounts(judgment) == []


@pytest.mark.parametrize("sentence", [
    # the attacked decision's motive, told by the Cour de cassation
    "Pour déclarer brutale la rupture des relations et condamner le Syndicat à payer la somme "
    "de 150 000 euros à titre de dommages et intérêts, l'arrêt retient que la résiliation est "
    "fautive.",
    # a party asks that the first judge's award be confirmed
    "Ils concluent que la somme de 800 000 euros accordée par le tribunal doit être confirmée.",
    # past awards of the first judges, with the adverbs and verbs of an appeal's account
    "Le tribunal a ainsi condamné la société X à payer à M. Y la somme de 4.000 euros au titre "
    "du préjudice matériel.",
    "La juridiction de premier degré a en outre condamné X à payer 2.000 euros.",
    "La juridiction de premier degré a par ailleurs condamné Y à payer la somme de 1.000 euros.",
    "Le conseil de prud'hommes a partiellement fait droit à la demande à hauteur de "
    "3.000 euros.",
    # another body's decision, a text that fixes a sum
    "Le conseil municipal, par une délibération du 9 novembre 2020, a décidé de fixer le prix "
    "de vente de ce bien à 310 000 euros.",
    "Ce droit est prévu par l'arrêté ministériel du 30 septembre 2024 qui fixe ce montant à "
    "12,50 euros pour chaque acte.",
    "Le décret du 11 décembre 2024 (ci-après : le décret) fixe à 4 175 euros le montant dû par "
    "les étudiants.",
    # « sur demande »: a noun, nobody claims the sum
    "Cet alinéa peut, sur demande, s'appliquer lorsque le total des revenus ne dépasse pas "
    "13.000 euros.",
])
def test_sums_this_court_neither_rules_on_nor_is_asked_for_are_no_rows(sentence):
    judgment = parsed_text(f"COUR D'APPEL\n\nArrêt du 3 mars 2025\n\nMOTIFS\n\n{sentence}\n\n"
                           "PAR CES MOTIFS\n\nla Cour confirme le jugement entrepris.")
    assert extract_amounts(judgment) == []


def test_the_court_s_own_ruling_next_to_such_sums_is_still_read():
    judgment = parsed_text(
        "COUR D'APPEL\n\nArrêt du 3 mars 2025\n\nMOTIFS\n\nLe tribunal a ainsi condamné X à "
        "payer 4.000 euros. Il y a lieu de fixer le préjudice moral de Y à 2.500 euros.\n\n"
        "PAR CES MOTIFS\n\nla Cour condamne X à payer à Y la somme de 2.500 euros à titre de "
        "préjudice moral.")
    assert [(r.value, r.outcome, r.head) for r in extract_amounts(judgment)] == [
        (2500.0, "granted", "moral")]


def test_two_claims_of_the_same_sum_each_keep_the_head_named_after_them():
    judgment = parsed_text(
        "TRIBUNAL DE PREMIÈRE INSTANCE\n\nPRÉTENTIONS DES PARTIES\n\nLa société X demande de :\n"
        "- Condamner Y au paiement de la somme de 30.000 euros au titre de ses frais de "
        "procédure ;\n- Condamner Y au paiement de la somme de 30.000 euros à titre de "
        "dommages et intérêts pour résistance abusive ;\n")
    assert sorted((r.value, r.head, r.outcome) for r in extract_amounts(judgment)) == [
        (30000.0, "dommages", "claimed"), (30000.0, "indemnite_procedure", "claimed")]


def test_a_sum_titled_with_no_head_of_the_table_takes_the_head_its_claim_names_elsewhere():
    judgment = parsed_text(
        "COUR DU TRAVAIL\n\nFAITS\n\nPar un courrier du 3 mars 2020, l'ONEm réclame la somme "
        "de 16.199,09 euros à titre d'allocations perçues indûment.\n\nPRÉTENTIONS DES "
        "PARTIES\n\nL'ONEm a formé une demande reconventionnelle, sollicitant la condamnation "
        "de Monsieur J. à lui rembourser la somme de 16.199,09 euros.\n")
    assert [(r.value, r.head, r.outcome) for r in extract_amounts(judgment)] == [
        (16199.09, "remboursement", "claimed")]


@pytest.mark.parametrize(("ruling", "expected"), [
    # an operative part in capitals, without accents
    ("CONDAMNE X A PAYER A Y LA SOMME DE 2.000 EUROS AU TITRE DE L'ARTICLE 700 DU CODE DE "
     "PROCEDURE CIVILE ;", (2000.0, "granted", "indemnite_procedure", "Y", "X")),
    # the creditor ends where the sum starts
    ("Condamne X à payer à Y 1.500 € au titre de l'article 700 du code de procédure civile ;",
     (1500.0, "granted", "indemnite_procedure", "Y", "X")),
    ("Condamne X à payer à Y 4.000 euros de dommages et intérêts ;",
     (4000.0, "granted", "dommages", "Y", "X")),
    # « fondée pour »: what the sum is paid for needs no other word
    ("Déclare la demande de Y fondée pour 2.000 € ;", (2000.0, "granted", "autre", "Y", "")),
])
def test_an_operative_part_s_award_is_read_whatever_its_case_and_word_order(ruling, expected):
    judgment = parsed_text("TRIBUNAL JUDICIAIRE DE PARIS\n\nMOTIFS\n\nLe tribunal a examiné "
                           f"les pièces.\n\nPAR CES MOTIFS\n\n{ruling}")
    assert [(r.value, r.outcome, r.head, r.creditor, r.debtor)
            for r in extract_amounts(judgment)] == [expected]


def test_the_prosecutors_appended_opinion_grants_and_rejects_nothing():
    judgment = parsed_text(
        "Arrêt de la Cour de cassation\n\nPAR CES MOTIFS,\n\nla Cour de cassation\n"
        "rejette le pourvoi;\n\nConclusions du Parquet général\ndans le cadre du pourvoi\n"
        "Il y a lieu de condamner PERSONNE1.) à payer la somme de 150.000 euros. La demande "
        "de PERSONNE2.) en paiement de dommages et intérêts est à rejeter.\n\n"
        "PERSONNE2.) demande la somme de 40.500 euros à titre de dommages et intérêts.\n"
    )
    assert "opinion" in {s.kind for s in judgment.sections}
    # the prosecutor proposes, the court rules: a claim told there stays claimed
    assert [(r.outcome, r.value, r.section_kind) for r in extract_amounts(judgment)] == [
        ("claimed", 40500.0, "opinion")]


def test_the_administrations_rejection_of_a_sum_told_in_a_plea_is_no_claim():
    # « rejet » is the noun, never the court's verb (rejette, rejeter, rejeté)
    judgment = parsed_text(
        "CONSEIL D'ÉTAT\n\nMoyens des parties\n\nLa partie requérante soutient qu'après rejet "
        "d'une somme globale de 3.280.523,48 €, le montant des dépenses admises est inférieur "
        "au seuil.\n\nPar un mémoire, la commune conclut au rejet de la requête et à ce que "
        "la somme de 2 500 euros soit mise à la charge de la partie requérante.\n"
    )
    assert [(r.outcome, r.value) for r in extract_amounts(judgment)] == [("claimed", 2500.0)]


_CIVIL_RULINGS = [
    # the sentence's own predicate rules on the sum its subject claims
    ("La demande de PERSONNE1.) en paiement du montant de 5.000 euros à titre de préjudice "
     "moral est partant à déclarer non fondée.", [(5000.0, "rejected", "moral", "PERSONNE1.)")]),
    ("La demande de PERSONNE1.) en paiement de la somme de 5.000 euros est à déclarer non "
     "fondée.", [(5000.0, "rejected", "autre", "PERSONNE1.)")]),
    ("La demande reconventionnelle de SOCIETE2.) tendant au paiement de la somme de 12.000 "
     "euros est rejetée.", [(12000.0, "rejected", "autre", "")]),
    ("La demande de PERSONNE1.) tendant à l'allocation d'une indemnité de procédure de 1.500 "
     "euros est à déclarer non fondée.",
     [(1500.0, "rejected", "indemnite_procedure", "PERSONNE1.)")]),
    ("SOCIETE1.) ne rapporte pas la preuve du préjudice allégué de 25.000 euros, de sorte que "
     "sa demande est à rejeter.", [(25000.0, "rejected", "dommages", "")]),
    ("La demande de SOCIETE3.) en paiement de la somme de 7.500 euros est partant fondée.",
     [(7500.0, "granted", "autre", "SOCIETE3.)")]),
    # a ruling on the claim just told, without naming it again
    ("PERSONNE1.) réclame le montant de 10.000 euros au titre du préjudice matériel. Faute de "
     "preuve, cette demande est à rejeter.", [(10000.0, "rejected", "materiel", "PERSONNE1.)")]),
    ("M. [N] demande 3 000 euros en réparation de son préjudice moral. Cette demande n'est "
     "pas fondée.", [(3000.0, "rejected", "moral", "M. [N]")]),
    # whom the court « déboute », and a claim reduced
    ("Au vu de ce qui précède, il y a lieu de débouter SOCIETE1.) de sa demande en paiement de "
     "la somme de 3.500 euros.", [(3500.0, "rejected", "autre", "SOCIETE1.)")]),
    ("Il y a lieu de réduire le montant réclamé par PERSONNE1.) de 8.000 euros à 4.000 euros.",
     [(8000.0, "rejected", "autre", "PERSONNE1.)"), (4000.0, "granted", "autre", "PERSONNE1.)")]),
    ("PERSONNE1.) demande de réduire l'astreinte à 100 euros par jour de retard.",
     [(100.0, "claimed", "astreinte", "PERSONNE1.)")]),
    # the court's other verbs of an award
    ("Le tribunal accorde à PERSONNE1.) une indemnité de procédure de 1.000 euros.",
     [(1000.0, "granted", "indemnite_procedure", "PERSONNE1.)")]),
    ("Il y a lieu de faire droit à la demande de PERSONNE1.) à concurrence de 3.000 euros.",
     [(3000.0, "granted", "autre", "PERSONNE1.)")]),
    ("Il y a lieu de dire que SOCIETE1.) est tenue de payer à PERSONNE1.) la somme de 4.000 "
     "euros.", [(4000.0, "granted", "autre", "PERSONNE1.)")]),
    ("Le tribunal évalue ex aequo et bono le préjudice moral de PERSONNE1.) à 1.500 euros.",
     [(1500.0, "granted", "moral", "")]),
    ("L’ONEm sollicite la condamnation de Monsieur J. à lui rembourser la somme de 16.199,09 "
     "euros à titre d’allocations perçues indûment.",
     [(16199.09, "claimed", "remboursement", "L’ONEm")]),
    # Belgian forms: the procedure indemnity within the costs, a sum that bears interest
    ("Condamne la défenderesse aux dépens, liquidés pour la demanderesse à 1.430 € à titre "
     "d'indemnité de procédure.", [(1430.0, "granted", "indemnite_procedure", "")]),
    ("Condamne la SA X à payer à la SRL Y la somme de 5.432,10 € à majorer des intérêts "
     "moratoires au taux légal.", [(5432.1, "granted", "autre", "la SRL Y")]),
    ("La SRL Y réclame 7.500 € à titre de dommage moral. Ce dommage n'est pas établi.",
     [(7500.0, "rejected", "moral", "La SRL Y")]),
    ("Il y a lieu de faire droit à la demande de la partie requérante et de\nlui accorder une "
     "indemnité de procédure de 770 euros.",
     [(770.0, "granted", "indemnite_procedure", "la partie requérante")]),
    # the other words of a rejection: mal fondée, abjuger, ne saurait prospérer
    ("La demande de PERSONNE1.) en paiement de la somme de 5.000 euros à titre de préjudice "
     "moral est à déclarer mal fondée.", [(5000.0, "rejected", "moral", "PERSONNE1.)")]),
    ("Déclare PERSONNE1.) mal fondée en sa demande en paiement de la somme de 5.000 euros au "
     "titre du préjudice moral.", [(5000.0, "rejected", "moral", "")]),
    ("Il y a lieu d'abjuger la demande de PERSONNE1.) en paiement de la somme de 5.000 euros à "
     "titre de préjudice moral.", [(5000.0, "rejected", "moral", "PERSONNE1.)")]),
    ("PERSONNE1.) réclame 5.000 euros au titre du préjudice moral. Cette demande est à "
     "abjuger.", [(5000.0, "rejected", "moral", "PERSONNE1.)")]),
    ("PERSONNE1.) réclame 5.000 euros au titre du préjudice moral. Cette demande est mal "
     "fondée.", [(5000.0, "rejected", "moral", "PERSONNE1.)")]),
    ("La demande de PERSONNE1.) en paiement de la somme de 5.000 euros à titre de préjudice "
     "moral ne saurait prospérer.", [(5000.0, "rejected", "moral", "PERSONNE1.)")]),
    ("PERSONNE1.) réclame 5.000 euros au titre du préjudice moral. Cette demande ne saurait "
     "prospérer.", [(5000.0, "rejected", "moral", "PERSONNE1.)")]),
    # a grant verb the court negates
    ("Il n'y a pas lieu de faire droit à la demande de PERSONNE1.) tendant au paiement de la "
     "somme de 5.000 euros à titre de préjudice moral.",
     [(5000.0, "rejected", "moral", "PERSONNE1.)")]),
    ("Il n'y a pas lieu de condamner SOCIETE1.) à payer à PERSONNE1.) la somme de 5.000 euros "
     "à titre de préjudice moral.", [(5000.0, "rejected", "moral", "PERSONNE1.)")]),
    ("Le tribunal ne saurait faire droit à la demande de PERSONNE1.) en paiement de 5.000 euros "
     "au titre du préjudice moral.", [(5000.0, "rejected", "moral", "PERSONNE1.)")]),
    # a party's words of a claim told in the reasons: not a ruling
    ("PERSONNE1.) évalue son préjudice moral à 5.000 euros.",
     [(5000.0, "claimed", "moral", "")]),
    ("PERSONNE1.) estime son préjudice moral à 5.000 euros.",
     [(5000.0, "claimed", "moral", "")]),
    ("PERSONNE1.) demande à se voir allouer la somme de 5.000 euros à titre de préjudice moral.",
     [(5000.0, "claimed", "moral", "PERSONNE1.)")]),
    ("PERSONNE1.) requiert la condamnation de SOCIETE1.) au paiement de la somme de 5.000 euros "
     "à titre de préjudice moral.", [(5000.0, "claimed", "moral", "PERSONNE1.)")]),
    ("PERSONNE1.) poursuit la condamnation de SOCIETE1.) à lui payer la somme de 5.000 euros à "
     "titre de préjudice moral.", [(5000.0, "claimed", "moral", "PERSONNE1.)")]),
    ("PERSONNE1.) entend obtenir le paiement de la somme de 5.000 euros à titre de préjudice "
     "moral.", [(5000.0, "claimed", "moral", "")]),
    # a party's argument told in the reasons is no ruling, unless the court speaks again
    ("SOCIETE1.) soutient que PERSONNE1.) lui redoit la somme de 5.000 euros au titre de "
     "factures impayées.", [(5000.0, "claimed", "paiement", "")]),
    ("PERSONNE1.) fait valoir que SOCIETE1.) doit être condamnée à lui payer la somme de 5.000 "
     "euros au titre du préjudice moral.", [(5000.0, "claimed", "moral", "")]),
    ("PERSONNE1.) estime qu'il y a lieu de condamner SOCIETE1.) à lui payer 5.000 euros au titre "
     "du préjudice moral.", [(5000.0, "claimed", "moral", "")]),
    ("Le tribunal estime que SOCIETE1.) redoit à PERSONNE1.) la somme de 5.000 euros au titre "
     "du préjudice moral.", [(5000.0, "granted", "moral", "PERSONNE1.)")]),
    ("Si PERSONNE1.) soutient que son préjudice est important, il y a lieu de condamner "
     "SOCIETE1.) à lui payer la somme de 3.000 euros au titre du préjudice moral.",
     [(3000.0, "granted", "moral", "")]),
    ("SOCIETE1.) soutient que le montant réclamé est excessif, mais le tribunal condamne "
     "SOCIETE1.) à payer à PERSONNE1.) la somme de 3.000 euros au titre du préjudice moral.",
     [(3000.0, "granted", "moral", "PERSONNE1.)")]),
    # a pseudonym's dot does not end the sentence a ruling is read in
    ("Déclare la demande de PERSONNE1.) fondée pour le montant de 2.000 euros au titre du "
     "préjudice moral.", [(2000.0, "granted", "moral", "PERSONNE1.)")]),
    ("La demande en allocation d'une indemnité de procédure de 1.500 euros formulée par "
     "PERSONNE1.) est à rejeter.", [(1500.0, "rejected", "indemnite_procedure", "PERSONNE1.)")]),
    # Luxembourg's « laisse d'être fondée », « redoit », « est redevable envers »
    ("La demande de PERSONNE1.) en paiement de la somme de 5.000 euros au titre du préjudice "
     "moral laisse d'être fondée.", [(5000.0, "rejected", "moral", "PERSONNE1.)")]),
    ("PERSONNE1.) réclame 5.000 euros au titre du préjudice moral. Cette demande laisse partant "
     "d'être fondée.", [(5000.0, "rejected", "moral", "PERSONNE1.)")]),
    ("PERSONNE1.) réclame 5.000 euros au titre du préjudice moral. Cette demande n'est pas "
     "davantage fondée.", [(5000.0, "rejected", "moral", "PERSONNE1.)")]),
    ("Dit que SOCIETE1.) redoit à PERSONNE1.) la somme de 5.000 euros au titre du préjudice "
     "matériel.", [(5000.0, "granted", "materiel", "PERSONNE1.)")]),
    ("Dit que SOCIETE1.) est redevable envers PERSONNE1.) de la somme de 5.000 euros au titre du "
     "préjudice matériel.", [(5000.0, "granted", "materiel", "PERSONNE1.)")]),
    ("Ordonne le remboursement à PERSONNE1.) de la somme de 5.000 euros.",
     [(5000.0, "granted", "remboursement", "PERSONNE1.)")]),
    # a ruling on the claim just told, by a pronoun
    ("PERSONNE1.) réclame 5.000 euros au titre du préjudice moral. Il n'y a pas lieu d'y faire "
     "droit.", [(5000.0, "rejected", "moral", "PERSONNE1.)")]),
    ("PERSONNE1.) réclame 5.000 euros au titre du préjudice moral. Il convient de l'en "
     "débouter.", [(5000.0, "rejected", "moral", "PERSONNE1.)")]),
    ("PERSONNE1.) réclame 5.000 euros au titre du préjudice moral. Il y a lieu d'y faire droit.",
     [(5000.0, "granted", "moral", "PERSONNE1.)")]),
]


@pytest.mark.parametrize(("sentence", "expected"), _CIVIL_RULINGS)
def test_a_civil_court_s_ruling_on_a_sum_is_read(sentence, expected):
    judgment = parsed_text("TRIBUNAL D'ARRONDISSEMENT DE LUXEMBOURG\n\nMOTIFS DE LA DÉCISION\n\n"
                           f"{sentence}\n\nPAR CES MOTIFS\n\nreçoit les demandes en la forme.")
    assert [(r.value, r.outcome, r.head, r.creditor)
            for r in extract_amounts(judgment)] == expected


_CLAIMS_TOLD = ("PERSONNE1.) réclame le montant de 5.000 euros au titre du préjudice moral et le "
                "montant de 10.000 euros au titre du préjudice matériel. Elle demande encore une "
                "indemnité de procédure de 2.000 euros.")


@pytest.mark.parametrize(("ruling", "outcomes"), [
    ("déboute PERSONNE1.) de sa demande en dommages et intérêts ;",
     ["rejected", "rejected", "claimed"]),
    ("dit non fondée la demande de PERSONNE1.) en indemnisation de ses préjudices ;",
     ["rejected", "rejected", "claimed"]),
    ("déboute PERSONNE1.) de ses demandes ;", ["rejected", "rejected", "rejected"]),
    ("déboute PERSONNE1.) de ses demandes en dommages et intérêts ;",
     ["rejected", "rejected", "claimed"]),
    ("déboute PERSONNE1.) de l'ensemble de ses demandes ;", ["rejected", "rejected", "rejected"]),
    ("dit les demandes de PERSONNE1.) non fondées ;", ["rejected", "rejected", "rejected"]),
    ("déclare mal fondées les demandes de PERSONNE1.) ;", ["rejected", "rejected", "rejected"]),
    ("dit les demandes de PERSONNE1.) mal fondées ;", ["rejected", "rejected", "rejected"]),
    ("déclare mal fondées les demandes de SOCIETE1.) ;", ["claimed", "claimed", "claimed"]),
    ("dit la demande de PERSONNE1.) en réparation du préjudice moral mal fondée et en déboute ;",
     ["rejected", "claimed", "claimed"]),
    ("abjuge la demande en allocation d'une indemnité de procédure ;",
     ["claimed", "claimed", "rejected"]),
    ("déboute SOCIETE1.) de toutes ses demandes ;", ["claimed", "claimed", "claimed"]),
    ("déboute SOCIETE1.) de sa demande en dommages et intérêts ;",
     ["claimed", "claimed", "claimed"]),
    ("déboute PERSONNE1.) de sa demande en indemnisation de son préjudice moral ;",
     ["rejected", "claimed", "claimed"]),
    ("déboute PERSONNE1.) de sa demande en dommages et intérêts pour procédure abusive et "
     "vexatoire ;", ["claimed", "claimed", "claimed"]),
    ("déboute PERSONNE1.) de sa demande en allocation d'une indemnité de procédure ;",
     ["claimed", "claimed", "rejected"]),
])
def test_the_operative_part_rules_on_the_claims_told_before(ruling, outcomes):
    """Each sum is claimed for its own head (« … euros au titre du préjudice matériel »); a
    rejection of the damages claim covers every head of loss, one of all a party's claims
    covers that party's claims only."""
    judgment = parsed_text(
        "TRIBUNAL D'ARRONDISSEMENT DE LUXEMBOURG\n\nPRÉTENTIONS DES PARTIES\n\n"
        f"{_CLAIMS_TOLD}\n\nMOTIFS DE LA DÉCISION\n\nLe tribunal examine les demandes.\n\n"
        f"PAR CES MOTIFS\n\nle tribunal, statuant contradictoirement,\n\n{ruling}\n\n"
        "reçoit les demandes en la forme.")
    assert [(r.value, r.head, r.outcome) for r in extract_amounts(judgment)] == [
        (5000.0, "moral", outcomes[0]), (10000.0, "materiel", outcomes[1]),
        (2000.0, "indemnite_procedure", outcomes[2])]


_LABOUR_CLAIMS = ("PERSONNE1.) réclame une indemnité de départ de 4.000 euros et une indemnité "
                  "compensatoire de préavis de 12.000 euros. Il réclame encore 5.000 euros au "
                  "titre du préjudice moral et 15.000 euros au titre du préjudice matériel.")


def _labour(reasons: str, operative: str = "reçoit la demande en la forme.") -> list[
        tuple[float, str]]:
    judgment = parsed_text(
        "TRIBUNAL DU TRAVAIL DE LUXEMBOURG\n\nPRÉTENTIONS DES PARTIES\n\n"
        f"{_LABOUR_CLAIMS}\n\nMOTIFS DE LA DÉCISION\n\n{reasons}\n\nPAR CES MOTIFS\n\n"
        f"le tribunal, statuant contradictoirement,\n\n{operative}")
    return [(r.value, r.outcome) for r in extract_amounts(judgment)]


@pytest.mark.parametrize(("reasons", "outcomes"), [
    # the claim named by what it is for, whatever words name the claim around it
    ("La demande en paiement d'une indemnité de départ n'est pas fondée.",
     ["rejected", "claimed", "claimed", "claimed"]),
    ("La demande relative à l'indemnité compensatoire de préavis est à rejeter, faute de preuve.",
     ["claimed", "rejected", "claimed", "claimed"]),
    ("PERSONNE1.) est à débouter de sa demande en obtention d'une indemnité de départ.",
     ["rejected", "claimed", "claimed", "claimed"]),
    ("La demande du salarié tendant au paiement d'une indemnité de départ laisse d'être fondée.",
     ["rejected", "claimed", "claimed", "claimed"]),
    ("La demande de SOCIETE1.) en paiement d'une indemnité de départ n'est pas fondée.",
     ["claimed", "claimed", "claimed", "claimed"]),
    # a head the court finds unproven; « dès lors » between the verb and its negation
    ("Le préjudice matériel allégué n'est pas établi.",
     ["claimed", "claimed", "claimed", "rejected"]),
    ("La demande en indemnisation du préjudice moral n'est dès lors pas fondée.",
     ["claimed", "claimed", "rejected", "claimed"]),
    # « Quant au …, … Sa demande est à rejeter »: the topic, not the last sum told
    ("Quant au préjudice matériel, le requérant n'établit pas avoir cherché un emploi. Sa "
     "demande est partant à rejeter.", ["claimed", "claimed", "claimed", "rejected"]),
    ("En ce qui concerne l'indemnité de départ, le requérant n'a pas l'ancienneté requise. Cette "
     "demande n'est dès lors pas fondée.", ["rejected", "claimed", "claimed", "claimed"]),
    # a plea is no claim, a ruling naming nothing the claims are for rejects none of them
    ("La demande formée en instance d'appel en paiement d'une indemnité de départ n'est pas "
     "fondée.", ["rejected", "claimed", "claimed", "claimed"]),
    ("Le moyen tiré du préjudice matériel n'est pas fondé.",
     ["claimed", "claimed", "claimed", "claimed"]),
    ("La demande en paiement d'arriérés de salaire n'est pas fondée.",
     ["claimed", "claimed", "claimed", "claimed"]),
])
def test_a_ruling_names_the_claim_it_rejects_by_what_the_claim_is_for(reasons, outcomes):
    assert _labour(reasons) == [(4000.0, outcomes[0]), (12000.0, outcomes[1]),
                                (5000.0, outcomes[2]), (15000.0, outcomes[3])]


def test_a_luxembourg_operative_part_hard_wrapped_is_read_one_ruling_a_line():
    """Open-data texts of Luxembourg courts wrap lines and end each ruling with a comma: the
    general rejection on its own line rejects every claim the court did not grant."""
    operative = ("condamne SOCIETE1.) à payer à PERSONNE1.) la somme de 12.000 euros à titre\n"
                 "d'indemnité compensatoire de préavis avec les intérêts légaux,\n"
                 "déboute PERSONNE1.) du surplus de sa demande,\n"
                 "condamne SOCIETE1.) aux frais et dépens de l'instance.")
    assert _labour("Le licenciement est abusif.", operative) == [
        (4000.0, "rejected"), (5000.0, "rejected"), (15000.0, "rejected"), (12000.0, "granted")]
    on_one_line = operative.replace(",\ndéboute", ", déboute")
    assert _labour("Le licenciement est abusif.", on_one_line)[:3] == [
        (4000.0, "claimed"), (5000.0, "claimed"), (15000.0, "claimed")]


_APPEAL_CLAIMS = ("M. [Y] sollicite la somme de 8 000 euros à titre de dommages-intérêts pour "
                  "préjudice moral et la somme de 3 000 euros sur le fondement de l'article 700 "
                  "du code de procédure civile.")


def _appeal(operative: str) -> list[tuple[float, str]]:
    judgment = parsed_text(
        f"COUR D'APPEL DE PARIS\n\nEXPOSÉ DU LITIGE\n\n{_APPEAL_CLAIMS}\n\nMOTIFS DE LA "
        f"DÉCISION\n\nLa cour examine les demandes.\n\nPAR CES MOTIFS\n\nLa cour,\n\n{operative}")
    return [(r.value, r.outcome) for r in extract_amounts(judgment)]


@pytest.mark.parametrize("operative", [
    "Rejette les demandes plus amples ou contraires.",
    "Déboute les parties de leurs demandes plus amples ou contraires.",
    "Rejette toute autre demande.",
    "Déboute M. [Y] de toutes ses autres demandes.",
    "Déboute les parties de leurs autres demandes.",
    "Rejette les autres demandes.",
    "Rejette toute demande plus ample ou contraire.",
    "Dit les demandes non fondées pour le surplus.",
])
def test_an_appeal_court_s_general_rejection_rejects_every_claim_still_open(operative):
    assert _appeal(operative) == [(8000.0, "rejected"), (3000.0, "rejected")]


def test_an_award_the_appeal_court_confirms_is_granted():
    assert _appeal("Confirme le jugement en ce qu'il a condamné la société X à payer à M. [Y] la "
                   "somme de 8 000 euros à titre de dommages-intérêts.") == [
        (3000.0, "claimed"), (8000.0, "granted")]


@pytest.mark.parametrize(("operative", "expected"), [
    # words run together in Luxembourg's open-data texts, around pseudonyms and at line ends
    ("condamne la sociétéSOCIETE1.)à payer àPERSONNE1.)le montant de 5.000 euros à titre de "
     "dommages et intérêts,", [(3000.0, "claimed", "PERSONNE1.)", "SOCIETE1.)"),
                               (5000.0, "granted", "PERSONNE1.)", "SOCIETE1.)")]),
    ("condamnePERSONNE2.)à payer àPERSONNE1.)une indemnité de procédure de 2.000 euros;",
     [(3000.0, "rejected", "PERSONNE1.)", "PERSONNE2.)"),
      (2000.0, "granted", "PERSONNE1.)", "PERSONNE2.)")]),
    ("condamne SOCIETE1.) à payer à PERSONNE1.) une indemnité\ndeprocédure de 1.500 euros,",
     [(3000.0, "rejected", "PERSONNE1.)", "SOCIETE1.)"),
      (1500.0, "granted", "PERSONNE1.)", "SOCIETE1.)")]),
    ("rejette la demande dePERSONNE1.)en allocation d'une indemnité\ndeprocédure;",
     [(3000.0, "rejected", "PERSONNE1.)", "")]),
    ("rejette les demandes en allocation d'indemnités de\nprocédure;",
     [(3000.0, "rejected", "PERSONNE1.)", "")]),
    # the court's own opening words are no report of another court's decision
    ("la Cour d'appel, quatrième chambre, statuant contradictoirement, condamne SOCIETE1.) à "
     "payer à PERSONNE1.) une indemnité de procédure de 2.000 euros.",
     [(3000.0, "rejected", "PERSONNE1.)", "SOCIETE1.)"),
      (2000.0, "granted", "PERSONNE1.)", "SOCIETE1.)")]),
])
def test_an_open_data_operative_part_with_words_run_together_is_read(operative, expected):
    judgment = parsed_text(
        "COUR D'APPEL DE LUXEMBOURG\n\nPRÉTENTIONS DES PARTIES\n\nPERSONNE1.) demande une "
        "indemnité de procédure de 3.000 euros.\n\nPAR CES MOTIFS\n\n" + operative)
    assert [(r.value, r.outcome, r.creditor, party_key(r.debtor).upper() if r.debtor else "")
            for r in extract_amounts(judgment)] == expected


@pytest.mark.parametrize(("facts", "expected"), [
    # a demand made by letter, or at an earlier stage of the case, is a fact of the case
    ("Par courrier du 3 mars 2023, PERSONNE1.) a réclamé à SOCIETE1.) le paiement de la somme de "
     "5.000 euros.", []),
    ("Par courriels datés du 16 octobre 2019, X a demandé à W une avance d'un montant de 40 000 "
     "euros.", []),
    ("En première instance, PERSONNE1.) avait réclamé la somme de 10.000 euros à titre de "
     "préjudice moral.", []),
    ("À la suite de ce contrôle, PERSONNE1.) se voit réclamer le paiement de taxes d'un montant "
     "de 3.015,28 euros.", []),
    # the claims of these proceedings
    ("PERSONNE1.) réclame le montant de 5.000 euros à titre de préjudice moral.",
     [(5000.0, "claimed")]),
    ("Par exploit d'huissier du 3 mai 2024, PERSONNE1.) a fait donner assignation à SOCIETE1.) "
     "pour l'entendre condamner à lui payer le montant de 5.000 euros.", [(5000.0, "claimed")]),
])
def test_a_demand_told_as_a_fact_of_the_case_is_no_claim(facts, expected):
    judgment = parsed_text(
        f"COUR D'APPEL DE LUXEMBOURG\n\nFAITS ET PROCÉDURE\n\n{facts}\n\nMOTIFS DE LA DÉCISION"
        "\n\nLa Cour examine.\n\nPAR CES MOTIFS\n\nreçoit l'appel en la forme.")
    assert [(r.value, r.outcome) for r in extract_amounts(judgment)] == expected


def test_sums_listed_under_a_lead_in_read_its_payment_and_its_parties():
    """« Condamne X à payer à Y : - 12.345,67 € bruts à titre d'indemnité … »: the items read
    what the lead-in pays and to whom; costs listed under « au paiement des dépens : » stay
    out."""
    judgment = parsed_text(
        "COUR DU TRAVAIL DE LIÈGE\n\nOBJET DE L'APPEL\n\nMonsieur Y demande à la cour de "
        "condamner la SA X au paiement de :\n- 12.345,67 € bruts à titre d'indemnité compensatoire"
        " de préavis,\n- 5.000 € à titre de dommages et intérêts pour licenciement abusif.\n\n"
        "PAR CES MOTIFS\n\nLa cour,\n\nCondamne la SA X à payer à Monsieur Y :\n- 12.345,67 € "
        "bruts à titre d'indemnité compensatoire de préavis ;\nDéboute Monsieur Y du surplus de sa "
        "demande ;\nCondamne la SA X au paiement des dépens :\n- liquidés à 184,67 €, au titre des "
        "frais et honoraires d'expertise dus au Docteur B.")
    assert [(r.value, r.outcome, r.creditor, r.debtor) for r in extract_amounts(judgment)] == [
        (5000.0, "rejected", "Monsieur Y", "la SA X"),
        (12345.67, "granted", "Monsieur Y", "la SA X")]


@pytest.mark.parametrize(("claims", "expected"), [
    ("La société X demande la condamnation de la société Y à lui payer 5.000.000 FCFA à titre "
     "de dommages-intérêts.", [(5000000.0, "rejected"), (2000000.0, "granted")]),
    # damages for an abusive procedure are another claim; two damages claims, no telling which
    ("La société X demande la condamnation de la société Y à lui payer 5.000.000 FCFA à titre "
     "de dommages-intérêts pour procédure abusive.", [(5000000.0, "claimed"),
                                                      (2000000.0, "granted")]),
    ("La société X demande la condamnation de la société Y à lui payer 5.000.000 FCFA à titre "
     "de dommages-intérêts et 3.000.000 FCFA à titre de dommages-intérêts complémentaires.",
     [(5000000.0, "claimed"), (3000000.0, "claimed"), (2000000.0, "granted")]),
    # another party's damages
    ("La société Z demande la condamnation de la société Y à lui payer 5.000.000 FCFA à titre "
     "de dommages-intérêts.", [(5000000.0, "claimed"), (2000000.0, "granted")]),
])
def test_a_party_s_damages_claim_granted_for_less_is_rejected(claims, expected):
    judgment = parsed_text(
        f"COUR D'APPEL D'ABIDJAN\n\nEXPOSÉ DU LITIGE\n\n{claims}\n\nPAR CES MOTIFS\n\n"
        "Condamne la société Y à payer à la société X la somme de 2.000.000 francs CFA à titre de "
        "dommages-intérêts ;")
    assert [(r.value, r.outcome) for r in extract_amounts(judgment)] == expected


@pytest.mark.parametrize(("operative", "expected"), [
    # the party's claims fall with its claims; a sum not asked « à lui » names no creditor
    ("Déboute la société Alpha de l'ensemble de ses demandes ;",
     [(20000.0, "rejected", "la société Alpha"), (3000.0, "claimed", "")]),
    ("Condamne la société Beta à payer à la société Alpha la somme de 5.000 euros à titre de "
     "dommages-intérêts ;", [(20000.0, "rejected", "la société Alpha"), (3000.0, "claimed", ""),
                             (5000.0, "granted", "la société Alpha")]),
    ("Ordonne une expertise ;",
     [(20000.0, "claimed", "la société Alpha"), (3000.0, "claimed", "")]),
])
def test_a_request_in_the_infinitive_is_a_party_s_claim_wherever_it_is_told(operative, expected):
    """Monaco's judgments list each party's conclusions in the reasons, in the infinitive
    (« Condamner la société Beta à lui payer … »): the party asks, the court does not grant."""
    judgment = parsed_text(
        "TRIBUNAL DE PREMIÈRE INSTANCE DE MONACO\n\nJugement du 3 mars 2025\n\nAttendu que par "
        "exploit du 3 mars 2023, la société Alpha a fait assigner la société Beta ;\n\nAttendu "
        "que la société Alpha demande au Tribunal de :\n\nCondamner la société Beta à lui payer "
        "la somme de 20.000 euros à titre de dommages-intérêts ;\n\nCondamner la société Beta au "
        "paiement de la somme de 3.000 euros au titre de la clause pénale ;\n\nAttendu que la "
        "société Beta conclut au débouté ;\n\nPAR CES MOTIFS,\n\nLE TRIBUNAL,\n\n" + operative)
    assert [(r.value, r.outcome, r.creditor) for r in extract_amounts(judgment)] == expected


def test_a_belgian_court_s_costs_settled_as_a_procedure_indemnity_are_granted():
    """« Liquide les dépens de X à 1.430 € (indemnité de procédure) »: the indemnity is a sum
    owed; costs settled without it stay out."""
    judgment = parsed_text(
        "COUR DU TRAVAIL DE LIÈGE\n\nPAR CES MOTIFS\n\nLa cour,\n\nLiquide les dépens de "
        "Monsieur Y à la somme de 1.430 € (indemnité de procédure) ;\n\nLiquide les dépens de "
        "l'instance d'appel à la somme de 24 € ;")
    assert [(r.value, r.head, r.outcome) for r in extract_amounts(judgment)] == [
        (1430.0, "indemnite_procedure", "granted")]


_COMMERCIAL_JUDGMENT = "\n\n".join([
    "TRIBUNAL D'ARRONDISSEMENT DE LUXEMBOURG",
    "Jugement commercial 2024TALCH02/00123",
    "Audience publique du jeudi, quatorze mars deux mille vingt-quatre.",
    "PROCÉDURE",
    "Par exploit d'huissier du 3 mai 2023, PERSONNE1.) a fait donner assignation à "
    "SOCIETE1.) à comparaître devant le tribunal.",
    "PRÉTENTIONS ET MOYENS DES PARTIES",
    "PERSONNE1.) demande à voir condamner SOCIETE1.) à lui payer le montant de 15.000 "
    "euros à titre de préjudice matériel, le montant de 2.500 euros à titre de préjudice "
    "moral, ainsi qu'une indemnité de procédure de 1.500 euros sur base de l'article 240 "
    "du Nouveau Code de procédure civile.",
    "SOCIETE1.) conclut au rejet de la demande et sollicite reconventionnellement le "
    "paiement de la somme de 4.200 euros au titre de factures impayées.",
    "MOTIFS DE LA DÉCISION",
    "Quant au préjudice matériel",
    "Au vu des pièces versées, le tribunal fixe le préjudice matériel subi par "
    "PERSONNE1.) à 5.000 euros.",
    "Quant au préjudice moral",
    "PERSONNE1.) ne justifie pas d'un préjudice moral distinct. Il y a lieu de l'en "
    "débouter.",
    "Quant à la demande reconventionnelle",
    "SOCIETE1.) ne verse aucune facture. Sa demande reconventionnelle est partant à "
    "rejeter.",
    "Quant à l'indemnité de procédure",
    "Il serait inéquitable de laisser à charge de PERSONNE1.) l'intégralité des frais non"
    " compris dans les dépens. Il y a lieu de lui allouer une indemnité de procédure de "
    "1.000 euros.",
    "PAR CES MOTIFS",
    "le tribunal d'arrondissement de et à Luxembourg, deuxième chambre, siégeant en "
    "matière commerciale, statuant contradictoirement,",
    "condamne SOCIETE1.) à payer à PERSONNE1.) le montant de 5.000 euros avec les "
    "intérêts légaux à partir du 3 mai 2023 jusqu'à solde ;",
    "déboute PERSONNE1.) de sa demande en indemnisation d'un préjudice moral ;",
    "dit la demande reconventionnelle de SOCIETE1.) non fondée et en déboute ;",
    "condamne SOCIETE1.) à payer à PERSONNE1.) une indemnité de procédure de 1.000 euros "
    ";",
    "condamne SOCIETE1.) aux frais et dépens de l'instance.",
])


def test_a_commercial_judgment_s_claims_are_each_ruled_on_under_their_own_head():
    """Claims listed in one sentence keep their own heads; the court fixes one, rejects one
    (« Il y a lieu de l'en débouter », then in the operative part), rejects the counterclaim
    and grants less than the procedure indemnity claimed."""
    rows = extract_amounts(parsed_text(_COMMERCIAL_JUDGMENT))
    assert sorted((r.value, r.head, r.outcome, r.creditor) for r in rows) == [
        (1000.0, "indemnite_procedure", "granted", "PERSONNE1.)"),
        (1500.0, "indemnite_procedure", "rejected", "PERSONNE1.)"),
        (2500.0, "moral", "rejected", "PERSONNE1.)"),
        (4200.0, "paiement", "rejected", "SOCIETE1.)"),
        (5000.0, "materiel", "granted", "PERSONNE1.)"),
        (15000.0, "materiel", "rejected", "PERSONNE1.)"),
    ]


_APPEAL_JUDGMENT = "\n\n".join([
    "COUR D'APPEL DE LYON",
    "3ème chambre A",
    "ARRÊT DU 7 MARS 2024",
    "EXPOSÉ DU LITIGE",
    "Par jugement du 5 janvier 2022, le tribunal de commerce de Lyon a condamné la "
    "société Alpha à payer à la société Beta la somme de 12 000 euros à titre de "
    "dommages-intérêts et 2 000 euros au titre de l'article 700 du code de procédure "
    "civile.",
    "La société Alpha a interjeté appel.",
    "Dans ses dernières conclusions, la société Alpha demande à la cour d'infirmer le "
    "jugement, de débouter la société Beta de ses demandes et de la condamner à lui payer"
    " la somme de 5 000 euros au titre de l'article 700 du code de procédure civile.",
    "La société Beta demande à la cour de confirmer le jugement et de condamner la "
    "société Alpha à lui payer la somme de 20 000 euros en réparation de son préjudice "
    "commercial et 4 000 euros au titre de l'article 700 du code de procédure civile.",
    "MOTIFS DE LA DÉCISION",
    "Sur le préjudice",
    "La société Beta justifie d'une perte de marge de 15 000 euros. Le jugement sera "
    "infirmé sur le quantum.",
    "PAR CES MOTIFS",
    "La cour,",
    "Infirme le jugement en ce qu'il a condamné la société Alpha à payer à la société "
    "Beta la somme de 12 000 euros à titre de dommages-intérêts ;",
    "Statuant à nouveau, condamne la société Alpha à payer à la société Beta la somme de "
    "15 000 euros à titre de dommages-intérêts ;",
    "Confirme le jugement pour le surplus ;",
    "Condamne la société Alpha à payer à la société Beta la somme de 3 000 euros au titre"
    " de l'article 700 du code de procédure civile en cause d'appel ;",
    "Rejette toute autre demande.",
])


def test_an_appeal_judgment_s_claims_are_each_ruled_on_and_each_party_keeps_its_own():
    """The appellant asks the court to « débouter » the respondent and to award itself a
    procedure indemnity: that claim is the appellant's. The respondent's claims are reduced
    (20 000 → 15 000, 4 000 → 3 000) and the appellant's falls with « Rejette toute autre
    demande »."""
    rows = extract_amounts(parsed_text(_APPEAL_JUDGMENT))
    assert sorted((r.value, r.head, r.outcome, party_key(r.creditor)) for r in rows) == [
        (3000.0, "indemnite_procedure", "granted", "beta"),
        (4000.0, "indemnite_procedure", "rejected", "beta"),
        (5000.0, "indemnite_procedure", "rejected", "alpha"),
        (15000.0, "dommages", "granted", "beta"),
        (20000.0, "image", "rejected", "beta"),
    ]


_LABOUR_JUDGMENT = "\n\n".join([
    "TRIBUNAL DU TRAVAIL DE LUXEMBOURG",
    "Audience publique du 12 février 2025",
    "FAITS ET RÉTROACTES",
    "Par requête déposée le 3 mars 2024, PERSONNE1.) a fait convoquer son ancien "
    "employeur SOCIETE1.) pour voir déclarer abusif son licenciement et le voir condamner"
    " à lui payer les montants de 12.000 euros à titre d'indemnité compensatoire de "
    "préavis, 15.000 euros à titre de dommage matériel et 6.000 euros à titre de dommage "
    "moral.",
    "MOTIFS DE LA DÉCISION",
    "Quant au dommage matériel",
    "PERSONNE1.) a retrouvé un emploi après deux mois. Le tribunal fixe le dommage "
    "matériel à 7.000 euros.",
    "Quant au dommage moral",
    "Eu égard aux circonstances du licenciement, le dommage moral est évalué à 2.000 "
    "euros.",
    "PAR CES MOTIFS",
    "le tribunal du travail, statuant contradictoirement,",
    "déclare abusif le licenciement ;",
    "condamne SOCIETE1.) à payer à PERSONNE1.) les montants de 12.000 euros à titre "
    "d'indemnité compensatoire de préavis, 7.000 euros à titre de dommage matériel et "
    "2.000 euros à titre de dommage moral, avec les intérêts légaux ;",
    "déboute PERSONNE1.) du surplus de ses demandes ;",
    "condamne SOCIETE1.) aux frais et dépens de l'instance.",
])


def test_a_labour_judgment_s_sums_each_keep_the_head_named_after_them():
    """« 12.000 euros à titre d'indemnité compensatoire de préavis, 7.000 euros à titre de
    dommage matériel et 2.000 euros à titre de dommage moral »: each sum its own head (the
    notice indemnity is none of the table's), the two heads of loss reduced from the claim."""
    rows = extract_amounts(parsed_text(_LABOUR_JUDGMENT))
    assert sorted((r.value, r.head, r.outcome) for r in rows) == [
        (2000.0, "moral", "granted"), (6000.0, "moral", "rejected"),
        (7000.0, "materiel", "granted"), (12000.0, "autre", "granted"),
        (15000.0, "materiel", "rejected")]


_LISTED_CLAIMS_JUDGMENT = "\n\n".join([
    "TRIBUNAL D'ARRONDISSEMENT DE LUXEMBOURG",
    "Jugement civil 2024TALCH08/00077",
    "PRÉTENTIONS DES PARTIES",
    "PERSONNE1.) demande la condamnation de SOCIETE1.) à lui payer les montants suivants "
    ":",
    "- 5.000 euros au titre du préjudice matériel,",
    "- 2.000 euros au titre du préjudice moral,",
    "- 1.500 euros à titre d'indemnité de procédure.",
    "MOTIFS DE LA DÉCISION",
    "Le préjudice matériel est établi à hauteur de 3.000 euros.",
    "PERSONNE1.) ne justifie pas d'un préjudice moral. Cette demande est à rejeter.",
    "PAR CES MOTIFS",
    "le tribunal, statuant contradictoirement,",
    "condamne SOCIETE1.) à payer à PERSONNE1.) le montant de 3.000 euros ;",
    "déboute PERSONNE1.) de sa demande en indemnisation d'un préjudice moral ;",
    "dit qu'il n'y a pas lieu à allocation d'une indemnité de procédure ;",
])


def test_claims_listed_under_a_lead_in_are_each_ruled_on():
    """« … à lui payer les montants suivants : - 5.000 euros au titre du préjudice matériel,
    … »: the loss the reasons find « établi à hauteur de 3.000 euros » is the sum the
    operative part grants, under its head; the claim for more is rejected, and so are the
    moral damages and the procedure indemnity (« il n'y a pas lieu à allocation »)."""
    rows = extract_amounts(parsed_text(_LISTED_CLAIMS_JUDGMENT))
    assert sorted((r.value, r.head, r.outcome) for r in rows) == [
        (1500.0, "indemnite_procedure", "rejected"), (2000.0, "moral", "rejected"),
        (3000.0, "materiel", "granted"), (5000.0, "materiel", "rejected")]


def test_a_company_named_with_or_without_its_form_is_one_party():
    assert party_key("la Compagnie ABEILLE IARD & SANTE") == party_key(
        "la société ABEILLE IARD & SANTE") == party_key("ABEILLE IARD & SANTE")


def test_a_party_s_word_that_a_sum_is_unfounded_is_no_ruling():
    judgment = parsed_text(
        "TRIBUNAL D'ARRONDISSEMENT DE LUXEMBOURG\n\nPRÉTENTIONS DES PARTIES\n\n"
        "SOCIETE1.) soutient que la demande de PERSONNE1.) en paiement du montant de 5.000 "
        "euros est à déclarer non fondée.\n\nPERSONNE1.) réclame 2.000 euros. Cette demande "
        "n'est pas fondée selon SOCIETE1.).\n\nMOTIFS DE LA DÉCISION\n\nLe tribunal "
        "réserve le surplus.\n\nPAR CES MOTIFS\n\nreçoit les demandes en la forme.")
    assert [(r.value, r.outcome) for r in extract_amounts(judgment)] == [
        (5000.0, "claimed"), (2000.0, "claimed")]


def test_the_sums_of_a_decision_whose_annulment_is_asked_are_no_claim():
    judgment = parsed_text(
        "CONSEIL D’ÉTAT\n\nI. Objet de la requête\n\nPar une requête introduite le 18 mars "
        "2024, la partie requérante demande l’annulation de « la décision de la partie adverse "
        "refusant de faire droit à [sa] demande […] d’octroi d’un contrat-programme d’un "
        "montant de 640.000 euros ».\n\nPar une requête introduite le 20 juin 2025, la partie "
        "requérante demande l’annulation de la décision qui attribue le marché pour un "
        "montant de 2.013.950,18 €.\n\nII. Procédure\n\nLa partie requérante sollicite une "
        "indemnité de procédure de 770 euros.\n"
    )
    assert [(r.outcome, r.value) for r in extract_amounts(judgment)] == [("claimed", 770.0)]


def test_the_person_who_complains_is_no_claim_of_a_sum():
    judgment = parsed_text(
        "DÉFENSEUR DES DROITS\n\nLe Défenseur des droits a été saisi par une réclamante qui "
        "contestait une amende forfaitaire délictuelle majorée d'un montant de 1500 euros."
    )
    assert extract_amounts(judgment) == []


def test_a_claim_the_decision_does_not_rule_on_stays_claimed():
    judgment = parsed(CORPUS / "full" / "judilibre-github_fr-ca-chambery-20220215-20-00024.txt")
    assert [(r.outcome, r.value, r.head, r.creditor, r.debtor)
            for r in extract_amounts(judgment)] == [
        ("claimed", 2500.0, "indemnite_procedure", "l'association", "l'Etat Français")]


def test_a_claim_reduced_by_the_court_gives_the_sum_rejected_and_the_sum_granted():
    judgment = parsed_text(
        "COUR D'APPEL DE PARIS\n\nEXPOSÉ DU LITIGE\n\n"
        "La société Alpha demande à la cour de condamner la société Beta à lui payer la somme "
        "de 15 000 euros au titre de la perte de chance.\n\n"
        "MOTIFS\n\nLe préjudice est réparé par la somme de 4 000 euros.\n\n"
        "PAR CES MOTIFS\n\nCondamne la société Beta à payer à la société Alpha la somme de "
        "4 000 euros en réparation de sa perte de chance ;"
    )
    assert [(r.outcome, r.value, r.head, r.creditor, r.debtor)
            for r in extract_amounts(judgment)] == [
        ("rejected", 15000.0, "perte_de_chance", "La société Alpha", "la société Beta"),
        ("granted", 4000.0, "perte_de_chance", "la société Alpha", "la société Beta"),
    ]  # fmt: skip


def test_a_french_administrative_courts_claim_and_order_under_article_l_761_1():
    # The administrative courts' own wording: the claim « de mettre à la charge de X la somme
    # de ... », the order « X versera à Y la somme de ... » (art. L. 761-1 CJA, or art. 37 of
    # the legal-aid law of 10 July 1991 for a lawyer's fees).
    judgment = parsed_text(
        "CONSEIL D'ÉTAT\n\n"
        "Par une requête, l'association Epsilon demande au Conseil d'État :\n\n"
        "1°) d'annuler la décision attaquée ;\n\n"
        "2°) de mettre à la charge de l'Etat la somme de 5 000 euros au titre de l'article "
        "L. 761-1 du code de justice administrative.\n\n"
        "D E C I D E :\n\n"
        "Article 1er : La décision est annulée.\n\n"
        "Article 2 : L'Etat versera à l'association Epsilon la somme de 3 000 euros au titre de "
        "l'article L. 761-1 du code de justice administrative.\n"
    )
    assert [(r.outcome, r.value, r.head, r.creditor, r.debtor)
            for r in extract_amounts(judgment)] == [
        ("rejected", 5000.0, "indemnite_procedure", "", "l'Etat"),
        ("granted", 3000.0, "indemnite_procedure", "l'association Epsilon", "L'Etat"),
    ]  # fmt: skip


def test_a_claim_the_court_rejects_by_its_head_is_rejected_and_a_fee_granted_is_granted():
    judgment = parsed_text(
        "COUR D'APPEL DE LYON\n\nEXPOSÉ DU LITIGE\n\n"
        "Par conclusions du 3 mars 2023, la société Gamma sollicite la condamnation de la société "
        "Delta au paiement de la somme de 12 500 euros à titre de dommages et intérêts et de "
        "celle de 4.000 € au titre de l'article 700 du code de procédure civile.\n\n"
        "PAR CES MOTIFS\n\nDéboute la société Gamma de sa demande de dommages et intérêts ;\n"
        "Condamne la société Delta à payer à la société Gamma la somme de 2 000 euros au titre "
        "de l'article 700 du code de procédure civile ;"
    )
    assert [(r.outcome, r.value, r.head, r.section_kind) for r in extract_amounts(judgment)] == [
        ("rejected", 12500.0, "dommages", "facts"),  # EXPOSÉ DU LITIGE
        ("rejected", 4000.0, "indemnite_procedure", "facts"),  # reduced to 2,000
        ("granted", 2000.0, "indemnite_procedure", "operative"),
    ]


def test_a_sum_written_in_words_before_its_figures_is_read_from_the_figures():
    judgment = parsed_text(
        "COUR SUPRÊME\n\nPAR CES MOTIFS\n\nCondamne la société Alpha à payer à M. B la somme de "
        "quatre-vingt-deux millions neuf cent cinq mille francs ( 82.905.000 frs CFA) à titre "
        "de dommages et intérêts pour licenciement abusif."
    )
    assert [(r.outcome, r.value, r.currency, r.creditor, r.debtor, r.amount_text)
            for r in extract_amounts(judgment)] == [
        ("granted", 82905000.0, "XOF", "M. B", "la société Alpha", "82.905.000 frs CFA")]


def test_a_short_table_row_is_quoted_with_enough_text_around_it():
    judgment = parsed_text(
        "TRIBUNAL DE COMMERCE DE PARIS\n\nEXPOSÉ DU LITIGE\n\n"
        "La société Alpha chiffre ses préjudices comme suit :\n\n| moral | 5 € |\n"
    )
    (row,) = extract_amounts(judgment)
    assert (row.outcome, row.value, row.head) == ("claimed", 5.0, "moral")
    assert len(row.quote) == 20 and row.quote.endswith("| moral | 5 € |")
    assert judgment.text[row.char_start : row.char_end] == row.quote


@pytest.mark.parametrize("path", sorted((ROOT / "tests" / "data" / "open").iterdir()),
                         ids=lambda p: p.name)
def test_open_data_records_parsed_as_ingest_parses_them_give_only_verbatim_rows(path):
    from ingest.open_data import read_records
    from ingest.parse import judgment_from_record

    for record in read_records(path).records:
        judgment = judgment_from_record(record)
        result = extraction(judgment)
        assert result.dropped == ()
        assert all(judgment.text[r.char_start : r.char_end] == r.quote for r in result.rows)


# -- decisions of ../shared/corpus-open (eval/amounts_dev2.jsonl), read as ingest reads them ------

OPEN = ROOT.parent / "shared" / "corpus-open"
needs_open = pytest.mark.skipif(not OPEN.is_dir(), reason="../shared/corpus-open is absent")


def open_rows(name: str) -> list[tuple[str, float, str, str, str]]:
    from ingest.pipeline import judgments_in_file

    (judgment,) = judgments_in_file(OPEN / name)
    return [(r.outcome, r.value, r.head, r.creditor, r.debtor) for r in extract_amounts(judgment)]


@needs_open
def test_a_cassation_ruling_gives_its_own_award_not_the_sums_of_the_grievances():
    # the moyens: "fait grief à l'arrêt de le condamner à payer ... 234 831 euros", "qu'en
    # condamnant l'employeur à payer la somme de 46 966,38 euros", "115 000 euros déjà allouée"
    assert open_rows("dila-cass/JURITEXT000048389682.xml") == [
        ("granted", 3000.0, "indemnite_procedure",
         "Mme [S] et l'union locale des syndicats CGT du 2e arrondissement de [Localité 5]",
         "la Société nationale industrielle et minière")]  # fmt: skip


@needs_open
def test_the_party_condemned_by_a_pronoun_is_the_one_whose_claim_was_rejected_before():
    # "rejette la demande formée par Mme [V] et la condamne à payer à Mme [D] la somme de ..."
    assert open_rows("records/FR_CASS_84e7a27b33.json") == [
        ("granted", 3000.0, "indemnite_procedure", "Mme [D]", "Mme [V]")]


@needs_open
def test_the_attacked_judgments_award_quoted_and_summed_up_is_no_row_its_claim_is_claimed():
    # "Par jugement du 17 décembre 2024, le Tribunal de paix ... condamné PERSONNE1.) au
    # paiement de la somme de 21.654,60 euros": another decision's award; the summons' claim
    # is told and the Cour de cassation does not rule on it.
    rows = open_rows("records/LU_SupremeCourt_731a256265.json")
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("claimed", 20054.6, "paiement", "PERSONNE2.)")]
    # the attacked judgment's dispositif quoted in the parquet's conclusions (« ... dit non
    # fondée la demande de PERSONNE2.) ... ») rules on nothing here; weak: no debtor
    # (« a cité PERSONNE1.) »)


@needs_open
def test_court_fees_and_costs_are_no_rows_a_procedure_indemnity_granted_after_its_sum_is():
    # "La contribution ... liquidée à la somme de 24 euros", "Les autres dépens, liquidés à la
    # somme de 1.100 euros", "le remboursement du montant de 900 euros" (droit de rôle)
    assert open_rows("records/BE_ConseilEtat_333bd33777.json") == [
        ("granted", 770.0, "indemnite_procedure", "la partie requérante",
         "la première partie adverse")]  # fmt: skip
    # "condamne le CPAS ... au paiement des dépens : - liquidés à 6.069,00 € + 2.950,00 € ..."
    rows = open_rows("records/BE_CourTravail_c49c0e88c8.json")
    assert {row[1] for row in rows} == {4936.69}
    assert ("granted", 4936.69, "remboursement", "CPAS de XXX", "Madame W.") in rows


@needs_open
def test_a_criminal_courts_award_under_article_618_1_is_a_procedure_indemnity_per_creditor():
    # "FIXE à 2 500 euros la somme que la société [5] devra payer à l'URSSAF PACA en
    # application de l'article 618-1 du code de procédure pénale"; the fine is no row. Who
    # pays is not read: « la somme que X devra payer » paid on no other decision.
    rows = open_rows("dila-cass/JURITEXT000048242129.xml")
    assert {(r[0], r[1], r[2], r[4]) for r in rows} == {
        ("granted", 2500.0, "indemnite_procedure", "")}
    assert [r[3] for r in rows] == [
        "l'URSSAF PACA", "parties représentées par la SCP Lyon-Caen et Thiriez",
        "la Fédération de l'équipement"]  # weak: a name's own commas end it (", de l'environ...")


@needs_open
def test_a_claim_for_damages_the_court_dismisses_is_rejected_in_cfa_francs():
    # "Ab C… et De F… sollicitent la condamnation de Lm N… et Ij K… à leur payer la somme de
    # 20 000 000 FCFA ..." then "Déboute Ab C… et De F… de leur demande en dommages intérêts"
    assert open_rows("records/CI_CourSupreme_1ab5de81e1.json") == [
        ("rejected", 20000000.0, "dommages", "Ab C… et De F…", "Lm N… et Ij K…")]


@needs_open
def test_claims_of_a_decision_that_stays_its_ruling_stay_claimed():
    # the Monaco tribunal "sursoit à statuer sur les autres demandes"
    rows = open_rows("records/MC_LegiMonaco_0210a96e13.json")
    assert {row[0] for row in rows} == {"claimed"}
    assert {row[1] for row in rows} == {458000.0, 20000.0, 30000.0}
    # "Condamner c A et j.f A à lui payer une somme de 30.000 euros au titre de ses frais de
    # procédure" (Monaco, art. 238-1 CPC)
    assert ("claimed", 30000.0, "indemnite_procedure", "", "c A et j.f A") in rows
    # weak: « ... 458.000 euros tant à j.f A qu'à c A » is one row without creditor, not two


@needs_open
@pytest.mark.parametrize("name", [
    "records/LU_Courts_ec7fc3faec.json",  # a tax refund and a balance told as facts
    "records/INTL_BeneluxCourt_0272941828.json",  # astreintes of the national courts; its costs
    "records/BE_CourTravail_45bd8c8a2e.json",  # a fund's contribution of 22 EUR
    "dila-cass/JURITEXT000048430313.xml",  # the attacked award quashed, a fine, tax evaded
])  # fmt: skip
def test_decisions_whose_sums_are_facts_costs_or_other_decisions_give_no_row(name):
    assert open_rows(name) == []


# -- the store and the command line --------------------------------------------------------------


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built by `legal-assistant ingest` on data/corpus/luxembourg (hash embedder)."""
    path = tmp_path_factory.mktemp("amounts") / "store"
    with pytest.MonkeyPatch.context() as patch:
        for key in list(os.environ):
            if key.startswith(("LEGAL_ASSISTANT_", "CHROMA_")):
                patch.delenv(key)
        patch.setenv("LEGAL_ASSISTANT_EMBEDDINGS", "hash")
        assert main(["ingest", "--store", str(path), str(CORPUS / "luxembourg")]) == 0
    return path


@pytest.fixture
def env(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in list(os.environ):
        if key.startswith(("LEGAL_ASSISTANT_", "CHROMA_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("LEGAL_ASSISTANT_EMBEDDINGS", "hash")
    monkeypatch.setenv("LEGAL_ASSISTANT_STORE", str(store_path))
    return store_path


def test_the_store_gives_the_rows_of_the_stored_judgment_once_per_version(store_path, lux):
    store = Store.open(store_path, "hash:64")
    cache = AmountsCache()
    rows = amounts_in_store(store, cache=cache)
    assert rows == extract_amounts(lux) and len(rows) == 14
    meta = store.judgments()[0]
    assert list(cache.rows) == [(LUX_ID, meta.content_hash)]
    assert amounts_in_store(store, AmountFilters(outcomes=("granted",), min_value=1000),
                            cache=cache) == [r for r in rows if r.outcome == "granted"
                                             and r.value >= 1000]  # fmt: skip
    assert amounts_in_store(store, AmountFilters(date_to="2024-12-31"), cache=cache) == []
    store.close()


def test_amounts_json_lists_every_row_with_its_citation_and_quote(env, capsys, lux):
    assert main(["amounts", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 14 == len(data["rows"])
    for row in data["rows"]:
        assert lux.text[row["char_start"] : row["char_end"]] == row["quote"]
        assert row["amount_text"] in row["quote"]
        assert (row["judgment_id"], row["court"], row["date"], row["decision_number"]) == (
            LUX_ID, LUX_COURT, "2025-01-24", "2025TALCH11/00011")
        assert row["citation"].startswith("Trib. arr. Luxembourg, XIe ch., 24 janvier 2025")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--outcome", "granted"], [(500.0, "image"), (500.0, "image"), (2000.0, "moral"),
                                    (2000.0, "moral"), (1000.0, "indemnite_procedure")]),
        (["--head", "moral", "--outcome", "rejected"], [(10000.0, "moral"), (10000.0, "moral")]),
        (["--min", "8000", "--max", "9000"], [(8143.25, "paiement")]),
        (["--court", LUX_COURT, "--date-from", "2025-01-01", "--date-to", "2025-01-31",
          "--head", "perte_exploitation"], [(30000.0, "perte_exploitation")]),
        (["--court", "Cour de cassation"], []),
        (["--date-from", "2025-02-01"], []),
    ],
)
def test_amounts_filters(env, capsys, args, expected):
    assert main(["amounts", "--json", *args]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert sorted((r["value"], r["head"]) for r in rows) == sorted(expected)


def test_amounts_prints_each_row_with_its_parties_citation_and_quote(env, capsys):
    assert main(["amounts", "--outcome", "granted", "--head", "moral"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 rows\n")
    assert "[granted] 2\u202f000,00 EUR · moral · PERSONNE1.) ← SOCIETE3.)" in out
    assert "[granted] 2\u202f000,00 EUR · moral · SOCIETE1.) ← SOCIETE3.)" in out
    assert "n° 2025TALCH11/00011 (rôle TAL-2021-06580), Dispositif, § " in out
    assert f"[{LUX_ID}]" in out
    assert "« partant, condamne le groupement d'intérêt économique SOCIETE3.)" in out
    assert main(["amounts", "--court", "Cour de cassation"]) == 0
    assert capsys.readouterr().out == "0 rows\n"


def test_the_party_that_bears_the_costs_in_a_belgian_council_of_state_ruling_owes_the_indemnity():
    judgment = parsed_text(
        "CONSEIL D'ÉTAT, SECTION DU CONTENTIEUX ADMINISTRATIF\n\n"
        "PAR CES MOTIFS,\nLE CONSEIL D'ÉTAT DÉCIDE :\n\nArticle 1er.\n\nLa requête est rejetée.\n\n"
        "Article 2.\n\nLa partie requérante supporte les dépens, à savoir le droit de rôle de\n"
        "200 euros, la contribution de 24 euros et l’indemnité de procédure de 770 euros\n"
        "accordée à la partie adverse.\n"
    )
    assert [(r.outcome, r.value, r.head, r.creditor, r.debtor)
            for r in extract_amounts(judgment)] == [
        ("granted", 770.0, "indemnite_procedure", "la partie adverse", "La partie requérante")]


def test_an_administrative_order_names_its_creditor_after_the_sum():
    judgment = parsed_text(
        "CONSEIL D'ÉTAT\n\nD E C I D E :\n\n"
        "Article 1er : La décision est annulée.\n\n"
        "Article 2 : L’ANAH versera la somme de 2 000 euros à Mme A... en application de "
        "l’article L. 761-1 du code de justice administrative.\n"
    )
    assert [(r.outcome, r.value, r.creditor, r.debtor) for r in extract_amounts(judgment)] == [
        ("granted", 2000.0, "Mme A...", "L’ANAH")]


@pytest.mark.parametrize("ruling", [
    "Article 1er : La requête de M. B... est rejetée.",
    "Article 1er : Le pourvoi de M. B... n’est pas admis.",
    "Article 3 : Le surplus des conclusions de la requête est rejeté.",
    "Article 7. - Le surplus des demandes des parties est rejeté.",
    "Rejette le surplus des demandes.",
    "Déboute les parties de toutes autres demandes.",
])
def test_a_request_numbered_1_and_its_claimant_fall_with_the_whole_application(ruling):
    # « 2°) » items take their claimant from the lead-in, past « représenté par Me ... »;
    # rejecting the application (or the rest of its conclusions) rejects the sum asked.
    judgment = parsed_text(
        "COUR ADMINISTRATIVE D'APPEL DE MARSEILLE\n\nVu la procédure suivante :\n\n"
        "Par une requête et des mémoires, enregistrés le 3 janvier 2025 et le 10 février 2025, "
        "M. B..., représenté par Me Durand, demande à la cour :\n\n"
        "1°) d’annuler ce jugement ;\n\n"
        "2°) de mettre à la charge de l’État la somme de 5 000 euros au titre de l’article "
        "L. 761-1 du code de justice administrative.\n\n"
        "D E C I D E :\n\n" + ruling + "\n"
    )
    assert [(r.outcome, r.value, r.head, r.creditor, r.debtor)
            for r in extract_amounts(judgment)] == [
        ("rejected", 5000.0, "indemnite_procedure", "M. B...", "l’État")]


def test_a_request_the_decision_does_not_rule_on_stays_claimed_after_a_withdrawal():
    judgment = parsed_text(
        "CONSEIL D'ÉTAT\n\nVu la procédure suivante :\n\n"
        "Par un pourvoi, enregistré le 3 janvier 2025, M. A... demande au Conseil d’Etat :\n\n"
        "1°) d’annuler l’arrêt attaqué ;\n\n"
        "2°) de mettre à la charge de l’Etat la somme de 3 500 euros au titre de l’article "
        "L. 761-1 du code de justice administrative.\n\n"
        "O R D O N N E :\n\n"
        "Article 1er : Il est donné acte du désistement d’instance de M. A....\n"
    )
    assert [(r.outcome, r.value, r.creditor) for r in extract_amounts(judgment)] == [
        ("claimed", 3500.0, "M. A...")]


def test_a_claim_under_a_heading_is_the_claim_of_the_party_named_by_its_role_after_it():
    judgment = parsed_text(
        "CONSEIL D'ÉTAT, SECTION DU CONTENTIEUX ADMINISTRATIF\n\n"
        "V. Indemnité de procédure et autres dépens\n"
        "La partie requérante sollicite une indemnité de procédure de 924 euros.\n"
        "Il convient de limiter le montant de l’indemnité de procédure à accorder à la "
        "requérante à 770 euros.\n\n"
        "PAR CES MOTIFS,\nLE CONSEIL D'ÉTAT DÉCIDE :\n\n"
        "La partie adverse supporte les dépens, à savoir le droit de rôle de\n"
        "200 euros et l’indemnité de procédure de 770 euros accordée à la partie requérante.\n"
    )
    assert [(r.outcome, r.value, r.creditor, r.debtor) for r in extract_amounts(judgment)] == [
        ("rejected", 924.0, "La partie requérante", "La partie adverse"),
        ("granted", 770.0, "la partie requérante", "La partie adverse"),
    ]


def test_an_astreinte_asked_with_an_injunction_is_a_row_rejected_with_the_application():
    # « fixant » describes the act to be ordered: a participle rules nothing
    judgment = parsed_text(
        "COUR ADMINISTRATIVE D'APPEL DE MARSEILLE\n\nVu la procédure suivante :\n\n"
        "Par une requête, enregistrée le 3 janvier 2025, M. B... demande à la cour :\n\n"
        "1°) d’annuler ce jugement ;\n\n"
        "2°) d’enjoindre au préfet de prendre un arrêté fixant à 110 % le taux de majoration, "
        "cela sous astreinte de 250 euros par jour de retard.\n\n"
        "D E C I D E :\n\nArticle 1er : La requête de M. B... est rejetée.\n"
    )
    assert [(r.outcome, r.value, r.head, r.creditor) for r in extract_amounts(judgment)] == [
        ("rejected", 250.0, "astreinte", "M. B...")]


def test_an_astreinte_the_court_orders_is_granted():
    judgment = parsed_text(
        "TRIBUNAL JUDICIAIRE DE PARIS\n\nPAR CES MOTIFS\n\n"
        "Condamne la société X à remettre les fichiers à la société Y sous astreinte de "
        "100 euros par jour de retard.\n"
    )
    assert [(r.outcome, r.value, r.head) for r in extract_amounts(judgment)] == [
        ("granted", 100.0, "astreinte")]


def test_no_ground_for_an_article_700_award_rejects_the_claims_under_that_article():
    judgment = parsed_text(
        "TRIBUNAL DE COMMERCE DE LYON\n\nPRETENTIONS DES PARTIES\n\n"
        "La société A demande au tribunal de :\n"
        "- Condamner la société B à payer à la société A la somme de 5 000 euros au titre de "
        "l’article 700 du code de procédure civile.\n\n"
        "PAR CES MOTIFS\n\n"
        "Dit n’y avoir lieu à indemnité au titre de l’article 700 du code de procédure civile.\n"
    )
    assert [(r.outcome, r.value, r.head) for r in extract_amounts(judgment)] == [
        ("rejected", 5000.0, "indemnite_procedure")]


@pytest.mark.parametrize(("text", "outcome"), [
    ("Faits et procédure\n\n1. M. O a assigné la société MPM en paiement d’une somme totale "
     "de 84 623,05 euros.", "claimed"),
    ("PAR CES MOTIFS\n\nRejette la demande en paiement d’une somme de 84 623,05 euros formée "
     "par M. O.", "rejected"),
])
def test_a_claim_in_paiement_d_une_somme_is_a_claim_and_its_rejection_a_rejection(
        text, outcome):
    judgment = parsed_text("COUR DE CASSATION\n\n" + text + "\n")
    assert [(r.outcome, r.value) for r in extract_amounts(judgment)] == [(outcome, 84623.05)]


@pytest.mark.parametrize("ruling", [
    "Condamne la société X à payer à PERSONNE1.) et à PERSONNE2.), chacun, la somme de "
    "500 euros à titre de préjudice moral.",
    "Condamne la société X à payer à chacun de PERSONNE1.) et PERSONNE2.) la somme de "
    "500 euros à titre de préjudice moral.",
    "Condamne la société X à payer la somme de 500 euros tant à PERSONNE1.) qu’à PERSONNE2.) "
    "à titre de préjudice moral.",
])
def test_a_sum_granted_to_each_of_several_parties_is_one_row_per_creditor(ruling):
    judgment = parsed_text("TRIBUNAL D'ARRONDISSEMENT\n\nPAR CES MOTIFS\n\n" + ruling + "\n")
    assert [(r.outcome, r.value, r.head, r.creditor, r.debtor)
            for r in extract_amounts(judgment)] == [
        ("granted", 500.0, "moral", "PERSONNE1.)", "la société X"),
        ("granted", 500.0, "moral", "PERSONNE2.)", "la société X"),
    ]


def test_a_sum_granted_to_several_parties_together_is_one_row():
    judgment = parsed_text(
        "COUR DE CASSATION\n\nPAR CES MOTIFS\n\n"
        "Condamne la société X à payer à Mme A et M. B la somme globale de 3 000 euros en "
        "application de l’article 700 du code de procédure civile.\n"
    )
    assert [(r.value, r.creditor) for r in extract_amounts(judgment)] == [
        (3000.0, "Mme A et M. B")]


def test_a_party_named_by_its_trade_name_is_the_party_that_trades_under_it():
    judgment = parsed_text(
        "TRIBUNAL D'ARRONDISSEMENT\n\nENTRE\n\n1.) PERSONNE1.),\n"
        "2.) l'SOCIETE1.), exerçant sous la dénomination « SOCIETE2.) »,\n\n"
        "PAR CES MOTIFS\n\n"
        "il y a lieu d’allouer à PERSONNE1.) et SOCIETE2.) chacune le montant de 2.000 euros "
        "à titre de préjudice moral ;\n"
        "condamne SOCIETE3.) à payer à l'SOCIETE1.) le montant de 2.000 euros à titre de "
        "préjudice moral ;\n"
    )
    assert sorted((r.value, r.creditor) for r in extract_amounts(judgment)) == [
        (2000.0, "PERSONNE1.)"), (2000.0, "SOCIETE1.)")]


def test_each_of_two_awards_in_one_sentence_has_its_own_debtor():
    # « la condamne » names the party whose claim was just rejected; the next « condamne X »
    # names its own debtor
    judgment = parsed_text(
        "COUR DE CASSATION\n\nPAR CES MOTIFS\n\n"
        "En application de l'article 700 du code de procédure civile, rejette la demande formée "
        "par la société Alpha, la condamne à payer à la société Beta la somme de 3 000 euros et "
        "condamne la société Beta à payer à la société Gamma la somme de 3 000 euros.\n"
    )
    assert sorted((r.value, r.creditor, r.debtor) for r in extract_amounts(judgment)) == [
        (3000.0, "la société Beta", "la société Alpha"),
        (3000.0, "la société Gamma", "la société Beta"),
    ]


def test_a_head_named_over_a_line_break_or_by_the_section_title_is_the_head():
    """Hard-wrapped records break « une indemnité\nde procédure » over a line; and a claim
    under the title « VI. Indemnité de procédure » that names no head of its own is a
    claim for that head."""
    text = ("CONSEIL D’ÉTAT\n\nA R R Ê T\n\nn° 265.479 du 20 janvier 2026\n\n"
            "II. Procédure\n\nLe dossier administratif a été déposé.\n\n"
            "III. Recevabilité\n\nLe recours est recevable. La partie requérante sollicite "
            "une indemnité\nde procédure de 700 euros.\n\n"
            "IV. Indemnité de procédure\n\nLa partie adverse sollicite « le montant de base "
            "de 770 euros ».\n\nPAR CES MOTIFS,\n\nLE CONSEIL D’ÉTAT DÉCIDE :\n\n"
            "La requête est rejetée.")
    rows = {r.value: r for r in extract_amounts(parsed_text(text))}
    assert rows[700.0].head == "indemnite_procedure"
    assert rows[770.0].head == "indemnite_procedure"


def test_no_award_of_the_indemnity_rejects_the_claims_for_it():
    """« Aucune indemnité ne sera donc due » under the title « Indemnité de procédure » refuses
    the procedure indemnity both parties claimed."""
    text = ("CONSEIL D’ÉTAT\n\nA R R Ê T\n\nn° 265.479 du 20 janvier 2026\n\n"
            "II. Procédure\n\nLe dossier administratif a été déposé.\n\n"
            "III. Désistement\n\nLa partie requérante se désiste de son recours.\n\n"
            "IV. Indemnité de procédure et dépens\n\nLes deux parties réclament une indemnité "
            "de procédure d’un montant de\n770 euros.\nAucune des deux parties ne peut être "
            "considérée comme ayant obtenu gain de cause. Aucune\nindemnité ne sera donc due."
            "\n\nPAR CES MOTIFS,\n\nLE CONSEIL D’ÉTAT DÉCIDE :\n\nLe désistement est décrété.")
    rows = extract_amounts(parsed_text(text))
    assert [(r.value, r.head, r.outcome) for r in rows] == [
        (770.0, "indemnite_procedure", "rejected")]


def test_the_claimant_of_a_request_list_is_found_past_its_lawyer_and_firm():
    judgment = parsed_text(
        "COUR ADMINISTRATIVE D'APPEL DE MARSEILLE\n\nVu la procédure suivante :\n\n"
        "Par une requête, enregistrée le 13 janvier 2025, l’ANAH, représentée par Me Aderno, "
        "cabinet Seban et associés, demande à la cour :\n\n"
        "1°) d’annuler ce jugement ;\n\n"
        "2°) de mettre à la charge de Mme A... la somme de 1 500 euros en application de "
        "l’article L. 761-1 du code de justice administrative.\n"
    )
    assert [(r.outcome, r.value, r.creditor, r.debtor) for r in extract_amounts(judgment)] == [
        ("claimed", 1500.0, "l’ANAH", "Mme A...")]
