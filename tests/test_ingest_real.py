"""Ingest with the real multilingual-e5 model and real Chroma, as a maintainer runs it:
the whole bundled corpus, a run killed with SIGKILL and resumed, and a reader (the chat page)
answering while an ingest writes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.settings import Settings
from store.generations import read_current
from store.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
SAMPLE = ROOT / "data" / "sample"
E5 = "e5:multilingual-e5-small"

pytest_plugins = ["fixtures_store"]  # corpus_store: data/corpus ingested once per session
pytestmark = pytest.mark.slow


def run_ingest(store: Path, *paths: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "LEGAL_ASSISTANT_EMBEDDINGS": "e5"}
    return subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", "--store", str(store), *map(str, paths)],
        capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT,
    )  # fmt: skip


def test_the_whole_bundled_corpus_ingests_without_failure(corpus_store):
    files = [p for p in CORPUS.rglob("*.txt")]
    stats = Store.open(corpus_store, E5).stats()
    assert stats.judgments == len(files) == 40
    assert stats.model == E5
    assert "Tribunal d'arrondissement de Luxembourg" in stats.courts
    assert stats.date_min <= "1994-10-25" and stats.date_max >= "2025-01-24"


def test_a_question_finds_the_passage_with_the_real_model(corpus_store):
    settings = Settings.from_env({"LEGAL_ASSISTANT_STORE": str(corpus_store)})
    answer = Assistant.from_settings(settings).ask(
        "Le prestataire informatique pouvait-il suspendre ses services pour factures impayées ?",
        strict=True,
    )
    assert not answer.no_answer
    assert any("inexécution" in p.text for p in answer.passages[:5])


def test_killed_ingest_leaves_the_old_store_and_the_next_run_finishes(tmp_path):
    store = tmp_path / "store"
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus / "sample")
    assert run_ingest(store, corpus).returncode == 0
    shutil.copytree(CORPUS / "excerpts", corpus / "excerpts")

    env = {**os.environ, "LEGAL_ASSISTANT_EMBEDDINGS": "e5"}
    log = (tmp_path / "killed-run.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest", "--store", str(store), str(corpus)],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
    )  # fmt: skip
    live = read_current(store)
    deadline = time.monotonic() + 120
    while not (store / "generations" / str(live + 1)).exists() and time.monotonic() < deadline:
        time.sleep(0.2)  # wait until the writer has started its new generation
    time.sleep(4)  # several excerpts embedded and put, nothing committed yet
    assert proc.poll() is None, (tmp_path / "killed-run.log").read_text()
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    after_crash = Store.open(store, E5)
    assert after_crash.stats().judgments == 4, "the store holds the previous content, whole"
    assert after_crash.lexical_search("maintenance messageries", 3)
    after_crash.close()

    result = run_ingest(store, corpus)
    assert result.returncode == 0, result.stdout + result.stderr
    assert Store.open(store, E5).stats().judgments == 4 + 36


def test_a_reader_keeps_answering_while_an_ingest_writes(tmp_path):
    store = tmp_path / "store"
    assert run_ingest(store, SAMPLE).returncode == 0
    settings = Settings.from_env({"LEGAL_ASSISTANT_STORE": str(store)})
    reader = Assistant.from_settings(settings)
    env = {**os.environ, "LEGAL_ASSISTANT_EMBEDDINGS": "e5"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest", "--store", str(store),
         str(CORPUS / "excerpts")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    answers = 0
    while proc.poll() is None:
        answer = reader.ask("exception d'inexécution factures impayées", strict=True)
        assert answer.passages
        answers += 1
    output = proc.stdout.read() if proc.stdout else ""
    assert proc.returncode == 0, output
    assert "locked" not in output.lower()
    assert answers >= 2
    reader.refresh()
    assert reader.stats().judgments == 40


OFFLINE_FILES = ["judilibre-github_fr-ca-chambery-20220215-20-00024.txt",
                 "judilibre-github_fr-tcom-larochesuryon-20221123-2022004346.txt"]  # the 2 smallest


def _offline(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """`command` in a new user and network namespace: no interface but a down loopback."""
    return subprocess.run(["unshare", "-rn", *command], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=600)  # fmt: skip


def test_ingest_and_ask_need_no_network(tmp_path):
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"this machine refuses a network namespace (unshare -rn): {probe.stderr}")
    # Nothing may say "offline" on our behalf: the run must simply not need the network.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LEGAL_ASSISTANT_", "CHROMA_", "HF_", "TRANSFORMERS_"))}
    env["LEGAL_ASSISTANT_EMBEDDINGS"] = "e5"
    no_net = _offline([sys.executable, "-c", "import socket; socket.create_connection("
                       "('1.1.1.1', 443), timeout=5)"], env)  # fmt: skip
    assert no_net.returncode != 0 and "unreachable" in no_net.stderr, no_net.stderr

    store = tmp_path / "store"
    files = [str(SAMPLE / name) for name in OFFLINE_FILES]
    ingest = _offline([sys.executable, "-m", "assistant", "ingest", "--store", str(store),
                       *files], env)  # fmt: skip
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    assert "summary: added=2 updated=0 unchanged=0" in ingest.stdout

    ask = _offline([sys.executable, "-m", "assistant", "ask", "--store", str(store), "--json",
                    "Le débiteur est-il en état de cessation des paiements ?"], env)  # fmt: skip
    assert ask.returncode == 0, ask.stdout + ask.stderr
    answer = json.loads(ask.stdout)
    assert answer["passages"], answer
    top = answer["passages"][0]
    assert top["judgment"]["source_path"] == files[1]
    assert "cessation des paiements" in top["text"]
