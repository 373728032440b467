"""Highlights: the sentences of a passage that answer the question, found through the
question's own words and, at half weight, the court's words the thesaurus adds."""

from assistant.highlight import ADDED_TERM_WEIGHT, highlight, question_weights
from store.lexical import analyze

TEXT = (
    "Le contrat a été conclu le 3 mars 2020 entre les parties. "
    "Les factures impayées s'élevaient à 8.143,25 euros selon le décompte produit. "
    "Le Tribunal retient que la demande de dommages et intérêts est fondée."
)


def test_an_english_question_highlights_the_french_sentence_through_the_thesaurus():
    found = highlight("Which invoices were unpaid?", TEXT)
    assert [h.text for h in found] == [
        "Les factures impayées s'élevaient à 8.143,25 euros selon le décompte produit."
    ]
    assert all(TEXT[h.start : h.end] == h.text for h in found)


def test_thesaurus_words_weigh_half_the_questions_own_words():
    weights = question_weights("Which invoices were unpaid?")
    assert weights[analyze("invoices")[0]] == 1.0
    assert weights[analyze("factures")[0]] == ADDED_TERM_WEIGHT


def test_the_questions_own_word_beats_a_thesaurus_word_of_the_same_rarity():
    text = "La coupure a duré deux jours entiers. La suspension a duré deux jours entiers."
    found = highlight("Combien de temps a duré la coupure ?", text, max_sentences=1)
    assert [h.text for h in found] == ["La coupure a duré deux jours entiers."]


def test_no_highlight_when_neither_the_question_nor_the_thesaurus_matches():
    assert highlight("astreinte clause pénale", TEXT) == ()
