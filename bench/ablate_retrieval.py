"""What each stage of retrieval brings, in one store, on one question file: the landed ranking,
then the same with one stage switched off, each row scored like bench/retrieval.py.

    .venv/bin/python bench/ablate_retrieval.py --store bench/.store-open-e5/store
        --questions eval/open_dev_questions.jsonl --out bench/ablation-open-dev.json

Rows: as landed; no ranker (RRF order); without the thesaurus; without the English glossary;
dense only; BM25 only. What each of the ranker's feature groups brings is measured by refitting
without it (`bench/train_ranker.py --ablate`). Declines use the assistant's own decision.
Refuses held-out files unless `--heldout-once` says this is the round's one measurement.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import load_questions  # noqa: E402
from assistant.expand import is_english  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from bench.retrieval import fmt, run_mode  # noqa: E402

ROWS: list[tuple[str, dict, str]] = [
    ("as landed", {}, "hybrid"),
    ("no ranker (RRF only)", {"rescore": False}, "hybrid"),
    ("no thesaurus", {"thesaurus": False}, "hybrid"),
    ("no English glossary", {"english_glossary": False}, "hybrid"),
    ("dense only", {}, "dense"),
    ("BM25 only", {}, "lexical"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--model", default="e5")
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--rows", help="comma-separated row numbers (1-based) to run")
    parser.add_argument("--heldout-once", action="store_true")
    parser.add_argument("--language", choices=("en", "fr"),
                        help="only the questions worded in English (en) or not (fr)")
    args = parser.parse_args()
    if "heldout" in args.questions.name and not args.heldout_once:
        parser.error("held-out questions: measured once per round, with --heldout-once")
    settings = Settings.from_env(
        {"LEGAL_ASSISTANT_STORE": str(args.store), "LEGAL_ASSISTANT_EMBEDDINGS": args.model}
    )
    base = settings.retrieval.model_dump()
    assistant = Assistant.from_settings(settings)
    questions = load_questions(args.questions)
    if args.language:
        questions = [q for q in questions if is_english(q.question) == (args.language == "en")]
    assistant.ask("échauffement du modèle")
    chosen = [int(n) - 1 for n in args.rows.split(",")] if args.rows else range(len(ROWS))
    results = []
    for i in chosen:
        label, overrides, mode = ROWS[i]
        assistant.settings.retrieval = settings.retrieval.model_validate({**base, **overrides})
        run = run_mode(assistant, questions, mode, 10)
        results.append({"label": label, "overrides": overrides} | run)
        print(f"| {label} | {fmt(run['hit@1'])} / {fmt(run['hit@3'])} / {fmt(run['hit@5'])} / "
              f"{fmt(run['mrr@10'])} | {fmt(run['abstention_recall'])} "
              f"| {run['wrongly_declined']} | {run['latency_ms_p95']} |", flush=True)
    summary = {
        "questions": args.questions.name, "language": args.language, "n": len(questions),
        "store": args.store.name,
        "model": args.model, "date": time.strftime("%Y-%m-%d"),
        "rows": [{k: v for k, v in r.items() if k != "misses"} for r in results],
    }  # fmt: skip
    args.out.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    main()
