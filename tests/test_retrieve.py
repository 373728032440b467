"""The order the packaged ranker gives fused candidates (assistant/features.py,
assistant/ranker.py), the question and passage signals it reads (assistant/signals.py), and the
no-answer signals (assistant/retrieve.py). A signal's effect is shown by ranking again with its
coefficients set to zero."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np
import pytest
from conftest import build_judgment

from assistant.answer_types import expected_answer, sentences_stating
from assistant.expand import expand
from assistant.features import FEATURES, feature_matrix
from assistant.fusion import FusedChunk
from assistant.ranker import Ranker, load_ranker
from assistant.retrieve import relevance_score, unknown_share
from assistant.settings import RetrievalSettings
from assistant.signals import (
    asks_for_claims,
    asks_for_decision,
    asks_for_header_fact,
    asks_for_identification,
    concept_coverage,
    court_voice,
    with_case_headers,
)
from store.lexical import analyze


def ranked(
    question: str, fused: list[FusedChunk], ranker: Ranker | None = None,
    cases: Mapping[str, float] | None = None,
) -> list[FusedChunk]:
    """`fused` in the order of the packaged ranker (or `ranker`)."""
    return (ranker or load_ranker()).rank(fused, feature_matrix(expand(question), fused, cases))


def lead(
    question: str, fused: list[FusedChunk], text: str, ranker: Ranker | None = None
) -> float:
    """How far the candidate holding `text` scores above the best other candidate."""
    scores = {f.chunk.text: f.score for f in ranked(question, fused, ranker)}
    return scores.pop(text) - max(scores.values())


def without(*names: str) -> Ranker:
    """The packaged ranker with the coefficients of the named features set to zero."""
    ranker = load_ranker()
    assert set(names) <= set(ranker.features) <= set(FEATURES)
    return replace(ranker, coef=np.where(np.isin(ranker.features, names), 0.0, ranker.coef))

PARAGRAPHS = [
    "Les parties demanderesses réclament la somme de 10.000 euros au titre du préjudice moral.",
    "Le tribunal alloue à chacune le montant de 2.000 euros pour préjudice moral. "
    "Les autres demandes sont rejetées.",
    "Le prestataire a suspendu la messagerie. Les factures restaient impayées depuis juin. "
    "La mise en demeure est restée sans réponse.",
]


def _fused(kinds=("claims", "reasons", "reasons")) -> list[FusedChunk]:
    _, chunks = build_judgment("j1", PARAGRAPHS, kinds=list(kinds))
    return [FusedChunk(c, 0.0, dense_score=0.8, lexical_score=1.0) for c in chunks]


def test_the_chunk_that_answers_comes_first_when_dense_and_bm25_tie() -> None:
    order = ranked("La messagerie a-t-elle été suspendue pour factures impayées ?", _fused())
    assert order[0].chunk.ordinal == 2


def test_a_question_about_the_decision_ranks_the_reasons_over_the_claims() -> None:
    question = "Quel montant le tribunal a-t-il alloué pour le préjudice moral ?"
    assert asks_for_decision(question) and not asks_for_claims(question)
    assert ranked(question, _fused())[0].chunk.section_kind == "reasons"


def test_a_question_about_what_a_party_claimed_asks_for_the_claims() -> None:
    assert asks_for_claims("Quelle somme les demanderesses réclamaient-elles ?")
    assert not asks_for_claims("Quelle est la durée du contrat ?")
    assert not asks_for_decision("Quelle est la durée du contrat ?")


def test_english_words_are_covered_by_their_french_equivalents() -> None:
    sentences = [set(analyze("Les factures restaient impayées."))]
    covered = concept_coverage(expand("unpaid invoices"), sentences, lambda t: 1.0)
    assert covered == 1.0
    assert concept_coverage(expand("ransom pirates"), sentences, lambda t: 1.0) == 0.0


def test_words_found_in_no_candidate_count_as_unknown() -> None:
    assert unknown_share(expand("messagerie suspendue"), _fused()) == 0.0
    assert unknown_share(expand("rançon messagerie"), _fused()) == 0.5


def test_relevance_drops_with_unknown_words_and_rises_with_coverage() -> None:
    assert relevance_score(0.6, 0.0) > relevance_score(0.3, 0.0) > relevance_score(0.3, 0.5)
    floor = RetrievalSettings().no_answer_floor
    assert relevance_score(0.1, 0.6) < floor < relevance_score(0.2, 0.0)


REPORTED = (
    "La défenderesse fait valoir que les pannes seraient dues à une attaque extérieure et "
    "qu'elle aurait été en droit de suspendre la messagerie."
)
HELD = (
    "Le Tribunal retient que la défenderesse n'établit pas que les pannes étaient dues à une "
    "attaque extérieure ; partant, la suspension de la messagerie est fautive."
)


def test_court_voice_tells_the_courts_reasoning_from_the_parties_reported_case() -> None:
    assert court_voice(HELD) > 0 > court_voice(REPORTED)
    assert court_voice("Un extrait du contrat et le retrait du matériel.") == 0.0


@pytest.mark.parametrize("marker", [
    "Le Tribunal", "La Cour", "Il convient", "Il y a lieu", "Partant", "Dès lors", "Des lors",
    "En l'espèce", "Il est établi", "Il n'est pas constant", "Il ressort", "Il se dégage",
    "Elle reste en défaut", "Il retient", "Elle est à rejeter", "Elle est fondée",
    "Elle n'est pas fondée", "Elle n’est pas fondée", "En l’espèce", "Elle n’établit",
    "Il déclare", "Il condamne", "Il dit que", "Il rejette",
    "Il déboute", "Il alloue", "Elle n'établit",
])
def test_each_marker_of_the_courts_voice_counts(marker: str) -> None:
    assert court_voice(f"{marker} ceci.") > 0


@pytest.mark.parametrize("marker", [
    "Elle serait", "Ils pourraient", "Elle fait valoir", "Elle soutient", "Ils soutiennent",
    "Elle soulève", "Elle reproche", "Elle conclut au", "Elle conteste", "Elle expose",
    "Elle fait état", "Elle invoque", "Elle estime que", "Elle réclame", "Elle sollicite",
])
def test_each_marker_of_the_parties_reported_case_counts(marker: str) -> None:
    assert court_voice(f"{marker} ceci.") < 0


def test_a_question_on_the_law_prefers_the_courts_reasoning_to_a_partys_argument() -> None:
    _, chunks = build_judgment("j2", [REPORTED, HELD], kinds=["reasons", "reasons"])
    fused = [FusedChunk(c, 0.0, dense_score=0.8, lexical_score=1.0) for c in chunks]
    question = "Le prestataire peut-il se prévaloir d'une attaque extérieure pour les pannes ?"
    assert not asks_for_claims(question)
    assert ranked(question, fused)[0].chunk.text == HELD
    silent = without("voice_window", "voice_chunk")
    assert lead(question, fused, HELD) > lead(question, fused, HELD, silent)


def test_a_question_on_what_a_party_argued_does_not_prefer_the_courts_voice() -> None:
    _, chunks = build_judgment("j3", [REPORTED, HELD], kinds=["reasons", "reasons"])
    fused = [FusedChunk(c, 0.0, dense_score=0.8, lexical_score=1.0) for c in chunks]
    question = "Qu'invoquait la défenderesse pour expliquer les pannes ?"
    assert asks_for_claims(question)
    assert ranked(question, fused)[0].chunk.text == REPORTED


def test_a_hypothetical_invoking_is_a_point_of_law_not_a_partys_claim() -> None:
    assert not asks_for_claims("Le prestataire peut-il s'exonérer en invoquant une cyberattaque ?")
    assert not asks_for_claims("Peut-on réclamer des dommages et intérêts pour une panne ?")
    assert asks_for_claims("Qu'invoquait le prestataire pour justifier les coupures ?")
    assert asks_for_claims("Quelle somme le prestataire réclamait-il ?")


def test_a_question_on_the_cases_references_raises_the_header() -> None:
    question = "Quel est le numéro de rôle du jugement sur la panne des messageries ?"
    assert asks_for_identification(question)
    topic = "Le jugement retient que la panne des messageries est due au prestataire."
    _, chunks = build_judgment(
        "j4", ["Numéro 12345 du rôle. Audience publique.", topic], kinds=["header", "reasons"]
    )
    fused = [FusedChunk(c, 0.0, dense_score=0.8, lexical_score=1.0) for c in chunks]
    header = chunks[0].text
    assert lead(question, fused, header) > lead(question, fused, header,
                                                without("identification_x_header"))


def test_untranslated_english_words_are_not_counted_as_unknown_to_the_corpus() -> None:
    # "gardener" and "stamp" are in neither the thesaurus nor the glossary; "invoices" is
    # ("facture") and is found.
    english = expand("Did the gardener stamp the unpaid invoices?")
    assert unknown_share(english, _fused()) == 0.0
    # the same unknown word in a French question does count
    assert unknown_share(expand("notaire factures impayées"), _fused()) == 1 / 3


@pytest.mark.parametrize(
    "question",
    [
        "Qui présidait la chambre lors du délibéré ?",
        "Quels avocats représentaient la société appelante ?",
        "Quand l'ordonnance de clôture a-t-elle été rendue ?",
        "Quel jour le jugement a-t-il été prononcé ?",
        "Who was the court clerk at the hearing?",
        "Which lawyer appeared for the defendant?",
        "Which judges sat on the bench?",
    ],
)
def test_questions_on_who_sat_who_represented_and_procedural_dates_ask_for_the_header(
    question: str,
) -> None:
    assert asks_for_header_fact(question)


@pytest.mark.parametrize(
    "question",
    [
        "Le prestataire a-t-il bloqué délibérément les messageries ?",
        "Le tribunal a-t-il prononcé la dissolution de l'association ?",
        "Was the lawyer's loss of clients compensated?",
        "Did the provider deliberately block the e-mails?",
    ],
)
def test_questions_on_the_merits_do_not_ask_for_the_header(question: str) -> None:
    assert not asks_for_header_fact(question)
    assert not asks_for_identification(question)


HEADER = "Composition : Paul DURAND, président ; Anne MARTIN, greffier."
BODY = "Le prestataire a suspendu la messagerie de l'avocate pendant la panne de décembre."


def _two_cases() -> dict[str, list]:
    cases = {}
    for jid, body in (("lux", BODY), ("other", "La vente du véhicule est résolue.")):
        _, chunks = build_judgment(jid, [HEADER, body], kinds=["header", "reasons"])
        cases[jid] = chunks
    return cases


def test_a_header_question_brings_in_the_header_of_the_case_its_facts_point_to() -> None:
    cases = _two_cases()
    body_hit = FusedChunk(cases["lux"][1], 1.0, dense_score=0.9, lexical_score=2.0)
    fused = with_case_headers([body_hit], cases.__getitem__)
    assert [f.chunk.id for f in fused] == ["lux:0001", "lux:0000"]
    # a header already among the candidates is not added twice; only the cases ranked first
    assert len(with_case_headers(fused, cases.__getitem__)) == 2
    assert len(with_case_headers([body_hit], cases.__getitem__, cases=0)) == 1


def test_the_header_of_the_case_the_question_describes_outranks_another_cases_header() -> None:
    cases = _two_cases()
    question = "Qui présidait dans l'affaire de la messagerie suspendue de l'avocate ?"
    fused = [
        FusedChunk(cases["lux"][1], 0.0, dense_score=0.9, lexical_score=2.0),
        FusedChunk(cases["other"][0], 0.0, dense_score=0.85, lexical_score=0.5),
        FusedChunk(cases["other"][1], 0.0, dense_score=0.7, lexical_score=0.1),
        FusedChunk(cases["lux"][0], 0.0, dense_score=0.85, lexical_score=0.5),
    ]
    order = ranked(question, fused)
    headers = [f.chunk.judgment_id for f in order if f.chunk.section_kind == "header"]
    assert headers == ["lux", "other"]


@pytest.mark.parametrize(
    "question",
    [
        "Selon le prestataire, quelle messagerie fallait-il utiliser ?",
        "Que répondaient les demanderesses à l'argument de la cyberattaque ?",
        "Comment la société expliquait-elle les coupures ?",
        "What did the defendant contend about the invoices?",
        "What did the claimants say the provider had done with the e-mail accounts?",
        "Did the IT provider rely on cyberattacks to escape liability?",
        "How much did the defendant claim for its unpaid invoices?",
    ],
)
def test_questions_on_what_a_party_said_or_answered_ask_for_the_claims(question: str) -> None:
    assert asks_for_claims(question)
    assert not asks_for_decision(question)


@pytest.mark.parametrize(
    "question",
    [
        "Why was the claim concerning the June 2021 outage dismissed?",
        "Was the claim for lost clients granted?",
        "What did the court say about the unpaid invoices?",
        "perte de clientèle indemnisation refusée",
    ],
)
def test_questions_on_what_became_of_a_claim_ask_for_the_decision(question: str) -> None:
    assert not asks_for_claims(question)
    assert asks_for_decision(question)


# -- the best sentence window's dense similarity -------------------------------------------------

def _tied(paragraphs: list[str]) -> list[FusedChunk]:
    _, chunks = build_judgment("j2", paragraphs, kinds=["reasons"] * len(paragraphs))
    return [FusedChunk(c, 0.0, dense_score=0.8, lexical_score=1.0) for c in chunks]


def test_the_chunk_with_the_sentence_window_nearest_the_question_wins_a_tie() -> None:
    fused = _tied(["Premier paragraphe neutre.", "Second paragraphe neutre.",
                   "Troisième paragraphe neutre."])
    fused[0].sentence_score, fused[1].sentence_score, fused[2].sentence_score = 0.80, 0.91, 0.85
    assert [f.chunk.ordinal for f in ranked("paragraphe", fused)] == [1, 2, 0]
    blind = without("window_sim", "aligned_window")
    order = ranked("paragraphe", fused, blind)
    assert [f.chunk.ordinal for f in order] != [1, 2, 0]


# -- questions asking how much or when ---------------------------------------------------------

@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Combien l'avocate réclamait-elle pour son préjudice ?", "amount"),
        ("Quel montant le tribunal a-t-il alloué ?", "amount"),
        ("How much did the claimant ask for the lost data?", "amount"),
        ("Quand l'assignation a-t-elle été signifiée ?", "date"),
        ("À quelle date le contrat a-t-il pris fin ?", "date"),
        ("When were the e-mails migrated?", "date"),
        ("Pourquoi la demande a-t-elle été rejetée ?", None),
        ("obligation de moyens renforcée prestataire", None),
    ],
)
def test_a_question_asking_how_much_or_when_expects_an_amount_or_a_date(
    question: str, kind: str | None
) -> None:
    assert expected_answer(question) == kind


def test_sentences_stating_amounts_and_dates_are_recognised() -> None:
    text = ("Elle réclame 8.143,25 euros. Le tribunal alloue 2.000 € à chacune. "
            "L'assignation date du 21 juin 2021. La migration a eu lieu en avril 2019. "
            "La demande est rejetée.")
    assert sentences_stating(text, "amount") == (True, True, False, False, False)
    assert sentences_stating(text, "date") == (False, False, True, True, False)


def test_a_how_much_question_prefers_the_window_that_states_a_sum() -> None:
    fused = _tied(["Le tribunal alloue une indemnité pour le préjudice moral subi.",
                   "Le tribunal alloue 2.000 euros pour le préjudice moral subi."])
    question = "Combien le tribunal alloue-t-il pour le préjudice moral ?"
    assert ranked(question, fused)[0].chunk.ordinal == 1
    sum_stated = fused[1].chunk.text
    assert lead(question, fused, sum_stated) > lead(question, fused, sum_stated,
                                                    without("amount_stated", "date_stated"))


def test_every_candidate_gets_its_dense_and_best_window_similarity(tmp_path) -> None:
    import numpy as np

    from assistant.retrieve import complete_scores
    from store import HashEmbeddings, Store

    embed = HashEmbeddings(64)
    judgment, chunks = build_judgment("j3", PARAGRAPHS)
    windows = [np.asarray(embed.embed_documents([c.text])) for c in chunks[:2]]
    windows.append(np.zeros((0, 64)))  # the third chunk: no window vectors
    store = Store.open(tmp_path / "store", "hash:64")
    with store.writer() as writer:
        writer.put(judgment, chunks, embed.embed_documents([c.text for c in chunks]), windows)
        writer.commit()
    question = "Le tribunal alloue le montant pour préjudice moral"
    query = embed.embed_query(question)
    fused = [FusedChunk(c, 0.0, lexical_score=1.0) for c in chunks]  # found by BM25 only
    fused[0].dense_score = 0.5  # found by the dense search too: kept as it is
    complete_scores(fused, store, query)
    expected = [float(np.dot(embed.embed_documents([c.text])[0], query)) for c in chunks]
    assert fused[0].dense_score == 0.5
    assert [f.dense_score for f in fused[1:]] == pytest.approx(expected[1:], abs=1e-6)
    assert fused[1].sentence_score == pytest.approx(expected[1], abs=0.02)  # int8 windows
    assert fused[2].sentence_score is None  # stored without window vectors
    store.close()


def test_terms_and_meaning_in_the_same_window_beat_them_in_different_windows() -> None:
    from store.sentences import sentence_windows

    text = ("Le prestataire a suspendu la messagerie. Les factures restaient impayées. "
            "Le temps était beau ce jour-là. Rien d'autre à signaler.")
    assert len(sentence_windows(text)) == 2  # the question's terms are all in the first
    _, first = build_judgment("j4", [text])
    _, second = build_judgment("j5", [text])
    apart = FusedChunk(first[0], 0.0, dense_score=0.8, lexical_score=1.0,
                       sentence_score=0.9, window_similarities=(0.7, 0.9))
    together = FusedChunk(second[0], 0.0, dense_score=0.8, lexical_score=1.0,
                          sentence_score=0.9, window_similarities=(0.9, 0.7))
    question = expand("La messagerie a-t-elle été suspendue pour factures impayées ?")
    order = load_ranker().rank([apart, together], feature_matrix(question, [apart, together]))
    assert order[0] is together  # ahead of j4, which wins ties on its id


def test_scaled_places_a_value_between_the_bounds() -> None:
    from assistant.signals import scaled

    assert scaled(0.85, 0.8, 0.9) == pytest.approx(0.5)
    assert scaled(0.7, 0.8, 0.9) == 0.0 and scaled(0.95, 0.8, 0.9) == 1.0
    assert scaled(0.9, 0.9, 0.9) == 1.0 and scaled(0.7, 0.9, 0.9) == 0.0


def test_the_voice_of_each_sentence_is_the_same_counted_in_one_pass_over_the_chunk() -> None:
    from pathlib import Path

    from assistant.signals import sentence_voices
    from ingest.chunk import chunk_judgment
    from ingest.parse import parse_judgment
    from ingest.read import read_document
    from store.sentences import sentence_spans

    corpus = Path(__file__).resolve().parents[1] / "data" / "corpus"
    texts = [c.text for path in sorted(corpus.rglob("*.txt"))
             for c in chunk_judgment(parse_judgment(read_document(path), str(path)))]  # fmt: skip
    assert len(texts) > 50
    voiced = 0
    for text in texts:
        expected = [court_voice(text[s.start : s.end]) for s in sentence_spans(text)]
        assert sentence_voices(text) == expected
        voiced += sum(v != 0 for v in expected)
    assert voiced > 100
