"""Query expansion from the curated thesaurus (assistant/data/thesaurus_fr.json) and, for English
questions, the English -> French legal glossary (assistant/data/glossary_en_fr.json)."""

from __future__ import annotations

import json

import pytest

from assistant.expand import (
    GLOSSARY_PATH,
    THESAURUS_PATH,
    expand,
    is_english,
    lexical_query,
    load_glossary,
    load_thesaurus,
    question_terms,
    question_words,
)
from assistant.retrieve import thesaurus_groups
from assistant.settings import RetrievalSettings
from store.lexical import analyze


def test_every_group_has_french_phrases_that_analyse_to_terms() -> None:
    data = json.loads(THESAURUS_PATH.read_text(encoding="utf-8"))
    assert len(load_thesaurus()) == len(data["groups"])
    for group in load_thesaurus():
        assert group.phrases and all(group.phrases)


@pytest.mark.parametrize(
    ("question", "court_term"),
    [
        ("Le prestataire peut-il couper le service ?", "exception d'inexécution"),
        ("Was the e-mail outage caused by hackers?", "piratage"),
        ("Which invoices were unpaid?", "facture"),
        ("Was the counterclaim granted?", "demande reconventionnelle"),
        ("Who paid the legal costs?", "indemnité de procédure"),
        ("Les e-mails ne marchaient plus", "dysfonctionnement"),
        ("What was the docket number?", "numéro du rôle"),
        ("Which lawyer represented the defendant?", "avocat"),
        ("Was the reputation of the firm harmed?", "atteinte à l'image"),
        ("Did the bailiff serve the summons?", "assignation"),
        ("When was the hearing?", "audience"),
        ("What did the defendant argue?", "fait valoir"),
        ("Who presided?", "président"),
        ("Le délibéré a-t-il été rompu ?", "prise en délibéré"),
    ],
)
def test_everyday_and_english_wording_adds_the_court_terms(question: str, court_term: str) -> None:
    expansion = expand(question)
    assert set(analyze(court_term)) <= set(expansion.terms) | set(expansion.added)
    assert court_term in expansion.phrases


def test_a_question_without_thesaurus_words_is_not_expanded() -> None:
    expansion = expand("Quelle chambre a siégé dans cette ville ?")
    assert expansion.added == () and expansion.phrases == ()


def test_added_terms_never_repeat_the_questions_own_terms() -> None:
    expansion = expand("La responsabilité du prestataire pour la panne et la suspension")
    assert not set(expansion.added) & set(expansion.terms)


def test_english_function_words_are_not_terms() -> None:
    assert question_terms("Was the provider held liable for the outages?") == analyze(
        "provider held liable outages"
    )


def test_alternatives_link_a_question_word_to_the_court_terms() -> None:
    expansion = expand("Was the invoice paid?")
    assert set(analyze("facture")) <= expansion.alternatives[analyze("invoice")[0]]


def test_lexical_query_weighs_the_questions_own_terms_double() -> None:
    terms = analyze(lexical_query("Could the provider suspend its services?"))
    assert terms.count(analyze("services")[0]) == 2
    assert terms.count(analyze("suspension")[0]) == 1
    assert analyze("exception d'inexécution")[0] in terms


def test_english_questions_are_told_from_french_ones() -> None:
    assert is_english("Was the provider's counterclaim granted?")
    assert not is_english("Le prestataire a-t-il obtenu le paiement de ses factures ?")
    assert not is_english("responsabilité prestataire panne messagerie")


def test_every_glossary_entry_maps_english_wordings_to_french_terms() -> None:
    entries = json.loads(GLOSSARY_PATH.read_text(encoding="utf-8"))["entries"]
    assert len(load_glossary()) == len(entries) >= 300
    for entry in entries:
        assert entry["en"] and entry["fr"], entry


@pytest.mark.parametrize(
    ("question", "court_term"),
    [
        ("Why did the justice of the peace refuse the tenant a stay of eviction?", "locataire"),
        ("Can a refugee from South Sudan obtain subsidiary protection?",
         "protection subsidiaire"),
        ("Was the employee's dismissal during pregnancy lawful?", "licenciement"),
        ("Did the court order pre-trial detention?", "détention provisoire"),
    ],
)
def test_an_english_question_is_searched_with_the_glossarys_french_terms(
    question: str, court_term: str
) -> None:
    assert court_term in expand(question).phrases


def test_the_glossary_never_expands_a_french_question() -> None:
    # "expropriation" is an English wording of a glossary entry, and a French word too
    english = expand("Was the expropriation compensated?")
    assert "indemnité d'expropriation" in english.phrases
    assert expand("L'expropriation a-t-elle été indemnisée ?").phrases == ()


def test_the_glossary_can_be_switched_off_apart_from_the_thesaurus() -> None:
    assert thesaurus_groups(RetrievalSettings()) is None  # the default: both
    assert thesaurus_groups(RetrievalSettings(english_glossary=False)) == load_thesaurus()
    assert thesaurus_groups(RetrievalSettings(thesaurus=False)) == ()
    english = "Why did the justice of the peace refuse the tenant a stay of eviction?"
    assert "justice de paix" not in expand(english, load_thesaurus()).phrases


def test_question_words_are_the_content_words_as_written_with_their_terms() -> None:
    words = question_words("Le CNDA a-t-il reconnu l'albinisme au Malawi en 2019, "
                           "et les albinismes ?")
    assert words == [("CNDA", "cnda"), ("reconnu", analyze("reconnu")[0]),
                     ("albinisme", analyze("albinisme")[0]), ("Malawi", analyze("Malawi")[0])]
