"""Query latency and memory at scale: a store of ~100k chunks built by recombining the real
paragraphs of data/corpus into synthetic judgments (built here, never committed).

Vectors (chunks and their sentence windows) come from the deterministic hash embedder (384
dims): embedding 100k chunks with e5 on
2 CPU cores would take hours, and search cost does not depend on what the vectors mean. The e5
query embedding time is measured separately and reported beside the retrieval time.

    .venv/bin/python bench/scale.py [--chunks 100000] [--queries 50]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
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


def build(path: Path, chunks: int, per_judgment: int, corpus: Path) -> float:
    rng = random.Random(7)
    paragraphs = real_paragraphs(corpus)
    hasher, model_id = make_embeddings("hash:384")
    started = time.perf_counter()
    store = Store.open(path, model_id)
    with store.writer() as writer:
        for n in range(chunks // per_judgment):
            judgment, judgment_chunks = synthetic_judgment(n, paragraphs, per_judgment, rng)
            vectors = hasher.embed_documents([c.text for c in judgment_chunks])
            windows = embed_sentence_windows(hasher, judgment_chunks, 256)
            writer.put(judgment, judgment_chunks, vectors, windows)
        writer.commit()
    store.close()
    return time.perf_counter() - started


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
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--per-judgment", type=int, default=50)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "scale.json")
    parser.add_argument("--query-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.query_only:
        print(json.dumps(measure_queries(args.query_only, args.queries)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store"
        build_s = build(path, args.chunks, args.per_judgment, args.corpus)
        out = subprocess.run(
            [sys.executable, __file__, "--query-only", str(path), "--queries", str(args.queries)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        result = json.loads(out.stdout.strip().splitlines()[-1])
        size_mb = sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20
        registry_mb = sum(f.stat().st_size for f in path.rglob("registry.sqlite")) / 2**20
    result = {
        "build_s": round(build_s, 1), **result, "store_mb": round(size_mb),
        "registry_mb": round(registry_mb), "sentence_vectors": True,
        "date": time.strftime("%Y-%m-%d"),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
