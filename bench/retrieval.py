"""Retrieval quality and latency on the dev question set, for BM25 only, dense only and hybrid.

    .venv/bin/python bench/retrieval.py [--store DIR] [--questions FILE] [--calibrate]
                                        [--set thesaurus=false ...]

Builds the store from data/corpus with the configured model when it is empty, runs every
question in each mode with k=10, and writes bench/retrieval.json plus a Markdown table. It also
lists the relevance of each question so the no-answer floor can be calibrated (`--calibrate`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import (  # noqa: E402
    EvalResult,
    first_hit_rank,
    format_misses,
    load_questions,
    misses,
    score,
)
from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402
from store.embeddings import make_embeddings  # noqa: E402
from store.store import Store  # noqa: E402


def ensure_store(path: Path, model: str, corpus: Path) -> None:
    embeddings, model_id = make_embeddings(model)
    store = Store.open(path, model_id)
    if store.stats().judgments == 0:
        report = ingest_paths([corpus], store, embeddings, model_id=model_id)
        print(f"ingested {report.counts()}", file=sys.stderr)
    store.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_mode(assistant: Assistant, questions, mode: str, k: int) -> dict:
    assistant.settings.retrieval = assistant.settings.retrieval.model_copy(update={"mode": mode})
    results, latencies, relevances = [], [], []
    for q in questions:
        started = time.perf_counter()
        answer = assistant.ask(q.question, k=k)
        latencies.append((time.perf_counter() - started) * 1000)
        texts = [p.text for p in answer.passages]
        results.append(EvalResult(question=q, passage_texts=texts, declined=answer.no_answer))
        relevances.append(
            {"id": q.id, "answerable": bool(q.gold), "relevance": answer.extra.get("relevance"),
             "rank": first_hit_rank(texts, q.gold) if q.gold else None}
        )  # fmt: skip
    report = score(results)
    return {
        "mode": mode,
        "hit@1": report.hit_at.get(1),
        "hit@3": report.hit_at.get(3),
        "hit@5": report.hit_at.get(5),
        "mrr@10": report.mrr_at_10,
        "abstention_recall": report.abstention_recall,
        "abstention_precision": report.abstention_precision,
        "wrongly_declined": report.wrongly_declined_answerable,
        "latency_ms_p50": round(statistics.median(latencies), 1),
        "latency_ms_p95": round(percentile(latencies, 0.95), 1),
        "misses": format_misses(misses(results, k=5)),
        "relevances": relevances,
    }


def calibrate(relevances: list[dict]) -> list[tuple[float, int, int]]:
    """(floor, unanswerable declined, answerable wrongly declined) for candidate floors."""
    rows = []
    values = sorted({r["relevance"] for r in relevances if r["relevance"] is not None})
    for floor in values:
        declined_u = sum(1 for r in relevances if not r["answerable"] and r["relevance"] < floor)
        wrong = sum(1 for r in relevances if r["answerable"] and r["relevance"] < floor)
        rows.append((floor, declined_u, wrong))
    return rows


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, default=ROOT / "bench" / ".store-e5")
    parser.add_argument("--model", default="e5")
    parser.add_argument("--corpus", type=Path, default=ROOT / "data" / "corpus")
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "dev_questions.jsonl")
    parser.add_argument("--modes", default="lexical,dense,hybrid")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a retrieval setting (assistant/settings.py), e.g. "
                        "thesaurus=false to measure without the thesaurus")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "retrieval.json")
    args = parser.parse_args()

    ensure_store(args.store, args.model, args.corpus)
    settings = Settings.from_env(
        {"LEGAL_ASSISTANT_STORE": str(args.store), "LEGAL_ASSISTANT_EMBEDDINGS": args.model}
    )
    for item in args.set:
        name, value = item.split("=", 1)
        settings.retrieval = settings.retrieval.model_validate(
            {**settings.retrieval.model_dump(), name: value}
        )
    assistant = Assistant.from_settings(settings)
    questions = load_questions(args.questions)
    assistant.ask("échauffement du modèle")
    runs = [run_mode(assistant, questions, mode, args.k) for mode in args.modes.split(",")]
    print("| mode | hit@1 | hit@3 | hit@5 | MRR@10 | abst. recall | abst. precision | "
          "wrongly declined | p50 ms | p95 ms |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        print(
            f"| {r['mode']} | {fmt(r['hit@1'])} | {fmt(r['hit@3'])} | {fmt(r['hit@5'])} | "
            f"{fmt(r['mrr@10'])} | {fmt(r['abstention_recall'])} | "
            f"{fmt(r['abstention_precision'])} | {r['wrongly_declined']} | "
            f"{r['latency_ms_p50']} | {r['latency_ms_p95']} |"
        )
    for r in runs:
        print(f"\nmisses at 5 ({r['mode']}):\n{r['misses']}")
    if args.calibrate:
        hybrid = next(r for r in runs if r["mode"] == "hybrid")
        print("\nfloor, unanswerable declined, answerable wrongly declined")
        for floor, declined_u, wrong in calibrate(hybrid["relevances"]):
            print(f"{floor:.4f} {declined_u} {wrong}")
    summary = {
        "questions": str(args.questions.resolve().relative_to(ROOT)),
        "n": len(questions),
        "model": args.model,
        "overrides": args.set,
        "date": time.strftime("%Y-%m-%d"),
        "runs": [{k: v for k, v in r.items() if k not in ("relevances", "misses")} for r in runs],
    }
    args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
