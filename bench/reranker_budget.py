"""What a cross-encoder at the reranker seam would cost on this machine, and the most it could
bring to the ranking goals (issue 15).

    .venv/bin/python bench/reranker_budget.py --store bench/.store-open-e5/store \
        --questions eval/open_dev_questions.jsonl eval/dev_questions.jsonl \
            eval/dev_more_questions.jsonl \
        --ranks bench/heldout-open-mixed-v11.json \
        --out bench/reranker-budget.json

Cost: each question is retrieved as the assistant does (its own latency is timed); for the
questions of the first file, its top k passages are then read with the question by
- the seam itself (`assistant/rerank.py`) with a CrossEncoder made from the packaged
  all-MiniLM-L6-v2 (6 layers of 384; its head is untrained, which does not change the cost);
- e5-small's own 12 layers of 384 (`store/e5_torch.py`) on « question passage » pairs: the
  shape, vocabulary and tokenizer of the multilingual cross-encoders of that size
  (mMiniLMv2-L12-H384), so its time is theirs.
No model judges anything here: only time is measured.

Ceiling: the MRR@10 a perfect reordering of the top k would reach (every question answered
within the top k moves to rank 1; the others keep their ranks), next to the MRR as measured,
for the questions run here and for files of ranks already measured (the `relevances` list of
bench/ablate_retrieval.py). Held-out question files are refused: the frozen set's ranks come
from its round's file, and only aggregates are written.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import first_hit_rank, load_questions  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def ceiling(name: str, ranks: list[int | None], ks: list[int]) -> dict[str, Any]:
    """MRR@10 as measured and with a perfect reordering of the top k (answerable questions'
    first answering rank, None when not in the top 10)."""

    def mrr(k: int) -> float:
        total = 0.0
        for rank in ranks:
            if rank is not None and rank <= k:
                total += 1.0
            elif rank is not None and rank <= 10:
                total += 1.0 / rank
        return round(total / len(ranks), 3)

    return {
        "questions": name,
        "answerable": len(ranks),
        "measured_mrr@10": round(sum(1 / r for r in ranks if r and r <= 10) / len(ranks), 3),
        "in_top_10": sum(1 for r in ranks if r and r <= 10),
        **{f"perfect_top_{k}_mrr@10": mrr(k) for k in ks},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, nargs="+", required=True)
    parser.add_argument("--ranks", type=Path, nargs="*", default=[])
    parser.add_argument("--ks", default="3,5,10")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if any("heldout" in path.name for path in args.questions):
        parser.error("held-out questions are not run here; pass their rank file to --ranks")
    ks = [int(k) for k in args.ks.split(",")]

    import torch
    from sentence_transformers import CrossEncoder

    from assistant.rerank import Reranker
    from store.e5_torch import E5Torch
    from store.embeddings import minilm_path

    settings = Settings.from_env(
        {"LEGAL_ASSISTANT_STORE": str(args.store), "LEGAL_ASSISTANT_EMBEDDINGS": "e5"})
    assistant = Assistant.from_settings(settings)
    seam = Reranker(CrossEncoder(str(minilm_path()), num_labels=1, device="cpu"))
    e5 = E5Torch()
    assistant.search("échauffement du modèle")
    seam.model.predict([("a", "b")])
    e5.passages(["échauffement"])

    retrieval_ms: list[float] = []
    ceilings = []
    cost: dict[str, dict[int, list[float]]] = {"minilm_l6_seam": {k: [] for k in ks},
                                               "e5_l12_pairs": {k: [] for k in ks}}

    def time_readers(question: str, passages: list[Any]) -> None:
        for k in ks:
            top = passages[:k]
            start = time.perf_counter()
            seam.scores(question, top)
            cost["minilm_l6_seam"][k].append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            e5.passages([f"{question} {p.text}" for p in top])
            cost["e5_l12_pairs"][k].append((time.perf_counter() - start) * 1000)

    for n, path in enumerate(args.questions):
        ranks: list[int | None] = []
        for question in load_questions(path):
            start = time.perf_counter()
            passages = assistant.search(question.question).passages
            retrieval_ms.append((time.perf_counter() - start) * 1000)
            if question.gold:
                ranks.append(first_hit_rank([p.text for p in passages], question.gold))
            if n == 0:
                time_readers(question.question, passages)
        ceilings.append(ceiling(path.name, ranks, ks))
    for path in args.ranks:
        rows = json.loads(path.read_text(encoding="utf-8"))["rows"][0]["relevances"]
        ceilings.append(ceiling(path.name, [r["rank"] for r in rows if r["answerable"]], ks))

    report = {
        "command": "python bench/reranker_budget.py " + " ".join(
            str(a) for a in sys.argv[1:] if not str(a).startswith("/")),
        "date": time.strftime("%Y-%m-%d"),
        "n": len(retrieval_ms),
        "timed_readers_on": args.questions[0].name,
        "torch_threads": torch.get_num_threads(),
        "retrieval_ms": {"p50": percentile(retrieval_ms, 0.5),
                         "p95": percentile(retrieval_ms, 0.95)},
        "reading_ms": {name: {f"top_{k}": {"p50": percentile(v, 0.5), "p95": percentile(v, 0.95)}
                              for k, v in by_k.items()} for name, by_k in cost.items()},
        "ceilings": ceilings,
    }
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
