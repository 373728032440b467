"""The Store facade over real Chroma (embedded), the SQLite registry and the BM25 index.

Vectors come from the deterministic hash embedder: these tests check logic, not semantics.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import JudgmentFactory, build_judgment

from store import HashEmbeddings, Store
from store.errors import ModelMismatchError, StoreBusyError, StoreError
from store.lexical import analyze
from store.records import Chunk, Judgment, SearchFilters

MODEL = "hash:64"
EMBED = HashEmbeddings(64)
ROOT = Path(__file__).resolve().parent.parent


def put(store: Store, *items: tuple[Judgment, list[Chunk]]) -> None:
    with store.writer() as writer:
        for judgment, chunks in items:
            writer.put(judgment, chunks, EMBED.embed_documents([c.text for c in chunks]))
        writer.commit()


def corpus() -> list[tuple[Judgment, list[Chunk]]]:
    """Three judgments from two courts, chambers, years and countries (one unknown); every
    chunk says "contrat"."""
    countries = {"tal-1": "LU", "tal-2": "", "ca-1": "FR"}
    return [
        (replace(judgment, meta=replace(judgment.meta, country=countries[judgment.id])), chunks)
        for judgment, chunks in _corpus()
    ]


def _corpus() -> list[tuple[Judgment, list[Chunk]]]:
    return [
        build_judgment(
            "tal-1",
            ["TRIBUNAL contrat", "Motifs: la responsabilité du prestataire au titre du contrat",
             "PAR CES MOTIFS condamne au titre du contrat"],
            court="TAL", chamber="XIe", date="2025-01-24",
            kinds=["header", "reasons", "operative"],
        ),
        build_judgment(
            "tal-2",
            ["TRIBUNAL contrat", "Motifs: la résiliation du contrat de maintenance"],
            court="TAL", chamber="IIe", date="2019-06-19", kinds=["header", "reasons"],
        ),
        build_judgment(
            "ca-1",
            ["COUR D'APPEL contrat", "Motifs: le contrat de licence du logiciel"],
            court="CA Paris", chamber="pôle 5 ch. 11", date="2023-01-20",
            kinds=["header", "reasons"],
        ),
    ]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "store", MODEL)
    put(opened, *corpus())
    yield opened
    opened.close()


def ids(hits: list) -> list[str]:
    return [h.chunk.id for h in hits]


# -- an empty store ------------------------------------------------------------------------------

def test_a_new_store_opens_empty_and_answers_nothing(tmp_path: Path) -> None:
    empty = Store.open(tmp_path / "nothing-here", MODEL)
    stats = empty.stats()
    assert (stats.judgments, stats.chunks, stats.generation) == (0, 0, 0)
    assert empty.judgments() == []
    assert empty.dense_search(EMBED.embed_query("contrat"), 5) == []
    assert empty.lexical_search("contrat", 5) == []
    assert not (tmp_path / "nothing-here").exists()


# -- what goes in comes back -----------------------------------------------------------------

def test_judgments_and_chunks_come_back_as_stored(store: Store) -> None:
    judgment, chunks = corpus()[0]
    assert store.judgment("tal-1") == judgment
    assert store.chunks_of("tal-1") == chunks
    assert store.chunk("tal-1:0001") == chunks[1]
    for chunk in store.chunks_of("tal-1"):
        assert judgment.text[chunk.char_start : chunk.char_end] == chunk.text
    assert [m.id for m in store.judgments()] == ["ca-1", "tal-1", "tal-2"]
    with pytest.raises(KeyError, match="nope"):
        store.judgment("nope")
    with pytest.raises(KeyError, match="nope:0000"):
        store.chunk("nope:0000")


def test_stats_describe_the_store(store: Store, tmp_path: Path) -> None:
    stats = store.stats()
    assert (stats.judgments, stats.chunks) == (3, 7)
    assert stats.courts == ("CA Paris", "TAL")
    assert stats.chambers == ("IIe", "XIe", "pôle 5 ch. 11")
    assert (stats.date_min, stats.date_max) == ("2019-06-19", "2025-01-24")
    assert stats.model == MODEL
    assert stats.location == str(tmp_path / "store")
    assert stats.generation == 1
    assert stats.countries == ("FR", "LU")
    # one line per court and country: the same name in two countries stays two lines
    assert stats.court_counts == (("CA Paris", "FR", 1), ("TAL", "", 1), ("TAL", "LU", 1))


def test_registry_entries_are_found_by_path_and_hash(store: Store) -> None:
    with store.writer() as writer:
        entry = writer.entry_for_path("/corpus/tal-2.txt")
        assert entry is not None
        assert entry.judgment_id == "tal-2"
        assert entry.content_hash == "hash-of-tal-2"
        assert entry.model == MODEL
        assert entry.chunk_ids == ("tal-2:0000", "tal-2:0001")
        assert entry.ingested_at
        assert writer.entry_for_hash("hash-of-tal-2") == entry
        assert writer.entry_for_id("tal-2") == entry
        assert writer.entry_for_id("tal-9") is None
        assert writer.entry_for_path("/corpus/unknown.txt") is None
        assert [e.judgment_id for e in writer.entries()] == ["ca-1", "tal-1", "tal-2"]


def test_dense_search_scores_are_cosine_similarities_ranked_from_one(store: Store) -> None:
    text = store.chunk("ca-1:0001").text
    hits = store.dense_search(EMBED.embed_query(text), 3)
    assert hits[0].chunk.id == "ca-1:0001"
    assert hits[0].score == pytest.approx(1.0, abs=1e-5)
    assert [h.rank for h in hits] == [1, 2, 3]
    assert all(h.source == "dense" for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_lexical_search_returns_chunks_with_the_query_terms(store: Store) -> None:
    hits = store.lexical_search("résiliation de la maintenance", 5)
    assert ids(hits) == ["tal-2:0001"]
    assert (hits[0].rank, hits[0].source) == (1, "lexical")
    assert hits[0].chunk == store.chunk("tal-2:0001")


# -- filters -----------------------------------------------------------------------------------

FILTERS = [
    SearchFilters(courts=("TAL",)),
    SearchFilters(chambers=("pôle 5 ch. 11", "IIe")),
    SearchFilters(section_kinds=("reasons",)),
    SearchFilters(section_kinds=("header", "operative")),
    SearchFilters(date_from="2020-01-01"),
    SearchFilters(date_to="2023-01-20"),
    SearchFilters(date_from="2019-06-19", date_to="2023-12-31"),
    SearchFilters(courts=("TAL",), section_kinds=("reasons",), date_from="2024-01-01"),
    SearchFilters(judgment_ids=("ca-1", "tal-2")),
    SearchFilters(courts=("Cass.",)),
    SearchFilters(countries=("LU",)),
    SearchFilters(countries=("FR", "LU")),
    SearchFilters(countries=("BE",)),
    SearchFilters(courts=("TAL",), countries=("LU",), section_kinds=("reasons",)),
]


def allowed(filters: SearchFilters) -> set[str]:
    """The chunk ids `filters` lets through, computed from the test corpus directly."""
    result = set()
    for judgment, chunks in corpus():
        meta = judgment.meta
        if filters.courts and meta.court not in filters.courts:
            continue
        if filters.countries and meta.country not in filters.countries:
            continue
        if filters.chambers and meta.chamber not in filters.chambers:
            continue
        if filters.judgment_ids and meta.id not in filters.judgment_ids:
            continue
        if filters.date_from and meta.date < filters.date_from:
            continue
        if filters.date_to and meta.date > filters.date_to:
            continue
        result |= {
            c.id for c in chunks
            if not filters.section_kinds or c.section_kind in filters.section_kinds
        }
    return result


@pytest.mark.parametrize("filters", FILTERS, ids=str)
def test_filters_restrict_dense_and_lexical_search_alike(
    store: Store, filters: SearchFilters
) -> None:
    expected = allowed(filters)
    dense = store.dense_search(EMBED.embed_query("contrat"), 50, filters)
    lexical = store.lexical_search("contrat", 50, filters)
    assert set(ids(dense)) == expected
    assert set(ids(lexical)) == expected


@pytest.mark.parametrize("filters", FILTERS, ids=str)
def test_chromas_where_and_the_lexical_mask_apply_the_same_rules(
    store: Store, filters: SearchFilters
) -> None:
    """Chroma's own `where` (the dense path for a selective filter) lets through the chunks
    the lexical mask does (the post-filtered dense path and the lexical search)."""
    query = EMBED.embed_query("contrat")
    assert {cid for cid, _ in where_search(store, query, 1000, filters)} == allowed(filters)


def where_search(store: Store, vector: list[float], k: int,
                 filters: SearchFilters) -> list[tuple[str, float]]:
    """Chroma's own filtered search over every segment of the reader's generation: (chunk id,
    score) of the `k` best live chunks."""
    from store import chroma

    view = store._view
    query = np.asarray([vector], dtype=np.float32)
    found = [
        (vid.rsplit("@", 1)[0], score)
        for segment in view.segments
        for vid, score in segment.query(query, len(segment.ids), chroma.where_filter(filters))
        if vid in view.vid_row
    ]
    return sorted(found, key=lambda pair: -pair[1])[:k]


def test_an_invalid_date_filter_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="YYYY-MM-DD"):
        store.lexical_search("contrat", 5, SearchFilters(date_from="24/01/2025"))


# -- writing -----------------------------------------------------------------------------------

def test_putting_a_judgment_again_replaces_its_old_chunks(
    store: Store, make_judgment: JudgmentFactory
) -> None:
    put(store, make_judgment("tal-1", ["TRIBUNAL nouveau", "Motifs: une question de bail"],
                             court="TAL", date="2025-01-24"))
    assert [c.text for c in store.chunks_of("tal-1")] == ["TRIBUNAL nouveau",
                                                         "Motifs: une question de bail"]
    assert store.stats().chunks == 6
    assert "tal-1:0002" not in ids(store.dense_search(EMBED.embed_query("contrat"), 50))
    assert store.lexical_search("prestataire responsabilité", 5) == []
    assert ids(store.lexical_search("bail", 5)) == ["tal-1:0001"]


def test_removing_a_judgment_removes_it_everywhere(store: Store) -> None:
    with store.writer() as writer:
        assert writer.remove("tal-2") is True
        assert writer.remove("tal-2") is False
        writer.commit()
    assert "tal-2" not in [m.id for m in store.judgments()]
    assert store.chunks_of("tal-2") == []
    every = ids(store.dense_search(EMBED.embed_query("contrat"), 50))
    assert every and not any(i.startswith("tal-2") for i in every)
    assert store.lexical_search("résiliation maintenance", 5) == []


def test_leaving_the_writer_without_commit_discards_everything(store: Store, tmp_path: Path,
                                                               make_judgment: JudgmentFactory
                                                               ) -> None:
    with store.writer() as writer:
        judgment, chunks = make_judgment("new", ["un bail commercial"])
        writer.put(judgment, chunks, EMBED.embed_documents([c.text for c in chunks]))
        writer.remove("tal-1")
    assert store.refresh() is False
    assert store.stats().judgments == 3
    assert store.lexical_search("bail", 5) == []
    assert sorted(os.listdir(tmp_path / "store" / "generations")) == ["1"]
    # the next writer builds generation 2 again in the same process, on fresh files
    put(store, make_judgment("other", ["un bail rural"]))
    assert store.generation == 2
    assert ids(store.lexical_search("bail", 5)) == ["other:0000"]
    assert len(store.dense_search(EMBED.embed_query("bail"), 50)) == 8


def test_a_chunk_that_is_not_a_slice_of_the_judgment_is_refused(
    store: Store, make_judgment: JudgmentFactory
) -> None:
    judgment, chunks = make_judgment("bad", ["premier paragraphe", "second paragraphe"])
    forged = [chunks[0], Chunk(**{**chunks[1].__dict__, "text": "texte inventé"})]
    with store.writer() as writer, pytest.raises(StoreError, match="bad:0001"):
        writer.put(judgment, forged, EMBED.embed_documents([c.text for c in forged]))


def test_a_second_writer_is_refused_while_one_is_open(store: Store, tmp_path: Path) -> None:
    other = Store.open(tmp_path / "store", MODEL)
    with store.writer(), pytest.raises(StoreBusyError, match="being written"):
        other.writer().__enter__()
    with other.writer() as writer:  # the lock is released when the first writer ends
        writer.commit()


# -- the embedding model ---------------------------------------------------------------------

def test_the_store_refuses_another_model_with_the_reindex_command(store: Store,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "store"
    with pytest.raises(ModelMismatchError) as raised:
        Store.open(path, "e5:multilingual-e5-small")
    assert str(raised.value) == (
        f"store {path} was built with model hash:64; configured model is "
        f"e5:multilingual-e5-small. Re-index: legal-assistant ingest --store {path} "
        "--rebuild PATHS, or set LEGAL_ASSISTANT_EMBEDDINGS=hash:64"
    )


def test_a_rebuild_records_the_new_model(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "store"
    other = Store.open(path, "hash:32", check_model=False)
    with pytest.raises(ModelMismatchError):
        other.dense_search(HashEmbeddings(32).embed_query("contrat"), 3)
    with pytest.raises(ModelMismatchError), other.writer():
        pass
    judgment, chunks = corpus()[2]
    with other.writer(rebuild=True) as writer:
        assert writer.entries() == []
        writer.put(judgment, chunks, HashEmbeddings(32).embed_documents([c.text for c in chunks]))
        writer.commit()
    assert other.stats().model == "hash:32"
    assert [m.id for m in Store.open(path, "hash:32").judgments()] == ["ca-1"]
    with pytest.raises(ModelMismatchError, match="built with model hash:32"):
        Store.open(path, MODEL)


# -- generations -------------------------------------------------------------------------------

def test_a_reader_keeps_its_generation_until_refresh(
    store: Store, tmp_path: Path, make_judgment: JudgmentFactory
) -> None:
    reader = Store.open(tmp_path / "store", MODEL)
    put(store, make_judgment("new", ["un bail commercial résilié"], court="TAL"))
    assert store.generation == 2  # the writer's own store follows its commit
    assert reader.generation == 1
    assert reader.lexical_search("bail", 5) == []
    assert len(reader.dense_search(EMBED.embed_query("bail"), 50)) == 7
    assert reader.refresh() is True
    assert ids(reader.lexical_search("bail", 5)) == ["new:0000"]
    assert len(reader.dense_search(EMBED.embed_query("bail"), 50)) == 8
    assert reader.refresh() is False


def test_only_the_last_two_generations_are_kept(
    store: Store, tmp_path: Path, make_judgment: JudgmentFactory
) -> None:
    for n in range(3):
        put(store, make_judgment(f"more-{n}", [f"un bail numéro {n}"]))
    assert sorted(os.listdir(tmp_path / "store" / "generations")) == ["3", "4"]
    assert (tmp_path / "store" / "CURRENT").read_text().strip() == "4"
    assert Store.open(tmp_path / "store", MODEL).stats().chunks == 10


CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from store import HashEmbeddings, Store
    sys.path.insert(0, sys.argv[2])
    from conftest import build_judgment
    emb = HashEmbeddings(64)
    store = Store.open(Path(sys.argv[1]), "hash:64")
    with store.writer() as writer:
        writer.remove("tal-1")
        for n in range(1000):
            judgment, chunks = build_judgment(f"crash-{n}", [f"un bail numéro {n}"])
            writer.put(judgment, chunks, emb.embed_documents([c.text for c in chunks]))
            if n == 5:
                print("PUT", flush=True)
            if n == int(sys.argv[3]):
                time.sleep(60)
        writer.commit()
    """
)


def start_child(path: Path, pause_at: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(ROOT / "tests"), str(pause_at)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


@pytest.mark.parametrize("pause_at", [5, -1], ids=["killed while paused", "killed while busy"])
def test_a_writer_killed_mid_write_leaves_the_old_store_answering(
    store: Store, tmp_path: Path, pause_at: int
) -> None:
    path = tmp_path / "store"
    child = start_child(path, pause_at)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "PUT"
        with pytest.raises(StoreBusyError):  # the lock is held by another process
            Store.open(path, MODEL).writer().__enter__()
        if pause_at < 0:
            time.sleep(0.3)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    after = Store.open(path, MODEL)
    assert after.generation == 1
    assert after.stats().judgments == 3
    assert after.lexical_search("bail", 5) == []
    assert ids(after.lexical_search("responsabilité prestataire", 5)) == ["tal-1:0001"]
    assert len(after.dense_search(EMBED.embed_query("contrat"), 50)) == 7

    put(after, build_judgment("next", ["un contrat de bail"]))
    assert after.generation == 2
    assert sorted(os.listdir(path / "generations")) == ["1", "2"]
    assert ids(after.lexical_search("bail", 5)) == ["next:0000"]


READER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from store import HashEmbeddings, Store
    store = Store.open(Path(sys.argv[1]), "hash:64")
    query = HashEmbeddings(64).embed_query("bail")
    def report():
        dense = len(store.dense_search(query, 50))
        lexical = len(store.lexical_search("bail", 50))
        print(store.generation, dense, lexical, flush=True)
    report()
    sys.stdin.readline()
    report()
    store.refresh()
    report()
    """
)


def test_a_reader_in_another_process_answers_during_and_after_a_commit(
    store: Store, tmp_path: Path, make_judgment: JudgmentFactory
) -> None:
    path = tmp_path / "store"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert reader.stdin is not None and reader.stdout is not None
    try:
        assert reader.stdout.readline().split() == ["1", "7", "0"]
        put(store, make_judgment("new", ["un bail commercial"], court="TAL"))
        reader.stdin.write("go\n")
        reader.stdin.flush()
        assert reader.stdout.readline().split() == ["1", "7", "0"]
        assert reader.stdout.readline().split() == ["2", "8", "1"]
    finally:
        reader.wait(timeout=30)
    assert reader.returncode == 0


@pytest.mark.parametrize(
    "path",
    [(10, 200, True), (10, 200, False), (1, 1, False)],
    ids=["exact", "post-filtered", "where"],
)
def test_filtered_dense_search_equals_chromas_own_filtered_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: tuple[int, int, bool]
) -> None:
    """Filtered dense search compares the query with every allowed row of a segment that keeps
    its vectors; for a segment written without them, it post-filters Chroma's nearest
    unfiltered chunks, and asks Chroma's `where` when too few pass: each gives Chroma's
    filtered answer."""
    import store.store as store_module

    oversample, min_unfiltered, with_vectors = path
    monkeypatch.setattr(store_module, "OVERSAMPLE", oversample)
    monkeypatch.setattr(store_module, "MIN_UNFILTERED", min_unfiltered)

    big = Store.open(tmp_path / "big", MODEL)
    words = ["contrat", "maintenance", "facture", "préjudice", "serveur", "messagerie", "site"]
    with big.writer() as writer:
        for j in range(30):
            paragraphs = [
                f"Paragraphe {p} : {words[(j + p) % 7]} {words[(j * p) % 7]} numéro {j}-{p}."
                for p in range(10)
            ]
            court = ("TAL", "CA Paris", "Cass.")[j % 3]
            judgment, chunks = build_judgment(f"j{j:02d}", paragraphs, court=court,
                                              date=f"20{10 + j % 15}-01-01")  # fmt: skip
            writer.put(judgment, chunks, EMBED.embed_documents([c.text for c in chunks]))
        writer.commit()
    if not with_vectors:  # as a store written before segments kept their vectors
        for segment in big._view.segments:
            segment.matrix = None
    query = EMBED.embed_query("facture de maintenance du serveur")
    for filters in (
        SearchFilters(courts=("TAL",)),  # a third of the corpus: post-filtered
        SearchFilters(judgment_ids=("j07",)),  # one judgment: Chroma's where
        SearchFilters(courts=("CA Paris",), date_from="2015-01-01", section_kinds=("reasons",)),
    ):
        expected = where_search(big, query, 5, filters)
        hits = big.dense_search(query, 5, filters)
        assert [h.score for h in hits] == pytest.approx([s for _, s in expected])
        last = expected[-1][1]  # chunks tied with the last one may come in another order
        assert {h.chunk.id for h in hits if h.score > last + 1e-6} == {
            cid for cid, score in expected if score > last + 1e-6
        }
        assert {h.chunk.id for h in hits} <= allowed_ids(big, filters)


def test_a_segment_that_keeps_its_vectors_is_searched_exactly_not_by_the_approximate_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chroma's HNSW index, loaded again by each process, may miss some of the nearest chunks,
    and not the same ones in every process: the same question would get other passages in
    another session. Dense search compares the query with every stored vector instead."""
    from store.segments import OpenSegment

    big = Store.open(tmp_path / "big", MODEL)
    with big.writer() as writer:
        for j in range(12):
            paragraphs = [f"Paragraphe {p} : facture {j} serveur {p * j}." for p in range(8)]
            judgment, chunks = build_judgment(f"j{j:02d}", paragraphs)
            writer.put(judgment, chunks, EMBED.embed_documents([c.text for c in chunks]))
        writer.commit()

    def refused(self: OpenSegment, *args: object, **kwargs: object) -> None:
        raise AssertionError("the approximate index was asked")

    monkeypatch.setattr(OpenSegment, "query", refused)
    query = EMBED.embed_query("facture du serveur")
    hits = big.dense_search(query, 10)
    every = {h.chunk.id for h in big.lexical_search("paragraphe", 10_000)}
    vectors = dict(zip(sorted(every), EMBED.embed_documents(
        [big.chunk(cid).text for cid in sorted(every)]), strict=True))  # fmt: skip
    q = np.asarray(query)
    cosine = {cid: float(np.dot(v, q) / (np.linalg.norm(v) * np.linalg.norm(q)))
              for cid, v in vectors.items()}  # fmt: skip
    best = sorted(cosine.values(), reverse=True)[:10]
    assert [h.score for h in hits] == pytest.approx(best, abs=1e-5)


def allowed_ids(store: Store, filters: SearchFilters) -> set[str]:
    return {h.chunk.id for h in store.lexical_search("paragraphe", 10_000, filters)}


def test_a_store_written_with_another_registry_layout_is_refused_until_rebuilt(
    store: Store, tmp_path: Path
) -> None:
    import sqlite3


    folder = tmp_path / "store"
    with sqlite3.connect(folder / "registry.sqlite") as db:
        db.execute("DELETE FROM info WHERE key = 'schema'")
    store.close()
    with pytest.raises(StoreError, match="another version of legal-assistant.*--rebuild"):
        Store.open(folder, MODEL)
    rebuilding = Store.open(folder, MODEL, check_model=False)
    with rebuilding.writer(rebuild=True) as writer:
        judgment, chunks = corpus()[0]
        writer.put(judgment, chunks, EMBED.embed_documents([c.text for c in chunks]))
        writer.commit()
    assert Store.open(folder, MODEL).stats().judgments == 1


# -- sentence-window vectors ---------------------------------------------------------------------

def windows_of(chunks: list[Chunk]) -> list[np.ndarray]:
    """Two made-up window vectors per chunk (the hash embedding of each half of its text)."""
    return [
        np.asarray(EMBED.embed_documents([c.text[: len(c.text) // 2], c.text[len(c.text) // 2 :]]))
        for c in chunks
    ]


def test_sentence_window_vectors_come_back_with_their_chunk_and_leave_with_it(
    store: Store,
) -> None:
    judgment, chunks = corpus()[1]
    windows = windows_of(chunks)
    with store.writer() as writer:
        writer.put(judgment, chunks, EMBED.embed_documents([c.text for c in chunks]), windows)
        writer.commit()
    found = store.sentence_vectors([c.id for c in chunks] + ["tal-1:0000", "nowhere:0001"])
    assert sorted(found) == [c.id for c in chunks]  # tal-1 was stored without window vectors
    for chunk, expected in zip(chunks, windows, strict=True):
        assert found[chunk.id].shape == expected.shape == (2, 64)
        # int8 with one scale per vector: within half a step of the largest component
        step = np.abs(expected).max(axis=1, keepdims=True) / 127
        assert np.all(np.abs(found[chunk.id] - expected) <= step / 2 + 1e-6)
    with store.writer() as writer:
        writer.remove(judgment.id)
        writer.commit()
    assert store.sentence_vectors([c.id for c in chunks]) == {}


def test_window_vectors_for_another_number_of_chunks_are_refused(store: Store) -> None:
    judgment, chunks = corpus()[1]
    with store.writer() as writer, pytest.raises(StoreError, match="sentence vectors for 1"):
        writer.put(judgment, chunks, EMBED.embed_documents([c.text for c in chunks]),
                   windows_of(chunks)[:1])


def test_the_terms_naming_a_case_are_its_metadata_and_its_opening_chunks(store: Store) -> None:
    terms = store.case_terms()
    assert set(terms) == {"tal-1", "tal-2", "ca-1"}
    assert set(analyze("24 janvier 2025 TAL XIe")) <= terms["tal-1"]
    assert set(analyze("Motifs: la responsabilité du prestataire")) <= terms["tal-1"]
    assert "condamn" not in terms["tal-1"]  # the third chunk is not the case's opening
    assert set(analyze("CA Paris pôle 5 ch. 11 licence logiciel")) <= terms["ca-1"]


def test_chunk_vectors_are_the_stored_embeddings(store: Store) -> None:
    text = store.chunk("tal-2:0001").text
    found = store.chunk_vectors(["tal-2:0001", "nowhere:0001"])
    assert list(found) == ["tal-2:0001"]
    assert np.allclose(found["tal-2:0001"], EMBED.embed_documents([text])[0], atol=1e-6)
