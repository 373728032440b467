"""Sentence spans and the sentence windows that get their own vector (store/sentences.py)."""

from __future__ import annotations

from store.sentences import sentence_spans, sentence_windows

TEXT = (
    "Le prestataire a suspendu la messagerie. Les factures restaient impayées depuis juin. "
    "Cf. art. 1147 du Code civil. La mise en demeure est restée sans réponse. Partant, la "
    "demande est fondée."
)


def pieces(text: str, spans) -> list[str]:
    return [text[s.start : s.end] for s in spans]


def test_sentences_end_at_full_stops_but_not_after_abbreviations() -> None:
    assert pieces(TEXT, sentence_spans(TEXT)) == [
        "Le prestataire a suspendu la messagerie.",
        "Les factures restaient impayées depuis juin.",
        "Cf. art. 1147 du Code civil.",
        "La mise en demeure est restée sans réponse.",
        "Partant, la demande est fondée.",
    ]


def test_a_long_word_ending_like_an_abbreviation_still_ends_its_sentence() -> None:
    # "Départ." ends in "art." and "Bénéficiaires." in "s.": only a whole word is an
    # abbreviation, however long the word before the full stop.
    text = "Le délai court dès le départ. Puis les Bénéficiaires. Voir M. Dupont. Fin."
    assert pieces(text, sentence_spans(text)) == [
        "Le délai court dès le départ.", "Puis les Bénéficiaires.", "Voir M. Dupont.", "Fin.",
    ]


def test_windows_pair_sentences_side_by_side_and_the_last_one_ends_with_the_text() -> None:
    assert pieces(TEXT, sentence_windows(TEXT)) == [
        "Le prestataire a suspendu la messagerie. Les factures restaient impayées depuis juin.",
        "Cf. art. 1147 du Code civil. La mise en demeure est restée sans réponse.",
        "La mise en demeure est restée sans réponse. Partant, la demande est fondée.",
    ]


def test_every_sentence_is_inside_a_window_and_windows_cut_at_sentence_bounds() -> None:
    sentences = sentence_spans(TEXT)
    windows = sentence_windows(TEXT)
    for sentence in sentences:
        assert any(w.start <= sentence.start and sentence.end <= w.end for w in windows)
    starts, ends = {s.start for s in sentences}, {s.end for s in sentences}
    for window in windows:
        assert window.start in starts and window.end in ends
        inside = [s for s in sentences if window.start <= s.start and s.end <= window.end]
        assert len(inside) == 2  # two sentences side by side, never a piece of a third


def test_a_single_sentence_is_one_window_and_blank_text_has_none() -> None:
    assert pieces("Une seule phrase.", sentence_windows("Une seule phrase.")) == [
        "Une seule phrase."
    ]
    assert sentence_windows(" \n ") == []
