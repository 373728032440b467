"""`legal-assistant ingest` as a maintainer uses it: summary, incremental runs, bad input,
duplicates, pruning, dry runs. The fast deterministic embedder keeps these tests quick; the
real model is exercised in test_ingest_real.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from assistant.cli import main
from ingest import pipeline
from ingest.parse import parse_judgment
from ingest.pipeline import REREAD, ingest_paths
from store.embeddings import HashEmbeddings
from store.records import SearchFilters
from store.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
SAMPLE = ROOT / "data" / "sample"
LUX = "TAL_2025-01-24_2025TALCH11-00011.txt"
LUX_ID = "tal-2025talch11-00011"


@pytest.fixture(autouse=True)
def hash_model(monkeypatch):
    monkeypatch.setenv("LEGAL_ASSISTANT_EMBEDDINGS", "hash")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE, folder)
    return folder


def ingest(store: Path, *args: str | Path) -> int:
    return main(["ingest", "--store", str(store), *map(str, args)])


def stored(store: Path) -> Store:
    return Store.open(store, "hash:64")


def test_first_run_adds_every_judgment_and_exits_zero(tmp_path, corpus, capsys):
    assert ingest(tmp_path / "store", corpus) == 0
    out = capsys.readouterr().out
    assert "added" in out
    s = stored(tmp_path / "store")
    assert s.stats().judgments == 4
    assert s.stats().chunks > 40


def test_second_run_changes_nothing(tmp_path, corpus, capsys):
    ingest(tmp_path / "store", corpus)
    before = stored(tmp_path / "store").stats()
    capsys.readouterr()
    assert ingest(tmp_path / "store", corpus) == 0
    report = capsys.readouterr().out
    after = stored(tmp_path / "store").stats()
    assert (after.judgments, after.chunks) == (before.judgments, before.chunks)
    assert _row(report) == {
        "added": 0,
        "updated": 0,
        "unchanged": 4,
        "removed": 0,
        "duplicate": 0,
        "failed": 0,
        "skipped": 0,
    }


def test_changed_file_replaces_its_old_chunks(tmp_path, corpus):
    ingest(tmp_path / "store", corpus)
    target = corpus / LUX
    text = target.read_text(encoding="utf-8")
    old_sentence = "Il est constant en cause que"
    assert old_sentence in text
    target.write_text(text.replace(old_sentence, "Nul ne conteste que"), encoding="utf-8")
    assert ingest(tmp_path / "store", corpus) == 0
    s = stored(tmp_path / "store")
    assert s.stats().judgments == 4
    texts = [h.chunk.text for h in s.lexical_search("Nul ne conteste que", 50)]
    assert any("Nul ne conteste que" in t for t in texts)
    every_chunk = [c.text for m in s.judgments() for c in s.chunks_of(m.id)]
    assert not any(old_sentence in t for t in every_chunk)


def test_an_unchanged_file_cut_another_way_is_stored_again_then_left_alone(tmp_path, corpus):
    store_path = tmp_path / "store"
    ingest_paths([corpus], Store.open(store_path, "hash:64"), HashEmbeddings(64),
                 model_id="hash:64")  # fmt: skip
    before = {m.id: len(stored(store_path).chunks_of(m.id)) for m in stored(store_path).judgments()}

    report = ingest_paths([corpus], stored(store_path), HashEmbeddings(64), model_id="hash:64",
                          chunk_chars=600)  # fmt: skip
    assert report.counts()["updated"] == 4, "the same texts, cut into smaller chunks"
    assert all(o.detail.startswith(REREAD) for o in report.outcomes)
    after = {m.id: len(stored(store_path).chunks_of(m.id)) for m in stored(store_path).judgments()}
    assert after.keys() == before.keys() and all(after[j] > before[j] for j in before)

    again = ingest_paths([corpus], stored(store_path), HashEmbeddings(64), model_id="hash:64",
                         chunk_chars=600)  # fmt: skip
    assert again.counts()["unchanged"] == 4


def test_a_newer_reader_that_reads_an_unchanged_file_differently_stores_its_reading(
    tmp_path, corpus, monkeypatch, capsys
):
    """After an upgrade of the parser, a plain incremental run applies it (no --rebuild)."""
    ingest(tmp_path / "store", corpus)
    assert stored(tmp_path / "store").judgment(LUX_ID).meta.chamber != "onzième chambre (relue)"

    def newer_reader(document, source):
        judgment = parse_judgment(document, source)
        if judgment.id != LUX_ID:
            return judgment
        return replace(judgment, meta=replace(judgment.meta, chamber="onzième chambre (relue)"))

    monkeypatch.setattr(pipeline, "parse_judgment", newer_reader)
    capsys.readouterr()
    assert ingest(tmp_path / "store", corpus) == 0
    report = capsys.readouterr().out
    assert _row(report)["updated"] == 1 and _row(report)["unchanged"] == 3
    assert f"updated: {corpus / LUX}: {REREAD}" in report
    chunks = len(stored(tmp_path / "store").chunks_of(LUX_ID))
    assert f"chunks: embedded=0 kept={chunks}" in report, "the same chunk texts: no embedding"
    s = stored(tmp_path / "store")
    assert s.judgment(LUX_ID).meta.chamber == "onzième chambre (relue)"
    assert {h.chunk.judgment_id for h in s.lexical_search("informatique", 50,
            SearchFilters(chambers=("onzième chambre (relue)",)))} == {LUX_ID}  # fmt: skip

    assert ingest(tmp_path / "store", corpus) == 0
    assert _row(capsys.readouterr().out)["unchanged"] == 4


class _CountingEmbeddings(HashEmbeddings):
    """The test embedder, counting the texts it embeds."""

    def __init__(self) -> None:
        super().__init__(64)
        self.texts: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts.extend(texts)
        return super().embed_documents(texts)


def test_an_edited_file_embeds_only_its_chunks_whose_text_changed(tmp_path, corpus):
    store_path = tmp_path / "store"
    ingest_paths([corpus], Store.open(store_path, "hash:64"), HashEmbeddings(64),
                 model_id="hash:64")  # fmt: skip
    old_texts = {c.text for c in stored(store_path).chunks_of(LUX_ID)}
    target = corpus / LUX
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("Il est constant en cause que", "Nul ne conteste que"),
                      encoding="utf-8")  # fmt: skip
    counting = _CountingEmbeddings()
    report = ingest_paths([corpus], stored(store_path), counting, model_id="hash:64")

    (outcome,) = [o for o in report.outcomes if o.status == "updated"]
    new_texts = {c.text for c in stored(store_path).chunks_of(LUX_ID)}
    assert 0 < len(new_texts - old_texts) < len(new_texts) / 10, "an edit touches few chunks"
    assert {t for t in counting.texts if t in new_texts} == new_texts - old_texts
    assert outcome.reused == len(new_texts & old_texts) == outcome.chunks - outcome.embedded

    fresh_path = tmp_path / "fresh"
    ingest_paths([corpus], Store.open(fresh_path, "hash:64"), HashEmbeddings(64),
                 model_id="hash:64")  # fmt: skip
    ids = [c.id for c in stored(store_path).chunks_of(LUX_ID)]
    kept, fresh = stored(store_path), stored(fresh_path)
    assert [c.text for c in kept.chunks_of(LUX_ID)] == [c.text for c in fresh.chunks_of(LUX_ID)]
    kept_vectors, fresh_vectors = kept.chunk_vectors(ids), fresh.chunk_vectors(ids)
    kept_windows, fresh_windows = kept.sentence_vectors(ids), fresh.sentence_vectors(ids)
    for chunk_id in ids:
        assert np.allclose(kept_vectors[chunk_id], fresh_vectors[chunk_id])
        assert np.allclose(kept_windows[chunk_id], fresh_windows[chunk_id], atol=1e-6)


def test_same_judgment_under_two_names_is_stored_once(tmp_path, corpus, capsys):
    shutil.copy(corpus / LUX, corpus / "copie.txt")
    assert ingest(tmp_path / "store", corpus) == 0
    out = capsys.readouterr().out
    assert "duplicate:" in out and "copie.txt" in out or LUX in out
    assert stored(tmp_path / "store").stats().judgments == 4


def test_prune_removes_judgments_whose_file_is_gone(tmp_path, corpus, capsys):
    ingest(tmp_path / "store", corpus)
    (corpus / LUX).unlink()
    assert ingest(tmp_path / "store", corpus) == 0
    assert stored(tmp_path / "store").stats().judgments == 4  # kept without --prune
    capsys.readouterr()
    assert ingest(tmp_path / "store", corpus, "--prune") == 0
    assert "removed:" in capsys.readouterr().out
    assert stored(tmp_path / "store").stats().judgments == 3


def test_dry_run_stores_nothing(tmp_path, corpus, capsys):
    assert ingest(tmp_path / "store", corpus, "--dry-run") == 0
    assert "dry run" in capsys.readouterr().out
    assert not (tmp_path / "store").exists(), "a dry run on a new store leaves no folder"
    assert stored(tmp_path / "store").stats().judgments == 0

    assert ingest(tmp_path / "store", corpus) == 0
    before = sorted(p.relative_to(tmp_path) for p in (tmp_path / "store").rglob("*"))
    (corpus / "new.txt").write_text((corpus / sorted(os.listdir(corpus))[0]).read_text())
    assert ingest(tmp_path / "store", corpus, "--dry-run") == 0
    after = sorted(p.relative_to(tmp_path) for p in (tmp_path / "store").rglob("*"))
    assert after == before


def _pdf(path: Path, pages: list[str]) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def _bad_inputs(folder: Path) -> dict[str, str]:
    """Bad files and the words their error line must contain."""
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.pdf").write_bytes(b"\x00\x01garbage not a pdf" * 20)
    good = _pdf(folder / "good-source.pdf", ["Tribunal d'arrondissement de Luxembourg. " * 5])
    data = good.read_bytes()
    good.unlink()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 2])
    writer = PdfWriter(clone_from=PdfReader(_pdf(folder / "plain.pdf", ["Secret jugement"])))
    writer.encrypt("password")
    (folder / "plain.pdf").unlink()
    with (folder / "encrypted.pdf").open("wb") as handle:
        writer.write(handle)
    scan = FPDF()
    scan.add_page()
    scan.rect(20, 20, 100, 100, style="F")
    scan.output(str(folder / "scan.pdf"))
    (folder / "big.txt").write_text("Tribunal " * 300_000, encoding="utf-8")
    (folder / "broken-link.txt").symlink_to(folder / "does-not-exist.txt")
    return {
        "empty.txt": "empty",
        "junk.pdf": "pdf",
        "truncated.pdf": "pdf",
        "encrypted.pdf": "encrypted",
        "scan.pdf": "no text layer",
        "big.txt": "too large",
        "broken-link.txt": "read",
    }


def test_bad_files_are_reported_one_line_each_and_the_run_goes_on(tmp_path, corpus, capsys):
    store = tmp_path / "store"
    ingest(store, corpus)
    before = stored(store).stats()
    capsys.readouterr()
    bad = tmp_path / "bad"
    expected = _bad_inputs(bad)
    (bad / "notes.xyz").write_text("not a judgment format")
    (bad / "cp1252.txt").write_bytes(
        "Tribunal d'arrondissement de Luxembourg\n\nAudience publique du 3 mars 2020.\n\n"
        "Le prestataire a manqué à son obligation de résultat.".encode("cp1252")
    )
    (bad / "recipe.txt").write_text("Mélanger la farine et les oeufs, cuire vingt minutes.")

    code = main(
        ["ingest", "--store", str(store), "--max-mb", "1", str(bad), str(bad / "notes.xyz")]
    )
    out = capsys.readouterr().out
    assert code == 1, "a failed file makes the exit code non-zero"
    lines = out.splitlines()
    for name, words in expected.items():
        line = [x for x in lines if x.startswith("failed:") and name in x]
        assert len(line) == 1, f"one failure line for {name}: {out}"
        assert words in line[0].lower(), line[0]
    assert any(x.startswith("failed:") and "notes.xyz" in x for x in lines)
    after = stored(store)
    assert after.stats().judgments == before.judgments + 2, "cp1252 and recipe still stored"
    recipe = [m for m in after.judgments() if m.source_path.endswith("recipe.txt")]
    assert recipe and recipe[0].court == "" and recipe[0].date == ""
    assert any(x.startswith("warning:") and "recipe.txt" in x for x in lines)
    assert any(x.startswith("warning:") and "cp1252.txt" in x for x in lines)


def test_a_folder_lists_files_of_other_types_as_skipped(tmp_path, capsys):
    assert ingest(tmp_path / "store", CORPUS / "luxembourg", CORPUS / "INDEX.tsv") == 1
    out = capsys.readouterr().out
    assert "INDEX.tsv: unsupported file type .tsv" in out


def test_missing_path_is_a_failure_and_others_still_ingest(tmp_path, corpus, capsys):
    assert ingest(tmp_path / "store", tmp_path / "nope", corpus) == 1
    assert "no such file or folder" in capsys.readouterr().out
    assert stored(tmp_path / "store").stats().judgments == 4


def _row(report: str) -> dict[str, int]:
    """The counts of the machine-readable summary line."""
    line = next(x for x in report.splitlines() if x.startswith("summary:"))
    pairs = (item.split("=") for item in line.removeprefix("summary:").split())
    return {name: int(value) for name, value in pairs}


class _CrashingEmbeddings(HashEmbeddings):
    """The test embedder, interrupted (as by Ctrl-C) on its n-th call."""

    def __init__(self, crash_on_call: int) -> None:
        super().__init__(64)
        self.calls, self.crash_on_call = 0, crash_on_call

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        if self.calls == self.crash_on_call:
            raise KeyboardInterrupt
        return super().embed_documents(texts)


def test_a_long_run_commits_checkpoints_so_a_crash_loses_little_and_the_next_run_finishes(
    tmp_path, corpus
):
    store_path = tmp_path / "store"
    store = Store.open(store_path, "hash:64")
    with pytest.raises(KeyboardInterrupt):
        # two embedding calls per judgment (its chunks, then its sentence windows): the third
        # judgment is interrupted
        ingest_paths([corpus], store, _CrashingEmbeddings(crash_on_call=5), model_id="hash:64",
                     batch_size=10_000, checkpoint_s=0)  # fmt: skip
    store.close()
    assert stored(store_path).stats().judgments == 2, "the two judgments before the crash"
    report = ingest_paths([corpus], stored(store_path), HashEmbeddings(64), model_id="hash:64")
    assert (report.counts()["unchanged"], report.counts()["added"]) == (2, 2)
    assert stored(store_path).stats().judgments == 4


def test_a_crash_before_the_first_checkpoint_leaves_the_store_as_it_was(tmp_path, corpus):
    store_path = tmp_path / "store"
    with pytest.raises(KeyboardInterrupt):
        ingest_paths([corpus], Store.open(store_path, "hash:64"),
                     _CrashingEmbeddings(crash_on_call=3), model_id="hash:64",
                     batch_size=10_000)  # fmt: skip
    assert stored(store_path).stats().judgments == 0


def test_every_chunk_is_stored_with_one_vector_per_sentence_window(tmp_path, corpus):
    from store.sentences import sentence_windows

    assert ingest(tmp_path / "store", corpus / LUX) == 0
    s = stored(tmp_path / "store")
    chunks = [c for m in s.judgments() for c in s.chunks_of(m.id)]
    windows = s.sentence_vectors([c.id for c in chunks])
    assert len(chunks) > 40 and sorted(windows) == sorted(c.id for c in chunks)
    for chunk in chunks:
        assert windows[chunk.id].shape == (len(sentence_windows(chunk.text)), 64)


def test_sentence_window_vectors_can_be_skipped_to_ingest_faster(tmp_path, corpus, monkeypatch):
    monkeypatch.setenv("LEGAL_ASSISTANT_SENTENCE_VECTORS", "0")
    assert ingest(tmp_path / "store", corpus / LUX) == 0
    s = stored(tmp_path / "store")
    chunk_ids = [c.id for m in s.judgments() for c in s.chunks_of(m.id)]
    assert chunk_ids and s.sentence_vectors(chunk_ids) == {}


# -- stats --json and --rebuild (what `make sample` relies on) -------------------------------

def stats_json(store: Path) -> tuple[int, dict[str, object]]:
    """`legal-assistant stats --json` in its own process, as `make sample` runs it: the exit
    code and stdout read as one JSON document (fails if anything else is printed there)."""
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "stats", "--store", str(store), "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={**os.environ, "LEGAL_ASSISTANT_EMBEDDINGS": "hash"},
    )  # fmt: skip
    return done.returncode, json.loads(done.stdout)


EMPTY_STATS = {"judgments": 0, "chunks": 0, "courts": [], "countries": [], "chambers": [],
               "date_min": "",
               "date_max": "", "model": "", "generation": 0}  # fmt: skip


def test_stats_json_of_a_missing_store_says_zero_judgments_and_creates_nothing(tmp_path):
    missing = tmp_path / "nothing"
    assert stats_json(missing) == (0, {**EMPTY_STATS, "store": str(missing)})
    assert not missing.exists()


def test_stats_json_of_a_store_with_nothing_committed_says_zero_judgments(tmp_path, corpus,
                                                                           capsys):
    assert ingest(tmp_path / "store", corpus, "--dry-run") == 0  # takes the lock, commits nothing
    capsys.readouterr()
    assert main(["stats", "--store", str(tmp_path / "store"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {**EMPTY_STATS, "store": str(tmp_path / "store")}


def test_stats_json_after_an_ingest_gives_every_key_make_sample_reads(tmp_path, corpus):
    store = tmp_path / "store"
    assert ingest(store, corpus) == 0
    chunks = sum(len(stored(store).chunks_of(m.id)) for m in stored(store).judgments())
    assert stats_json(store) == (0, {
        "judgments": 4,
        "chunks": chunks,
        "courts": ["Cour d'appel de Chambéry", "Cour de cassation",
                   "Tribunal d'arrondissement de Luxembourg",
                   "Tribunal de commerce de La Roche-sur-Yon"],
        "countries": ["FR", "LU"],
        "chambers": ["Chambre civile - Première section", "XIe chambre",
                     "chambre commerciale, financière et économique"],
        "date_min": "2020-11-18",
        "date_max": "2025-01-24",
        "model": "hash:64",
        "store": str(store),
        "generation": 1,
    })  # fmt: skip


def _stats(store: Path, capsys) -> dict[str, object]:
    capsys.readouterr()
    assert main(["stats", "--store", str(store), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_rebuild_starts_over_from_the_files_present(tmp_path, corpus, capsys):
    store = tmp_path / "store"
    assert ingest(store, corpus) == 0
    before = _stats(store, capsys)
    lux_chunks = len(stored(store).chunks_of(LUX_ID))
    (corpus / LUX).unlink()
    capsys.readouterr()

    assert ingest(store, "--rebuild", corpus) == 0
    assert _row(capsys.readouterr().out) == {
        "added": 3, "updated": 0, "unchanged": 0, "removed": 0, "duplicate": 0, "failed": 0,
        "skipped": 0,
    }  # fmt: skip
    after = _stats(store, capsys)
    assert (after["judgments"], after["chunks"]) == (3, before["chunks"] - lux_chunks)
    assert after["generation"] == 2
    assert "Tribunal d'arrondissement de Luxembourg" not in after["courts"]  # type: ignore[operator]
    assert LUX_ID not in [m.id for m in stored(store).judgments()]


def test_rebuild_with_another_embedding_model_replaces_the_model(tmp_path, corpus, capsys,
                                                                 monkeypatch):
    store = tmp_path / "store"
    assert ingest(store, corpus) == 0
    monkeypatch.setenv("LEGAL_ASSISTANT_EMBEDDINGS", "hash:32")
    capsys.readouterr()
    assert ingest(store, corpus) == 1, "an incremental run refuses another model"
    assert "--rebuild" in capsys.readouterr().err
    assert ingest(store, "--rebuild", corpus) == 0
    after = _stats(store, capsys)
    assert (after["model"], after["judgments"], after["generation"]) == ("hash:32", 4, 2)
    assert Store.open(store, "hash:32").stats().chunks == after["chunks"]


def test_a_judgment_saved_in_utf16_or_cp1252_is_the_same_judgment_and_owner_only_pdfs_ingest(
    tmp_path, corpus, capsys
):
    from ingest_fixtures import encrypted_pdf

    text = (corpus / LUX).read_text(encoding="utf-8")
    (corpus / "lux-utf16.txt").write_bytes(text.encode("utf-16"))
    (corpus / "lux-cp1252.txt").write_bytes(text.encode("cp1252"))
    owner_only = encrypted_pdf(corpus, user_password="")
    assert ingest(tmp_path / "store", corpus) == 0
    out = capsys.readouterr().out
    assert _row(out)["added"] == 5 and _row(out)["duplicate"] == 2 and _row(out)["failed"] == 0
    for name in ("lux-utf16.txt", "lux-cp1252.txt"):  # same text, hence same content hash
        assert f"duplicate: {corpus / name}: same judgment as {corpus / LUX}" in out
    s = stored(tmp_path / "store")
    pdf = next(m for m in s.judgments() if m.source_path == str(owner_only))
    assert [c.text for c in s.chunks_of(pdf.id)] == ["Audience publique du 18 novembre 2020"]
