"""Embedding throughput of the sentence-transformers backend on a GPU, at ingest scale.

Embedding is where ingest spends its time (see bench/ingest.py), so this measures that stage
alone for ~100k chunks of real judgment text (the sample corpus's paragraphs recombined into
~1000-character chunks) with all-MiniLM-L6-v2. It needs only torch and sentence-transformers,
so it runs on a lent GPU machine as it is:

    python bench/gpu_embed.py --model .device/minilm-fp16 --chunks 100000 --out OUT.json
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus_chunks(n: int, size: int = 1000) -> list[str]:
    paragraphs = [
        p.strip()
        for path in sorted((ROOT / "data" / "sample").glob("*.txt"))
        for p in path.read_text(encoding="utf-8").split("\n\n")
        if len(p.strip()) > 60
    ]
    rng = random.Random(3)
    chunks: list[str] = []
    while len(chunks) < n:
        text = ""
        while len(text) < size * 0.7:
            text = (text + "\n\n" + rng.choice(paragraphs)).strip()
        chunks.append(text[: size + 200])
    return chunks


def main() -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "gpu_embed.json")
    args = parser.parse_args()

    device = "cuda" if torch.cuda.is_available() else "cpu"
    chunks = corpus_chunks(args.chunks)
    results: dict[str, object] = {
        "device": torch.cuda.get_device_name(0) if device == "cuda" else "cpu",
        "torch": torch.__version__,
        "chunks": len(chunks),
        "mean_chars": round(sum(map(len, chunks)) / len(chunks)),
        "runs": [],
    }
    for dtype_name, dtype in (("float16", torch.float16), ("float32", torch.float32)):
        started = time.perf_counter()
        model = SentenceTransformer(
            args.model, device=device, local_files_only=True, model_kwargs={"dtype": dtype}
        )
        load_s = time.perf_counter() - started
        model.encode(chunks[:512], batch_size=256)  # warm-up
        for batch_size in (128, 512):
            subset = chunks if dtype is torch.float16 else chunks[:20_000]
            if device == "cuda":
                torch.cuda.synchronize()
            started = time.perf_counter()
            vectors = model.encode(subset, batch_size=batch_size, normalize_embeddings=True)
            if device == "cuda":
                torch.cuda.synchronize()
            seconds = time.perf_counter() - started
            run = {
                "dtype": dtype_name, "batch_size": batch_size, "chunks": len(subset),
                "seconds": round(seconds, 2), "chunks_per_s": round(len(subset) / seconds, 1),
                "load_s": round(load_s, 2), "dim": int(vectors.shape[1]),
                "max_gpu_mem_mb": round(torch.cuda.max_memory_allocated() / 2**20)
                if device == "cuda" else None,
            }  # fmt: skip
            results["runs"].append(run)  # type: ignore[attr-defined]
            print(json.dumps(run), flush=True)
        del model
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
