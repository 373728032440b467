"""French analysis and the BM25 index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.lexical import LexicalIndex, analyze, fold


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l'article", analyze("article")),
        ("L’article", analyze("article")),
        ("d'exécution", analyze("exécution")),
        ("qu'il", []),
        ("jusqu’à l'arrêt", analyze("arrêt")),
        ("lorsqu'un contrat", analyze("contrat")),
        ("puisqu'elle résilie", analyze("résilie")),
        ("n'a pas", []),
        ("s'est engagé", analyze("engagé")),
        ("c'est la faute", analyze("faute")),
    ],
)
def test_elisions_are_split_off_and_dropped(text: str, expected: list[str]) -> None:
    assert analyze(text) == expected


def test_accents_and_case_do_not_change_the_terms() -> None:
    assert analyze("Responsabilité du PRESTATAIRE, arrêté, exécution") == analyze(
        "responsabilite du prestataire, arrete, execution"
    )


def test_stop_words_are_dropped_and_inflections_share_a_stem() -> None:
    assert analyze("le contrat et les contrats de la société") == analyze("contrat contrat société")
    assert len(set(analyze("résiliation résiliations"))) == 1
    assert analyze("défaillance") == analyze("défaillances")
    assert "le" not in analyze("le contrat") and "de" not in analyze("de contrat")


def test_numbers_and_codes_are_kept_whole() -> None:
    terms = analyze("Vu l'article 1147 ; jugement n° 2025TALCH11/00011 (TAL-2021-06580)")
    for kept in ("1147", "2025talch11", "00011", "2021", "06580"):
        assert kept in terms


@given(st.text(alphabet="abcdeéèêàçôîûùëïAÉÈÇ '’-.,0123456789", max_size=80))
def test_analysis_is_insensitive_to_accents(text: str) -> None:
    assert analyze(text) == analyze(fold(text))


CORPUS = {
    "j1:0000": "Le prestataire informatique engage sa responsabilité contractuelle (pannes).",
    "j1:0001": "La résiliation du contrat de maintenance est prononcée aux torts du client.",
    "j2:0000": "L'article 1147 du Code civil fonde l'action en dommages et intérêts.",
    "j2:0001": "La demande de la société est déclarée recevable en la forme.",
}


@pytest.fixture
def index() -> LexicalIndex:
    return LexicalIndex.build(list(CORPUS), list(CORPUS.values()))


def test_search_finds_the_chunk_holding_the_query_terms_first(index: LexicalIndex) -> None:
    results = index.search("responsabilite du prestataire pour une panne", k=3)
    assert results[0][0] == "j1:0000"
    assert index.search("article 1147", k=3)[0][0] == "j2:0000"
    assert index.search("résilier le contrat", k=3)[0][0] == "j1:0001"


def test_search_returns_only_positive_scores_best_first_up_to_k(index: LexicalIndex) -> None:
    results = index.search("contrat maintenance client société", k=10)
    assert {cid for cid, _ in results} == {"j1:0001", "j2:0001"}
    scores = [score for _, score in results]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    assert len(index.search("contrat maintenance client société", k=1)) == 1


@pytest.mark.parametrize("query", ["", "le la les", "ornithorynque"])
def test_a_query_without_known_terms_finds_nothing(index: LexicalIndex, query: str) -> None:
    assert index.search(query, k=5) == []


def test_a_term_is_in_use_while_a_live_chunk_holds_it() -> None:
    segment = LexicalIndex.build(list(CORPUS), list(CORPUS.values())).segments[0]
    live = np.array([cid != "j2:0000" for cid in CORPUS])  # j2:0000 removed since
    index = LexicalIndex([segment], live)
    assert index.in_use(analyze("maintenance")[0])
    assert not index.in_use(analyze("ornithorynque")[0])
    assert not index.in_use("1147"), "only the removed chunk held it"


def test_allowed_rows_restrict_the_search(index: LexicalIndex) -> None:
    query = "contrat maintenance société responsabilité"
    assert {cid for cid, _ in index.search(query, k=10)} == {"j1:0000", "j1:0001", "j2:0001"}
    mask = np.array([cid.startswith("j2") for cid in CORPUS])
    assert [cid for cid, _ in index.search(query, k=10, allowed=mask)] == ["j2:0001"]
    assert [cid for cid, _ in index.search(query, k=10, allowed={0})] == ["j1:0000"]
    assert index.search(query, k=10, allowed=set()) == []


def test_saved_index_loads_with_the_same_answers(index: LexicalIndex, tmp_path: Path) -> None:
    index.save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")
    for query in ("responsabilité prestataire", "article 1147", "recevable"):
        assert loaded.search(query, k=4) == index.search(query, k=4)


def test_building_from_stored_terms_equals_building_from_texts(index: LexicalIndex) -> None:
    from_terms = LexicalIndex.build_from_terms(list(CORPUS), [analyze(t) for t in CORPUS.values()])
    assert from_terms.search("contrat de maintenance", k=4) == index.search(
        "contrat de maintenance", k=4
    )


def test_an_empty_index_saves_loads_and_finds_nothing(tmp_path: Path) -> None:
    empty = LexicalIndex.build([], [])
    empty.save(tmp_path / "lexical")
    assert LexicalIndex.load(tmp_path / "lexical").search("contrat", k=3) == []


def test_a_chunk_of_stop_words_only_is_indexed_without_error() -> None:
    index = LexicalIndex.build(["a", "b"], ["de la et le", "contrat de vente"])
    assert [cid for cid, _ in index.search("contrat", k=5)] == ["b"]


def test_scores_are_those_of_bm25s_over_the_same_chunks(index: LexicalIndex) -> None:
    """The store's own BM25 (Lucene formula, k1=1.5, b=0.75) gives bm25s' scores."""
    import bm25s

    vocab: dict[str, int] = {}
    tokens = [[vocab.setdefault(t, len(vocab)) for t in analyze(text)] for text in CORPUS.values()]
    reference = bm25s.BM25()
    reference.index((tokens, vocab), show_progress=False)
    for query in ("contrat de maintenance du client", "article 1147", "responsabilité société"):
        expected = reference.get_scores(reference.get_tokens_ids(analyze(query)))
        assert index.scores(query) == pytest.approx(np.asarray(expected, dtype=float), abs=1e-6)


def test_segments_with_removed_rows_score_like_one_index_of_the_live_rows() -> None:
    """Statistics (document frequencies, average length) come from the live rows of every
    segment together: the scores do not depend on how the chunks were split in segments."""
    from store.lexical import LexicalSegment

    texts = list(CORPUS.values()) * 3
    ids = [f"c{i:02d}" for i in range(len(texts))]
    terms = [analyze(t + f" numéro {i}") for i, t in enumerate(texts)]
    live = np.array([i % 4 != 1 for i in range(len(ids))])
    segments = [LexicalSegment.from_terms(ids[a:b], terms[a:b]) for a, b in ((0, 5), (5, 7),
                                                                           (7, len(ids)))]
    split = LexicalIndex(segments, live)
    kept = [i for i in range(len(ids)) if live[i]]
    whole = LexicalIndex.build_from_terms([ids[i] for i in kept], [terms[i] for i in kept])
    for query in ("contrat maintenance", "responsabilité prestataire numéro", "1147 société"):
        found, expected = split.search(query, 20), whole.search(query, 20)
        assert [cid for cid, _ in found] == [cid for cid, _ in expected]
        assert [s for _, s in found] == pytest.approx([s for _, s in expected])
        assert not {cid for cid, _ in split.search(query, 20)} & {ids[i] for i in range(1, 12, 4)}


def test_the_remembered_terms_are_bounded_and_analysis_stays_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import store.lexical as lexical

    text = "Le prestataire a suspendu la messagerie des avocats le 12 mars 2024."
    expected = analyze(text)
    monkeypatch.setattr(lexical, "_MAX_TERMS", 3)
    monkeypatch.setattr(lexical, "_TERMS", {})
    assert analyze(text) == expected
    assert len(lexical._TERMS) <= 3
