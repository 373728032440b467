"""`legal-assistant ingest` killed with SIGKILL inside its commit, and two ingests at once.

README, "Safety and concurrent use": a crash or `kill -9` at any point leaves the previous
generation whole (each judgment in its old or new version, never a mix); the next run cleans up
and finishes the work. Only one ingest runs at a time: a second one is refused with the
holder's process id.

The kill lands deterministically: the ingest runs in a child process that replaces one step of
the writer by `os.kill(os.getpid(), SIGKILL)` before calling the real command line. The
product code has no test hook. The hash embedder keeps these runs fast; the real model is
killed at a random point in test_ingest_real.py.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.cli import main
from store.embeddings import HashEmbeddings
from store.generations import generation_numbers, read_current, read_manifest
from store.registry import Registry
from store.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
EXCERPT = ROOT / "data" / "corpus" / "excerpts" / "baumann_fr-cass-com-19941025-93-10184.txt"
MODEL = "hash:64"
LUX = "TAL_2025-01-24_2025TALCH11-00011.txt"
LUX_ID = "tal-2025talch11-00011"
CHAMBERY = "judilibre-github_fr-ca-chambery-20220215-20-00024.txt"
OLD_SENTENCE, NEW_SENTENCE = "Il est constant en cause que", "Nul ne conteste que"

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(autouse=True)
def hash_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEGAL_ASSISTANT_EMBEDDINGS", "hash")


def ingest(store: Path, *args: str | Path) -> int:
    return main(["ingest", "--store", str(store), *map(str, args)])


def summary(out: str) -> dict[str, int]:
    line = next(x for x in out.splitlines() if x.startswith("summary:"))
    return {k: int(v) for k, v in (item.split("=") for item in line.split()[1:])}


Contents = dict[str, tuple[str, ...]]


def read_back(path: Path) -> Contents:
    """What a fresh reader of the store finds: each judgment's chunk texts. Checks on the way
    that the registry, the Chroma collection and the BM25 index hold the same chunks and that
    both searches answer."""
    store = Store.open(path, MODEL)
    try:
        found = {m.id: tuple(c.text for c in store.chunks_of(m.id)) for m in store.judgments()}
        chunk_ids = {c.id for m in store.judgments() for c in store.chunks_of(m.id)}
        view = store._view
        live = {vid.rsplit("@", 1)[0] for vid in view.vid_row}
        assert live == chunk_ids, "the generation's live rows = its registry chunks"
        in_chroma = {vid for s in view.segments for vid in s.collection.get(include=[])["ids"]}
        assert set(view.vid_row) <= in_chroma, "every live chunk has its vector"
        lexical = {cid for cid, ok in zip(view.lexical.chunk_ids, view.lexical.live,
                                          strict=True) if ok}  # fmt: skip
        assert lexical == set(view.vid_row), "BM25 rows = live chunks"
        assert store.lexical_search("contrat", 5)
        assert store.dense_search(HashEmbeddings(64).embed_query("contrat"), 5)
    finally:
        store.close()
    return found


@dataclass(frozen=True)
class Before:
    """A store (two committed generations) of the four sample judgments, and a corpus folder
    changed since: one judgment edited, one file added, one deleted."""

    store: Path
    corpus: Path
    old: Contents  # what the store holds
    new: Contents  # what a store freshly ingested from the changed corpus holds


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> Before:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LEGAL_ASSISTANT_EMBEDDINGS", "hash")
        folder = tmp_path_factory.mktemp("before")
        corpus, store = folder / "corpus", folder / "store"
        shutil.copytree(SAMPLE, corpus)
        shutil.move(corpus / CHAMBERY, folder / CHAMBERY)
        assert ingest(store, corpus) == 0
        shutil.move(folder / CHAMBERY, corpus / CHAMBERY)
        assert ingest(store, corpus) == 0  # generation 2: the next commit has one to prune
        old = read_back(store)
        text = (corpus / LUX).read_text(encoding="utf-8")
        assert OLD_SENTENCE in text
        (corpus / LUX).write_text(text.replace(OLD_SENTENCE, NEW_SENTENCE), encoding="utf-8")
        shutil.copy(EXCERPT, corpus / EXCERPT.name)
        (corpus / CHAMBERY).unlink()
        assert ingest(folder / "reference", corpus) == 0
        new = read_back(folder / "reference")
    # the change touches one judgment's chunks, adds one judgment and removes another
    assert new[LUX_ID] != old[LUX_ID]
    assert len(set(new) - set(old)) == len(set(old) - set(new)) == 1
    assert {j: c for j, c in new.items() if j != LUX_ID and j in old} == {
        j: c for j, c in old.items() if j != LUX_ID and j in new
    }
    return Before(store, corpus, old, new)


# The child: replace one step of the writer by SIGKILL, then run the command line.
KILLED_RUN = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path

    from store.writer import StoreWriter
    import store.writer

    point, judgment_id = sys.argv[1], sys.argv[2]

    def die(*args, **kwargs):
        print(f"killed at {point}", file=sys.stderr, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

    if point == "mid-update":  # the judgment's old chunks marked removed, new not yet put
        remove = StoreWriter.remove
        def remove_then_die(self, jid):
            removed = remove(self, jid)
            if jid == judgment_id and removed:
                die()
            return removed
        StoreWriter.remove = remove_then_die
    elif point == "mid-merge":  # copying vectors into a merged segment (a merge is forced)
        plan = store.writer.plan_merge
        store.writer.plan_merge = lambda segments: plan(segments, 2)
        import store.chroma
        store.chroma.copy_records = die
    elif point == "before-registry":  # segment sealed, manifest written, registry not committed
        from store.registry import Registry
        Registry.commit = die
    elif point == "before-switch":  # registry committed, segment saved, CURRENT not yet written
        store.writer.write_current = die
    elif point == "mid-switch":  # CURRENT.tmp-<pid> written and synced, not yet renamed
        replace = os.replace
        def replace_or_die(src, dst, *args, **kwargs):
            if Path(dst).name == "CURRENT":
                die()
            return replace(src, dst, *args, **kwargs)
        os.replace = replace_or_die
    elif point == "after-switch":  # CURRENT switched, old rows and segments not yet pruned
        StoreWriter._prune = die
    else:
        raise SystemExit(f"unknown kill point {point}")

    from assistant.cli import main
    sys.exit(main(sys.argv[3:]))
    """
)


def killed_ingest(point: str, store: Path, corpus: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LEGAL_ASSISTANT_EMBEDDINGS": "hash"}
    args = [point, LUX_ID, "ingest", "--prune", "--store", str(store), str(corpus)]
    return subprocess.run(
        [sys.executable, "-c", KILLED_RUN, *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=240,
    )  # fmt: skip


POINTS = ["mid-update", "mid-merge", "before-registry", "before-switch", "mid-switch",
          "after-switch"]


@pytest.mark.parametrize("point", POINTS)
def test_an_ingest_killed_inside_its_commit_leaves_each_judgment_whole_and_the_next_run_finishes(
    before: Before, tmp_path: Path, capsys: pytest.CaptureFixture[str], point: str
) -> None:
    store = tmp_path / "store"
    shutil.copytree(before.store, store)
    live = read_current(store)
    assert generation_numbers(store) == [live - 1, live]

    killed = killed_ingest(point, store, before.corpus)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert killed.stderr.strip().endswith(f"killed at {point}"), killed.stderr

    # where the kill landed
    if point in ("mid-update", "mid-merge", "before-registry"):
        assert generation_numbers(store) == [live - 1, live, live + 1]
    if point in ("mid-merge", "before-registry", "before-switch"):
        assert set(os.listdir(store / "segments")) > manifest_segments(store, live - 1, live)
    if point == "before-switch":
        registry = Registry(store / "registry.sqlite", read_only=True)
        try:  # committed as generation live + 1: the edited judgment's new text, old kept
            assert NEW_SENTENCE in "".join(c.text for c in registry.chunks_of(LUX_ID, live + 1))
            assert NEW_SENTENCE not in "".join(c.text for c in registry.chunks_of(LUX_ID, live))
        finally:
            registry.close()
    if point == "mid-switch":
        pid = (store / "LOCK").read_text().split()[1]  # "process <pid>" of the killed run
        assert [p.name for p in store.glob("CURRENT.tmp-*")] == [f"CURRENT.tmp-{pid}"]
        assert (store / f"CURRENT.tmp-{pid}").read_text() == f"{live + 1}\n"
    if point == "after-switch":
        assert generation_numbers(store) == [live - 1, live, live + 1]

    # a fresh reader: the whole old store, or (switched) the whole new one; never a mix
    assert read_current(store) == (live + 1 if point == "after-switch" else live)
    assert read_back(store) == (before.new if point == "after-switch" else before.old)

    # the next run cleans up and finishes the work
    capsys.readouterr()
    assert ingest(store, "--prune", before.corpus) == 0
    counts = summary(capsys.readouterr().out)
    if point == "after-switch":  # nothing left to do: no new generation, only tidying
        assert counts == {"added": 0, "updated": 0, "unchanged": 4, "removed": 0,
                          "duplicate": 0, "failed": 0, "skipped": 0}  # fmt: skip
    else:
        assert counts == {"added": 1, "updated": 1, "unchanged": 2, "removed": 1,
                          "duplicate": 0, "failed": 0, "skipped": 0}  # fmt: skip
    assert read_back(store) == before.new
    now = read_current(store)
    assert now == live + 1
    assert generation_numbers(store) == [now - 1, now]
    assert list(store.glob("CURRENT.tmp-*")) == []
    # the crashed run's vectors are gone: only the segments of the kept generations remain
    assert set(os.listdir(store / "segments")) == manifest_segments(store, now - 1, now)


def manifest_segments(store: Path, *numbers: int) -> set[str]:
    found: set[str] = set()
    for number in numbers:
        manifest = read_manifest(store, number)
        assert manifest is not None
        found |= manifest.names
    return found



# The child: an ingest that stops at its commit until told to go on (a line on stdin).
HELD_RUN = textwrap.dedent(
    """
    import os, sys
    from store.writer import StoreWriter

    commit = StoreWriter.commit
    def held_commit(self):
        print(f"holding the lock, process {os.getpid()}", file=sys.stderr, flush=True)
        sys.stdin.readline()
        commit(self)
    StoreWriter.commit = held_commit

    from assistant.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def test_a_second_ingest_is_refused_naming_the_holder_and_the_first_finishes(
    before: Before, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    env = {**os.environ, "LEGAL_ASSISTANT_EMBEDDINGS": "hash"}
    first = subprocess.Popen(
        [sys.executable, "-c", HELD_RUN, "ingest", "--store", str(store), str(SAMPLE)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env, cwd=ROOT,
    )  # fmt: skip
    assert first.stdin is not None and first.stderr is not None
    try:
        assert first.stderr.readline().strip() == f"holding the lock, process {first.pid}"
        second = subprocess.run(
            [sys.executable, "-m", "assistant", "ingest", "--store", str(store), str(SAMPLE)],
            capture_output=True, text=True, cwd=ROOT, timeout=120,
            env=env,
        )  # fmt: skip
        first.stdin.write("go on\n")
        first.stdin.flush()
        out, err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()

    assert second.returncode == 1, second.stdout + second.stderr
    assert second.stderr == (
        f"error: store {store} is being written by process {first.pid} (lock {store / 'LOCK'}); "
        "wait for that ingest to finish, then run again\n"
    )
    assert "summary:" not in second.stdout

    assert first.returncode == 0, out + err
    assert summary(out)["added"] == 4
    assert read_current(store) == 1 and generation_numbers(store) == [1]
    assert read_back(store) == before.old
