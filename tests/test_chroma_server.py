"""The store against a real Chroma server (`chroma run`), started by the test."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings
from conftest import build_judgment

from store import HashEmbeddings, Store
from store.generations import read_manifest
from store.records import SearchFilters

pytestmark = pytest.mark.slow

MODEL = "hash:64"
EMBED = HashEmbeddings(64)


def chroma_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "chroma"
    return str(beside_python) if beside_python.exists() else shutil.which("chroma")


def server_client(host: str, port: int) -> chromadb.api.ClientAPI:
    return chromadb.HttpClient(host=host, port=port, settings=Settings(anonymized_telemetry=False))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    binary = chroma_binary()
    if binary is None:
        pytest.skip("the `chroma` command is not installed (pip install chromadb)")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = open(data / "server.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [binary, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                server_client("127.0.0.1", port).heartbeat()
                break
            except Exception:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise RuntimeError(
                        "chroma server did not start: " + (data / "server.log").read_text()
                    ) from None
                time.sleep(0.3)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_store_on_a_chroma_server_writes_searches_and_switches_generations(
    server: tuple[str, int], tmp_path: Path
) -> None:
    host, port = server
    path = tmp_path / "store"
    store = Store.open(path, MODEL, chroma_host=host, chroma_port=port)
    assert store.stats().judgments == 0

    first = [
        build_judgment("tal-1", ["TRIBUNAL", "la responsabilité du prestataire informatique"],
                       court="TAL", date="2025-01-24", kinds=["header", "reasons"]),
        build_judgment("ca-1", ["COUR", "la résiliation du contrat de maintenance"],
                       court="CA Paris", date="2023-01-20", kinds=["header", "reasons"]),
    ]
    with store.writer() as writer:
        for judgment, chunks in first:
            writer.put(judgment, chunks, EMBED.embed_documents([c.text for c in chunks]))
        writer.commit()

    stats = store.stats()
    assert (stats.judgments, stats.chunks, stats.generation) == (2, 4, 1)
    assert f"Chroma server {host}:{port}" in stats.location
    target = store.chunk("ca-1:0001")
    hits = store.dense_search(EMBED.embed_query(target.text), 2)
    assert hits[0].chunk == target and hits[0].score == pytest.approx(1.0, abs=1e-5)
    tal = SearchFilters(courts=("TAL",))
    only_tal = store.dense_search(EMBED.embed_query(target.text), 10, tal)
    assert {h.chunk.judgment_id for h in only_tal} == {"tal-1"}
    assert [h.chunk.id for h in store.lexical_search("responsabilite prestataire", 3)] == [
        "tal-1:0001"
    ]

    reader = Store.open(path, MODEL, chroma_host=host, chroma_port=port)
    with store.writer() as writer:
        writer.remove("tal-1")
        judgment, chunks = build_judgment("new", ["un bail commercial"], court="TAL")
        writer.put(judgment, chunks, EMBED.embed_documents([c.text for c in chunks]))
        writer.commit()
    assert reader.generation == 1
    assert len(reader.dense_search(EMBED.embed_query("bail"), 10)) == 4
    assert reader.refresh() is True
    assert {h.chunk.judgment_id for h in reader.dense_search(EMBED.embed_query("bail"), 10)} == {
        "ca-1", "new"
    }

    store_id = (path / "STORE_ID").read_text().strip()
    with store.writer() as writer:  # nothing changed: no generation, no collection
        writer.commit()
    assert store.generation == 2 and sorted(os.listdir(path / "generations")) == ["1", "2"]

    with store.writer() as writer:  # a third generation: what only generation 1 read goes
        writer.remove("ca-1")
        judgment, chunks = build_judgment("tal-2", ["un contrat de licence"], court="TAL")
        writer.put(judgment, chunks, EMBED.embed_documents([c.text for c in chunks]))
        writer.commit()
    assert sorted(os.listdir(path / "generations")) == ["2", "3"]
    kept = set()
    for number in (2, 3):
        manifest = read_manifest(path, number)
        assert manifest is not None
        kept |= {f"judgments_{store_id}_{name}" for name in manifest.names}
    names = {c.name for c in server_client(host, port).list_collections() if store_id in c.name}
    assert names == kept
    assert {h.chunk.judgment_id for h in store.dense_search(EMBED.embed_query("bail"), 10)} == {
        "new", "tal-2"
    }
    assert [h.chunk.id for h in store.lexical_search("licence", 5)] == ["tal-2:0000"]


def test_an_unfinished_server_generation_is_discarded(
    server: tuple[str, int], tmp_path: Path
) -> None:
    host, port = server
    path = tmp_path / "store"
    store = Store.open(path, MODEL, chroma_host=host, chroma_port=port)
    judgment, chunks = build_judgment("tal-1", ["un contrat de bail"])
    with store.writer() as writer:
        writer.put(judgment, chunks, EMBED.embed_documents([c.text for c in chunks]))
        store_id = (path / "STORE_ID").read_text().strip()
    assert store.stats().judgments == 0
    assert not path.exists()  # a new store whose first run committed nothing leaves no folder
    assert [c.name for c in server_client(host, port).list_collections()
            if store_id in c.name] == []
