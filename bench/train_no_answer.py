"""Would a learned no-answer decision beat the relevance floor? Fits a logistic model on the
features of assistant/no_answer.py, measures it by cross-validation against the floor on the
same questions, and writes the comparison.

    .venv/bin/python bench/train_no_answer.py --store bench/.store-open-e5/store
        [--questions eval/dev_questions.jsonl ...] [--out bench/no-answer-mixed.json]
        [--max-wrong 0.03] [--cache /tmp/no-answer.json]

Each question is retrieved as the assistant retrieves it (hybrid, hand-set ranking, k=10) and
gives the features of `assistant.no_answer.no_answer_features`; its label is whether the corpus
answers it (a gold string). The model is a logistic regression on standardised features with
balanced class weights. Cross-validation is GroupKFold(5) grouped by the question's source
judgment (an unanswerable question is its own group). The decline threshold is the highest
probability at which the out-of-fold predictions wrongly decline at most `--max-wrong` of the
answerable questions; the relevance floor (settings.no_answer_floor) is scored on the same
questions, and both trade-offs are listed (unanswerable declined for 0, 3, 5, 10 and 16
answerable wrongly declined, the relevance ranked as the model's probability is). Held-out
files are refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import load_questions  # noqa: E402
from assistant.no_answer import FEATURES, no_answer_features  # noqa: E402
from assistant.retrieve import retrieve  # noqa: E402
from assistant.settings import RetrievalSettings  # noqa: E402
from bench.train_ranker import file_digest, shown  # noqa: E402
from store import Store  # noqa: E402
from store.embeddings import make_embeddings  # noqa: E402

SETS = ("eval/dev_questions.jsonl", "eval/dev_more_questions.jsonl",
        "eval/open_dev_questions.jsonl")  # fmt: skip


def mine(files: list[Path], store_path: Path, model: str) -> list[dict]:
    """One row per question: id, set, group, answerable, relevance and features."""
    embeddings, model_id = make_embeddings(model)
    store = Store.open(store_path, model_id)
    settings = RetrievalSettings()
    rows = []
    try:
        for path in files:
            for q in sorted(load_questions(path), key=lambda q: q.id):
                found = retrieve(q.question, store, embeddings, k=10, settings=settings)
                source = str(q.extras.get("source") or "")
                rows.append({
                    "id": q.id, "set": shown(path), "group": source or f"none:{q.id}",
                    "answerable": q.answerable, "relevance": found.relevance,
                    "features": no_answer_features(q.question, found.fused, found.top_window,
                                                   found.unknown_share),
                })  # fmt: skip
    finally:
        store.close()
    return rows


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, object]:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
    model.fit((x - mean) / scale, y)
    return mean, scale, model


def out_of_fold(x: np.ndarray, y: np.ndarray, groups: list[str]) -> np.ndarray:
    from sklearn.model_selection import GroupKFold

    probability = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(x, y, groups):
        mean, scale, model = fit(x[train], y[train])
        probability[test] = model.predict_proba((x[test] - mean) / scale)[:, 1]  # type: ignore[attr-defined]
    return probability


def threshold_for(probability: np.ndarray, y: np.ndarray, max_wrong: float) -> float:
    """The highest threshold that declines at most `max_wrong` of the answerable questions."""
    answerable = np.sort(probability[y == 1])
    allowed = int(np.floor(max_wrong * len(answerable)))
    return float(answerable[allowed]) if allowed < len(answerable) else 1.0


WRONG = (0, 3, 5, 10, 16)


def trade_off(score: np.ndarray, y: np.ndarray) -> list[int]:
    """Unanswerable questions declined when the threshold wrongly declines exactly each count
    of `WRONG` answerable questions (declining below the answerable question's score)."""
    answerable = np.sort(score[y == 1])
    return [int(((score < answerable[w]) & (y == 0)).sum()) for w in WRONG]


def scores(declined: np.ndarray, y: np.ndarray) -> dict:
    return {
        "unanswerable_declined": int((declined & (y == 0)).sum()),
        "unanswerable": int((y == 0).sum()),
        "answerable_wrongly_declined": int((declined & (y == 1)).sum()),
        "answerable": int((y == 1).sum()),
    }


def per_set(rows: list[dict], declined: np.ndarray) -> dict:
    out = {}
    for name in sorted({r["set"] for r in rows}):
        mask = np.array([r["set"] == name for r in rows])
        y = np.array([r["answerable"] for r in rows], dtype=int)[mask]
        out[name] = scores(declined[mask], y)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--model", default="e5")
    parser.add_argument("--questions", type=Path, action="append")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "no-answer-mixed.json")
    parser.add_argument("--max-wrong", type=float, default=0.03)
    parser.add_argument("--cache", type=Path, help="keep the mined rows in this file")
    args = parser.parse_args()
    files = args.questions or [ROOT / s for s in SETS]
    if any("heldout" in f.name for f in files):
        parser.error("the held-out questions are not for training")
    digests = {shown(f): file_digest(f) for f in files}
    if args.cache and args.cache.exists():
        cached = json.loads(args.cache.read_text(encoding="utf-8"))
        if cached["digests"] != digests:
            parser.error(f"{args.cache} was mined from other questions: delete it")
        rows = cached["rows"]
    else:
        rows = mine(files, args.store, args.model)
        if args.cache:
            args.cache.write_text(json.dumps({"digests": digests, "rows": rows}), "utf-8")
    x = np.array([[r["features"][f] for f in FEATURES] for r in rows], dtype=np.float64)
    y = np.array([r["answerable"] for r in rows], dtype=int)
    groups = [r["group"] for r in rows]
    probability = out_of_fold(x, y, groups)
    threshold = threshold_for(probability, y, args.max_wrong)
    cv_declined = probability < threshold
    floor = RetrievalSettings().no_answer_floor
    relevance = np.array([r["relevance"] for r in rows])
    floor_declined = relevance < floor
    _, _, model = fit(x, y)
    coef = model.coef_[0]  # type: ignore[attr-defined]
    report = {
        "what": "no-answer decision: logistic model on assistant/no_answer.py features "
        "(out-of-fold, GroupKFold(5) by source judgment) against the relevance floor",
        "date": dt.date.today().isoformat(),
        "store": args.store.name, "model": args.model,
        "questions": digests, "n": len(rows), "max_wrong": args.max_wrong,
        "model_cv": scores(cv_declined, y)
        | {"threshold": round(threshold, 6), "per_set": per_set(rows, cv_declined)},
        "relevance_floor": scores(floor_declined, y)
        | {"floor": floor, "per_set": per_set(rows, floor_declined)},
        "trade_off": {
            "answerable_wrongly_declined": list(WRONG),
            "model_cv_unanswerable_declined": trade_off(probability, y),
            "relevance_unanswerable_declined": trade_off(relevance, y),
        },
        "coef_on_all": {name: round(float(c), 4) for name, c in zip(FEATURES, coef, strict=True)},
    }  # fmt: skip
    print(json.dumps(report, indent=1))
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {args.out}", file=sys.stderr)

if __name__ == "__main__":
    main()
