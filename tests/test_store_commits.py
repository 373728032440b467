"""What a commit costs and what readers see (issue 13): a commit writes one new segment and
never copies the stored vectors, a run without change writes nothing, merged segments answer
like one, and a reader keeps its generation's version of an updated judgment.

Real embedded Chroma; vectors from the deterministic hash embedder.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from conftest import build_judgment

from store import HashEmbeddings, Store
from store.generations import Manifest, SegmentInfo, read_current, read_manifest
from store.records import Chunk, Judgment
from store.segments import FANOUT, plan_merge

MODEL = "hash:64"
EMBED = HashEmbeddings(64)
WORDS = ["contrat", "maintenance", "facture", "préjudice", "serveur", "messagerie", "licence",
         "résiliation", "expertise", "livraison", "garantie"]  # fmt: skip


def judgment(n: int, version: int = 0) -> tuple[Judgment, list[Chunk]]:
    paragraphs = [
        f"Paragraphe {p} : {WORDS[(n + p + version) % 11]} {WORDS[(n * p) % 11]} "
        f"numéro {n}-{p} version {version}."
        for p in range(3)
    ]
    return build_judgment(f"j{n:03d}", paragraphs, court=("TAL", "CA Paris")[n % 2],
                          date=f"20{10 + n % 15}-01-01")  # fmt: skip


def put(store: Store, *items: tuple[Judgment, list[Chunk]], remove: tuple[str, ...] = ()) -> None:
    with store.writer() as writer:
        for jid in remove:
            writer.remove(jid)
        for item, chunks in items:
            writer.put(item, chunks, EMBED.embed_documents([c.text for c in chunks]))
        writer.commit()


def files(path: Path) -> dict[str, tuple[int, int]]:
    """Every file of the store but the lock and SQLite's transient WAL files: (size, mtime)."""
    return {
        str(f.relative_to(path)): (f.stat().st_size, f.stat().st_mtime_ns)
        for f in path.rglob("*")
        if f.is_file() and f.name not in ("LOCK", "registry.sqlite-wal", "registry.sqlite-shm")
    }


def manifest(path: Path) -> Manifest:
    found = read_manifest(path, read_current(path))
    assert found is not None
    return found


def test_a_run_without_change_writes_nothing_and_creates_no_generation(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = Store.open(path, MODEL)
    put(store, judgment(1), judgment(2))
    before = files(path)
    with store.writer() as writer:
        assert [e.judgment_id for e in writer.entries()] == ["j001", "j002"]
        assert writer.entry_for_id("j001") is not None
        assert writer.remove("nowhere") is False
        writer.commit()
    assert files(path) == before
    assert read_current(path) == store.generation == 1
    assert store.refresh() is False


def test_a_commit_adds_one_segment_and_rewrites_no_stored_vector(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = Store.open(path, MODEL)
    put(store, *(judgment(n) for n in range(30)))
    (base,) = manifest(path).segments
    base_files = {k: v for k, v in files(path).items() if k.startswith(f"segments/{base.name}/")}
    assert base_files and base.rows == 90

    put(store, judgment(30))
    after = manifest(path)
    assert after.segments == (base, SegmentInfo("s2", 3))
    assert {k: v for k, v in files(path).items() if k.startswith(f"segments/{base.name}/")} \
        == base_files  # fmt: skip
    assert store.stats().chunks == 93

    put(store, judgment(5, version=1))  # an update marks the old rows removed, in place
    assert manifest(path).segments[0] == SegmentInfo(base.name, 90, dead=3)
    assert [c.text for c in store.chunks_of("j005")] == [c.text for c in judgment(5, 1)[1]]


def test_segments_merged_along_many_commits_answer_like_one_commit(tmp_path: Path) -> None:
    many = Store.open(tmp_path / "many", MODEL)
    final: dict[str, tuple[Judgment, list[Chunk]]] = {}
    for n in range(40):
        item = judgment(n)
        removed: tuple[str, ...] = ()
        if n % 7 == 6:  # an update of an earlier judgment
            item = judgment(n - 5, version=1)
        if n % 9 == 8:  # and a removal
            removed = (f"j{n - 3:03d}",)
            final.pop(removed[0], None)
        put(many, item, remove=removed)
        final[item[0].id] = item
    segments = manifest(tmp_path / "many").segments
    assert any(s.name.endswith("m") for s in segments), "segments were merged"
    assert len(segments) < 3 * (FANOUT - 1), segments
    assert sum(s.live for s in segments) == many.stats().chunks

    # the view the writer's store followed commit by commit is the one a fresh reader builds
    fresh, followed = Store.open(tmp_path / "many", MODEL)._view, many._view
    assert fresh.vid_row == followed.vid_row and fresh.metas == followed.metas
    assert (fresh.live == followed.live).all()
    for view in (fresh, followed):
        assert [view.metas[j].id for j in view.row_judgment[view.live]] == [
            vid.split(":")[0] for vid, ok in zip(view.lexical.chunk_ids, view.live, strict=True)
            if ok
        ]  # fmt: skip

    one = Store.open(tmp_path / "one", MODEL)
    put(one, *final.values())
    assert [m.id for m in many.judgments()] == [m.id for m in one.judgments()]
    for query in ("contrat de maintenance", "facture du serveur", "version 1 licence", "numéro 7"):
        lexical = [(h.chunk, round(h.score, 6)) for h in many.lexical_search(query, 20)]
        assert lexical == [(h.chunk, round(h.score, 6)) for h in one.lexical_search(query, 20)]
        vector = EMBED.embed_query(query)
        dense = [(h.chunk.id, round(h.score, 5)) for h in many.dense_search(vector, 10)]
        expected = [(h.chunk.id, round(h.score, 5)) for h in one.dense_search(vector, 10)]
        assert [s for _, s in dense] == [s for _, s in expected]
        assert set(dense) - set(expected) <= {p for p in dense if p[1] == dense[-1][1]}


def test_every_segment_keeps_a_copy_of_its_chroma_vectors_for_exact_search(
    tmp_path: Path,
) -> None:
    """Sealed and merged segments write their vectors in row order, equal to what Chroma
    holds, including after updates, removals within one run, and merges."""
    store = Store.open(tmp_path / "s", MODEL)
    for n in range(12):
        with store.writer() as writer:
            item, chunks = judgment(n)
            writer.put(item, chunks, EMBED.embed_documents([c.text for c in chunks]))
            if n % 4 == 3:  # put then replaced in the same run: the first vectors are dropped
                item, chunks = judgment(n, version=1)
                writer.put(item, chunks, EMBED.embed_documents([c.text for c in chunks]))
                writer.remove(f"j{n - 1:03d}")
            writer.commit()
    segments = store._view.segments
    assert any(s.name.endswith("m") for s in segments), "segments were merged"
    for segment in segments:
        assert segment.matrix is not None and len(segment.matrix) == len(segment.ids)
        stored = segment.collection.get(ids=segment.ids, include=["embeddings"])
        by_id = dict(zip(stored["ids"], stored["embeddings"], strict=True))
        assert np.allclose(segment.matrix, np.asarray([by_id[v] for v in segment.ids]))


@pytest.mark.parametrize(
    ("segments", "merged"),
    [
        ([SegmentInfo("a", 10_000), SegmentInfo("b", 50), SegmentInfo("c", 50)], []),
        ([SegmentInfo(n, 50) for n in "abcd"], ["a", "b", "c", "d"]),
        # the merged 200 rows fill the next tier: all of it goes into one
        ([SegmentInfo("big", 210), SegmentInfo("x", 220), SegmentInfo("y", 250)]
         + [SegmentInfo(n, 50) for n in "abcd"],
         ["big", "x", "y", "a", "b", "c", "d"]),
        ([SegmentInfo("a", 1000, dead=600), SegmentInfo("b", 50)], ["a"]),  # over half removed
        ([SegmentInfo("a", 1000, dead=400), SegmentInfo("b", 50)], []),
    ],
)
def test_segments_are_merged_by_size_tier_or_when_mostly_removed(
    segments: list[SegmentInfo], merged: list[str]
) -> None:
    assert FANOUT == 4
    assert plan_merge(segments) == merged


def test_a_reader_keeps_its_version_of_an_updated_judgment_until_refresh(tmp_path: Path) -> None:
    path = tmp_path / "store"
    writer_side = Store.open(path, MODEL)
    put(writer_side, judgment(1), judgment(2))
    reader = Store.open(path, MODEL)
    old = judgment(1)[1]
    new = judgment(1, version=3)[1]
    assert [c.id for c in old] == [c.id for c in new] and old != new

    put(writer_side, (judgment(1, version=3)[0], new), remove=("j002",))
    assert reader.generation == 1
    assert reader.chunks_of("j001") == old and reader.chunk(old[0].id) == old[0]
    assert [m.id for m in reader.judgments()] == ["j001", "j002"]
    hits = reader.dense_search(EMBED.embed_query(old[0].text), 10)
    assert hits[0].chunk == old[0] and hits[0].score == pytest.approx(1.0, abs=1e-5)
    assert {h.chunk.judgment_id for h in hits} == {"j001", "j002"}
    assert "version 0" in reader.lexical_search("version", 10)[0].chunk.text
    assert not any("version 3" in h.chunk.text for h in reader.lexical_search("version", 10))

    assert reader.refresh() is True
    assert reader.chunks_of("j001") == new and [m.id for m in reader.judgments()] == ["j001"]
    hits = reader.dense_search(EMBED.embed_query(new[0].text), 10)
    assert hits[0].chunk == new[0] and {h.chunk.judgment_id for h in hits} == {"j001"}


def test_a_reader_left_behind_by_two_commits_moves_to_the_live_generation(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store"
    writer_side = Store.open(path, MODEL)
    put(writer_side, judgment(1))
    reader = Store.open(path, MODEL)
    put(writer_side, judgment(2))
    assert reader.lexical_search("paragraphe", 10) and reader.generation == 1
    put(writer_side, judgment(3))  # the rows generation 1 alone needed may now be deleted
    assert {h.chunk.judgment_id for h in reader.lexical_search("paragraphe", 10)} == {
        "j001", "j002", "j003"
    }
    assert reader.generation == 3


def test_removed_vectors_leave_chroma_when_their_segment_is_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = Store.open(path, MODEL)
    put(store, *(judgment(n) for n in range(10)))
    (base,) = manifest(path).segments
    put(store, remove=tuple(f"j{n:03d}" for n in range(6)))  # 18 of 30 rows removed
    (rewritten,) = manifest(path).segments
    assert rewritten.name != base.name and (rewritten.rows, rewritten.dead) == (12, 0)
    assert (path / "segments" / base.name).exists(), "readers of generation 1 still read it"
    stored = store._view.segments[0].collection.get(include=[])["ids"]
    assert sorted(v.rsplit("@", 1)[0] for v in stored) == sorted(
        c.id for n in range(6, 10) for c in judgment(n)[1]
    )
    assert {h.chunk.judgment_id for h in store.dense_search(EMBED.embed_query("contrat"), 50)} \
        == {f"j{n:03d}" for n in range(6, 10)}  # fmt: skip
    put(store, judgment(11))
    assert sorted(os.listdir(path / "generations")) == ["2", "3"]
    assert not (path / "segments" / base.name).exists()
