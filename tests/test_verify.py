"""Every quote is the stored judgment text at its offsets, or it is not shown."""

import logging

import pytest

from assistant.highlight import highlight
from assistant.records import Highlight, Passage
from assistant.verify import check_passage, keep_verified, verify_quote
from store.errors import VerificationError
from store.records import JudgmentMeta
from store.sentences import sentence_spans

TEXT = (
    "FAITS CONSTANTS\n\nLa société SOCIETE3.) assurait la maintenance. Les boîtes mail ne "
    "fonctionnaient plus depuis le 4 décembre 2020.\n\nPAR CES MOTIFS\n\ncondamne SOCIETE3.) à "
    "payer 2.500 euros."
)
META = JudgmentMeta(id="j1")


def passage(start: int, end: int, text: str | None = None, highlights=()) -> Passage:
    return Passage(rank=1, score=1.0, text=TEXT[start:end] if text is None else text,
                   judgment=META, char_start=start, char_end=end, highlights=highlights)


def test_exact_slice_passes_and_anything_else_fails():
    start = TEXT.index("Les boîtes")
    quote = "Les boîtes mail ne fonctionnaient plus"
    assert verify_quote(TEXT, quote, start, start + len(quote))
    assert not verify_quote(TEXT, quote.replace("plus", "pas"), start, start + len(quote))
    assert not verify_quote(TEXT, quote, start + 1, start + 1 + len(quote))
    assert not verify_quote(TEXT, "", 0, 0)
    assert not verify_quote(TEXT, TEXT, 0, len(TEXT) + 1)


def test_paraphrased_passage_is_raised_in_strict_mode_and_dropped_otherwise(caplog):
    good = passage(0, 40)
    bad = passage(0, 40, text=TEXT[0:40].replace("société", "Société"))
    with pytest.raises(VerificationError):
        check_passage(bad, TEXT)
    with pytest.raises(VerificationError):
        keep_verified([good, bad], {"j1": TEXT}, strict=True)
    with caplog.at_level(logging.ERROR):
        assert keep_verified([good, bad], {"j1": TEXT}) == [good]
    assert "dropped unverifiable passage" in caplog.text


def test_highlight_with_wrong_offsets_fails():
    p = passage(0, len(TEXT), highlights=(Highlight("condamne", 0, 8),))
    with pytest.raises(VerificationError):
        check_passage(p, TEXT)


def test_highlights_are_exact_substrings_on_the_question_terms():
    found = highlight("Depuis quand les boîtes mail ne fonctionnaient-elles plus ?", TEXT)
    assert found, "a sentence shares the question's terms"
    for h in found:
        assert TEXT[h.start : h.end] == h.text
    assert any("4 décembre 2020" in h.text for h in found)
    check_passage(passage(0, len(TEXT), highlights=found), TEXT)


def test_no_highlight_when_nothing_matches():
    assert highlight("clause pénale astreinte", TEXT) == ()


def test_sentences_do_not_break_after_abbreviations():
    text = "Vu l'art. 1147 du Code civil. La demande est fondée."
    spans = [text[s.start : s.end] for s in sentence_spans(text)]
    assert spans == ["Vu l'art. 1147 du Code civil.", "La demande est fondée."]
