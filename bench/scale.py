"""Commit cost, query latency and memory at scale: stores of 1k, 10k and 100k chunks built by
recombining the real paragraphs of data/corpus into synthetic judgments (built here, never
committed), in embedded mode and on a Chroma server (`chroma run`, started here).

For each store: the time of a run that adds one judgment (50 chunks; open the writer, put,
commit; vectors computed beforehand), several in a row so that segment merges are included;
the time of a run that changes nothing and whether it created a generation; the store's size on
disk. Query latency is measured on the largest embedded store.

Vectors (chunks and their sentence windows) come from the deterministic hash embedder (384
dims): embedding 100k chunks with e5 on
2 CPU cores would take hours, and search cost does not depend on what the vectors mean. The e5
query embedding time is measured separately and reported beside the retrieval time.

    .venv/bin/python bench/scale.py [--sizes 1000,10000,100000]
        [--modes embedded,server] [--runs 6] [--rounds 3] [--queries 60]

`--rounds 3` splits the runs into three rounds that go through the sizes in turn: on a shared
machine, a busy spell then slows every size alike instead of one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import load_questions  # noqa: E402
from assistant.retrieve import retrieve  # noqa: E402
from assistant.settings import RetrievalSettings  # noqa: E402
from ingest.parse import parse_judgment  # noqa: E402
from ingest.pipeline import embed_sentence_windows  # noqa: E402
from ingest.read import read_document  # noqa: E402
from store.embeddings import make_embeddings  # noqa: E402
from store.records import Chunk, Judgment, JudgmentMeta, Paragraph, SearchFilters  # noqa: E402
from store.store import Store  # noqa: E402

COURTS = ("Tribunal d'arrondissement de Luxembourg", "Cour d'appel de Paris", "Cour de cassation")


def real_paragraphs(corpus: Path) -> list[str]:
    paragraphs: list[str] = []
    for path in sorted(corpus.rglob("*.txt")):
        judgment = parse_judgment(read_document(path), str(path))
        for p in judgment.paragraphs:
            text = judgment.text[p.char_start : p.char_end]
            if 80 <= len(text) <= 1200:
                paragraphs.append(text)
    return paragraphs


def synthetic_judgment(n: int, paragraphs: list[str], per: int, rng: random.Random):
    chosen = rng.sample(paragraphs, per)
    text = "\n\n".join(chosen)
    year = 2000 + n % 25
    meta = JudgmentMeta(
        id=f"synthetic-{n:06d}", court=COURTS[n % 3], chamber=f"{n % 12 + 1}e chambre",
        date=f"{year}-{n % 12 + 1:02d}-{n % 28 + 1:02d}", decision_number=f"S-{n}",
        source_path=f"synthetic/{n}.txt", content_hash=f"{n:064x}",
    )  # fmt: skip
    paras, chunks, offset = [], [], 0
    for i, para in enumerate(chosen):
        paras.append(Paragraph(i + 1, offset, offset + len(para)))
        chunks.append(Chunk(
            id=f"{meta.id}:{i:04d}", judgment_id=meta.id, ordinal=i, text=para,
            char_start=offset, char_end=offset + len(para), section_path=("MOTIFS",),
            section_kind="reasons", paragraph_start=i + 1, paragraph_end=i + 1,
        ))  # fmt: skip
        offset += len(para) + 2
    return Judgment(meta=meta, text=text, paragraphs=tuple(paras)), chunks


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 1)


def build(path: Path, chunks: int, per_judgment: int, paragraphs: list[str], server: dict) -> float:
    rng = random.Random(7)
    hasher, model_id = make_embeddings("hash:384")
    started = time.perf_counter()
    store = Store.open(path, model_id, **server)
    with store.writer() as writer:
        for n in range(chunks // per_judgment):
            judgment, judgment_chunks = synthetic_judgment(n, paragraphs, per_judgment, rng)
            vectors = hasher.embed_documents([c.text for c in judgment_chunks])
            windows = embed_sentence_windows(hasher, judgment_chunks, 256)
            writer.put(judgment, judgment_chunks, vectors, windows)
        writer.commit()
    store.close()
    return time.perf_counter() - started


def measure_commits(
    path: Path, chunks: int, per_judgment: int, paragraphs: list[str], server: dict, runs: int,
    offset: int = 0,
) -> dict:
    """Runs that add one judgment each (new judgments numbered from `offset` past the built
    ones), then a run that changes nothing."""
    hasher, model_id = make_embeddings("hash:384")
    rng = random.Random(11 + offset)
    first = chunks // per_judgment + offset
    seconds, open_s = [], []
    for n in range(first, first + runs):
        judgment, judgment_chunks = synthetic_judgment(n, paragraphs, per_judgment, rng)
        vectors = hasher.embed_documents([c.text for c in judgment_chunks])
        windows = embed_sentence_windows(hasher, judgment_chunks, 256)
        started = time.perf_counter()
        store = Store.open(path, model_id, **server)
        opened = time.perf_counter()
        with store.writer() as writer:  # the commit includes the store following it
            writer.put(judgment, judgment_chunks, vectors, windows)
            writer.commit()
        seconds.append(time.perf_counter() - opened)
        open_s.append(opened - started)
        store.close()
    store = Store.open(path, model_id, **server)
    before = store.generation
    started = time.perf_counter()
    with store.writer() as writer:
        writer.entries()
        writer.commit()
    noop_s = time.perf_counter() - started
    segments = len(store._view.segments)
    store.close()
    after = Store.open(path, model_id, **server)
    created = after.generation != before
    after.close()
    return {
        "one_judgment_commit_s": {
            "median": round(statistics.median(seconds), 3), "max": round(max(seconds), 3),
            "runs": [round(x, 3) for x in seconds],
        },
        "store_open_s": round(statistics.median(open_s), 3),
        "noop_run_s": round(noop_s, 3), "noop_created_generation": created,
        "segments_after": segments,
    }  # fmt: skip


def merge_commits(result: dict, found: dict) -> None:
    """Add one round of `measure_commits` to the store's result."""
    runs = result.get("one_judgment_commit_s", {}).get("runs", []) + \
        found["one_judgment_commit_s"]["runs"]
    result["one_judgment_commit_s"] = {"median": round(statistics.median(runs), 3),
                                       "max": round(max(runs), 3), "runs": runs}  # fmt: skip
    result["store_open_s"] = found["store_open_s"]
    result["noop_run_s"] = max(result.get("noop_run_s", 0.0), found["noop_run_s"])
    result["noop_created_generation"] = (result.get("noop_created_generation", False)
                                         or found["noop_created_generation"])  # fmt: skip
    result["segments_after"] = found["segments_after"]


def disk_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def start_server(folder: Path) -> tuple[subprocess.Popen, int]:
    binary = Path(sys.executable).parent / "chroma"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    process = subprocess.Popen(
        [str(binary if binary.exists() else shutil.which("chroma")), "run", "--path",
         str(folder), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )  # fmt: skip
    import chromadb
    from chromadb.config import Settings

    deadline = time.monotonic() + 60
    while True:
        try:
            settings = Settings(anonymized_telemetry=False)
            chromadb.HttpClient(host="127.0.0.1", port=port, settings=settings).heartbeat()
            return process, port
        except Exception:
            if time.monotonic() > deadline:
                process.kill()
                raise
            time.sleep(0.3)


def measure_queries(path: Path, n_queries: int) -> dict:
    """Run in a fresh process so that resident memory is the query side's alone."""
    hasher, model_id = make_embeddings("hash:384")
    questions = [q.question for q in load_questions(ROOT / "eval" / "dev_questions.jsonl")]
    queries = (questions * 10)[:n_queries]
    started = time.perf_counter()
    store = Store.open(path, model_id)
    open_s = time.perf_counter() - started
    settings = RetrievalSettings()
    retrieve(queries[0], store, hasher, settings=settings)  # warm
    timings: dict[str, list[float]] = {}
    filtered = SearchFilters(courts=(COURTS[0],), date_from="2010-01-01", date_to="2020-12-31")
    for label, filters in (("no filter", SearchFilters()), ("court + date filter", filtered)):
        timings[label] = []
        for q in queries:
            t = time.perf_counter()
            retrieve(q, store, hasher, filters=filters, settings=settings)
            timings[label].append((time.perf_counter() - t) * 1000)
    stats = store.stats()
    e5, _ = make_embeddings("e5")
    e5.embed_query("échauffement")
    e5_ms = []
    for q in queries[:30]:
        t = time.perf_counter()
        e5.embed_query(q)
        e5_ms.append((time.perf_counter() - t) * 1000)
    return {
        "chunks": stats.chunks,
        "judgments": stats.judgments,
        "open_s": round(open_s, 2),
        "retrieval_ms": {
            label: {"p50": round(statistics.median(v), 1), "p95": pct(v, 0.95)}
            for label, v in timings.items()
        },
        "e5_query_embedding_ms": {
            "p50": round(statistics.median(e5_ms), 1),
            "p95": pct(e5_ms, 0.95),
        },
        "query_process_max_rss_mb": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--modes", default="embedded,server")
    parser.add_argument("--server-sizes", help="sizes in server mode (default: --sizes)")
    parser.add_argument("--runs", type=int, default=6, help="one-judgment commits per store")
    parser.add_argument("--rounds", type=int, default=1,
                        help="split the runs into rounds that alternate the store sizes")
    parser.add_argument("--per-judgment", type=int, default=50)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "scale.json")
    parser.add_argument("--query-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.query_only:
        print(json.dumps(measure_queries(args.query_only, args.queries)))
        return
    sizes = [int(x) for x in args.sizes.split(",")]
    paragraphs = real_paragraphs(args.corpus)
    stores: dict[str, dict[str, dict]] = {}
    query: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in args.modes.split(","):
            process = None
            server: dict = {}
            if mode == "server":
                process, port = start_server(Path(tmp) / "chroma-server")
                server = {"chroma_host": "127.0.0.1", "chroma_port": port}
            try:
                server_sizes = [int(x) for x in (args.server_sizes or args.sizes).split(",")]
                mode_sizes = server_sizes if server else sizes
                paths = {size: Path(tmp) / f"{mode}-{size}" for size in mode_sizes}
                results: dict[int, dict] = {
                    size: {"build_s": round(build(paths[size], size, args.per_judgment,
                                                  paragraphs, server), 1)}
                    for size in mode_sizes
                }  # fmt: skip
                # Rounds alternate the sizes, so that a busy spell of the machine falls on all
                # of them rather than on one.
                per_round = max(1, args.runs // args.rounds)
                for number in range(args.rounds):
                    for size in mode_sizes:
                        found = measure_commits(paths[size], size, args.per_judgment, paragraphs,
                                                server, per_round, offset=number * per_round)
                        merge_commits(results[size], found)
                for size in mode_sizes:
                    path, measured = paths[size], results[size]
                    measured["store_mb"] = disk_mb(path)
                    measured["registry_mb"] = round(
                        (path / "registry.sqlite").stat().st_size / 2**20, 1)
                    stores.setdefault(mode, {})[str(size)] = measured
                    print(mode, size, json.dumps(measured), flush=True)
                    if mode == "embedded" and size == max(sizes):
                        out = subprocess.run(
                            [sys.executable, __file__, "--query-only", str(path),
                             "--queries", str(args.queries)],
                            capture_output=True, text=True, check=True,
                        )  # fmt: skip
                        query = json.loads(out.stdout.strip().splitlines()[-1])
                        print(json.dumps(query), flush=True)
                    shutil.rmtree(path)
            finally:
                if process is not None:
                    process.terminate()
                    process.wait(timeout=60)
    result = {
        "what": "one-judgment commits (50 chunks, hash:384 vectors) after a store built in one "
                "commit; store_mb includes Chroma (embedded) and lexical segments; queries on "
                "the largest embedded store",
        "command": ".venv/bin/python bench/scale.py " + " ".join(sys.argv[1:]),
        "stores": stores, "queries": query, "sentence_vectors": True,
        "date": time.strftime("%Y-%m-%d"),
    }  # fmt: skip
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
