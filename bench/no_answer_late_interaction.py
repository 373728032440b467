"""Does matching the question's tokens against the best passages' tokens tell an answering
passage from one that only shares the topic? An experiment for the no-answer decision
(issue 15), not wired in.

    .venv/bin/python bench/no_answer_late_interaction.py --store bench/.store-open-e5/store
        [--questions eval/dev_questions.jsonl ...] [--out bench/no-answer-late-interaction.json]

Each question is asked as the assistant asks it (k=10). The question (with e5's « query: »
prefix) and each of its first three passages (« passage: », cut at the model's 510 tokens) go
through e5 once more, keeping the last hidden state of every token (normalised), without the
special and prefix tokens. From the question × passage token cosines:
- MaxSim: each question token's best cosine in the passage; its mean, minimum, mean of the
  three lowest, 10th and 25th percentiles (a question word the passage does not cover pulls
  the low ones down);
- KNRM kernels: for each centre μ, the mean over question tokens of log(1 + Σ exp(-(s - μ)² /
  2σ²)) over passage tokens (σ 0.05; μ 1.0 with σ 0.001 for exact matches).
Each feature is the best over the three passages. Scored alone (higher = answering) and as a
logistic model with and without the assistant's relevance, out of fold (stratified 5-fold,
repeated with 5 seeds). Reported: ROC AUC, and the unanswerable questions declined when the
threshold wrongly declines 0, 3, 5, 10 or 16 answerable ones. Held-out files are refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import load_questions  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from store.e5_onnx import E5Onnx, _feed  # noqa: E402
from store.e5_torch import PASSAGE_PREFIX, QUERY_PREFIX  # noqa: E402

DEV_SETS = ("eval/open_dev_questions.jsonl", "eval/dev_questions.jsonl",
            "eval/dev_more_questions.jsonl")  # fmt: skip
CENTRES = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3)
MAXSIM = ("maxsim_mean", "maxsim_min", "maxsim_low3", "maxsim_p10", "maxsim_p25")
NAMES = (*MAXSIM, *(f"kernel_{mu}" for mu in CENTRES))
WRONG_COUNTS = (0, 3, 5, 10, 16)


class TokenStates:
    """Normalised last hidden states of a text's own tokens, from the packaged e5 graph."""

    def __init__(self) -> None:
        self.model = E5Onnx(threads=2)

    def __call__(self, text: str, prefix: str) -> np.ndarray:
        tokenizer = self.model.tokenizer
        skip = len(tokenizer.encode_batch([""], prefix)[0].ids)
        ids = tokenizer.encode_batch([text], prefix)[0].ids[: self.model.limit]
        hidden = self.model._session.run(["hidden"], _feed([self.model._sequence(ids)]))[0]
        own = hidden[1 + skip : 1 + len(ids)]
        return own / np.maximum(np.linalg.norm(own, axis=1, keepdims=True), 1e-6)


def features(cosines: list[np.ndarray]) -> list[float]:
    """The best, over the passages, of each MaxSim and kernel feature."""
    rows = []
    for matrix in cosines:
        best = np.sort(matrix.max(axis=1))
        kernels = [np.log1p(np.exp(-((matrix - mu) ** 2) / (2 * (0.001 if mu == 1.0 else 0.05)
                                                            ** 2)).sum(axis=1)).mean()
                   for mu in CENTRES]  # fmt: skip
        rows.append([best.mean(), best[0], best[:3].mean(), np.percentile(best, 10),
                     np.percentile(best, 25), *kernels])  # fmt: skip
    return np.max(rows, axis=0).tolist() if rows else [0.0] * len(NAMES)


def declined(score: np.ndarray, unanswerable: np.ndarray) -> list[int]:
    """Unanswerable questions below the threshold that wrongly declines w answerable ones."""
    answerable = np.sort(score[~unanswerable])
    return [int((score[unanswerable] < answerable[w]).sum()) for w in WRONG_COUNTS]


def out_of_fold(x: np.ndarray, unanswerable: np.ndarray) -> np.ndarray:
    """P(answerable), logistic regression, stratified 5-fold averaged over 5 seeds."""
    score = np.zeros(len(x))
    for seed in range(5):
        for train, test in StratifiedKFold(5, shuffle=True, random_state=seed).split(
                x, unanswerable):
            model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
            model.fit(x[train], unanswerable[train])
            score[test] += model.predict_proba(x[test])[:, 0] / 5
    return score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--questions", type=Path, action="append")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/no-answer-late-interaction.json")
    args = parser.parse_args()
    files = args.questions or [ROOT / name for name in DEV_SETS]
    if any("heldout" in f.name for f in files):
        parser.error("held-out questions are not used for experiments")
    settings = Settings.from_env({"LEGAL_ASSISTANT_STORE": str(args.store),
                                  "LEGAL_ASSISTANT_EMBEDDINGS": "e5"})  # fmt: skip
    assistant = Assistant.from_settings(settings)
    states = TokenStates()
    rows, relevance, unanswerable = [], [], []
    for file in files:
        for question in load_questions(file):
            answer = assistant.ask(question.question, k=10)
            asked = states(question.question, QUERY_PREFIX)
            rows.append(features([asked @ states(p.text, PASSAGE_PREFIX).T
                                  for p in answer.passages[:3]]))  # fmt: skip
            relevance.append(float(answer.extra.get("relevance") or 0.0))
            unanswerable.append(not question.gold)
    x, rel, y = np.array(rows), np.array(relevance), np.array(unanswerable)
    table = {"relevance (the floor's score)": rel} | {n: x[:, i] for i, n in enumerate(NAMES)}
    table |= {
        "logistic, all token features": out_of_fold(x, y),
        "logistic, all token features + relevance": out_of_fold(np.column_stack([x, rel]), y),
        "logistic, low MaxSim + relevance": out_of_fold(np.column_stack([x[:, 1:4], rel]), y),
    }
    results = []
    for name, score in table.items():
        auc, counts = round(float(roc_auc_score(~y, score)), 3), declined(score, y)
        print(f"| {name} | {auc} | " + " | ".join(map(str, counts)) + " |")
        results.append({"signal": name, "auc": auc,
                        "declined_at_wrong": dict(zip(map(str, WRONG_COUNTS), counts,
                                                      strict=True))})  # fmt: skip
    summary = {"date": dt.date.today().isoformat(), "store": args.store.name,
               "questions": [f.name for f in files], "n": len(y),
               "unanswerable": int(y.sum()), "results": results}  # fmt: skip
    args.out.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    main()
