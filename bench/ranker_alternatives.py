"""Two learned alternatives to the packaged linear ranker, measured in the same grouped
cross-validation as `bench/train_ranker.py` (folds by source judgment, k = 10). Neither is wired
in; docs/benchmarks.md gives the figures.

    .venv/bin/python bench/train_ranker.py --no-write --cache /tmp/mined.pkl   # mines once
    .venv/bin/pip install lightgbm                                              # not a dependency
    .venv/bin/python bench/ranker_alternatives.py --cache /tmp/mined.pkl \
        --out bench/ranker-alternatives.json [--store bench/.store-open-e5/store]

- **LambdaMART** (LightGBM `lambdarank`) on the ranker's features, alone and boosted from the
  linear ranker's scores (its fold's fit as the initial score), over a small grid.
- **A query adapter** on the e5 sentence-window vectors: the question vector q becomes
  q + (q U) Vᵀ (low rank) or q ⊙ (1 + d) (diagonal), fitted by a softmax over each question's
  candidates on their best window, the positives being the answering candidates. It is scored
  first alone (the best adapted window per candidate against the raw one, candidate MRR@10, out
  of fold), then in place of `window_sim` in the linear ranker, nested: inside each outer fold,
  the training questions' adapted feature comes from inner folds, so the ranker never learns
  from a value fitted on its own question.
Every figure is deterministic (fixed seeds, LightGBM `deterministic`).
"""

from __future__ import annotations

import argparse
import copy
import json
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import train_ranker as T  # noqa: E402

from assistant.features import FEATURES, feature_matrix  # noqa: E402
from assistant.ranker import Ranker  # noqa: E402

GBM_GRID = (
    {"init": False, "n": 200, "leaves": 7, "min_child": 50, "lr": 0.05},
    {"init": False, "n": 50, "leaves": 3, "min_child": 100, "lr": 0.05},
    {"init": False, "n": 100, "leaves": 3, "min_child": 200, "lr": 0.03},
    {"init": True, "n": 50, "leaves": 3, "min_child": 100, "lr": 0.05},
    {"init": True, "n": 100, "leaves": 3, "min_child": 200, "lr": 0.02},
    {"init": True, "n": 30, "leaves": 7, "min_child": 100, "lr": 0.05},
)
ADAPTERS = (  # (kind, rank, penalty)
    ("diagonal", 1, 0.003), ("diagonal", 1, 0.01), ("diagonal", 1, 0.03), ("diagonal", 1, 0.05),
    ("diagonal", 1, 0.1), ("low-rank", 8, 0.001), ("low-rank", 8, 0.05), ("low-rank", 8, 0.3),
)
NESTED = ("diagonal", 1, 0.04)  # the best of the window-alone grid, between 0.03 and 0.05
STEPS, LEARNING_RATE, TEMPERATURE = 150, 0.01, 0.05
Fold = tuple[list[int], list[int], Ranker]


def reciprocal(rank: int | None) -> float:
    return 0.0 if rank is None else 1 / rank


def compare(samples: Sequence[T.Sample], base: dict[str, int | None],
            other: dict[str, int | None]) -> dict[str, object]:
    """Metrics of `other`, and how many questions it ranks better / worse than `base`."""
    ids = list(base)
    return {
        "metrics": T.metrics([other[i] for i in ids]),
        "better": sum(reciprocal(other[i]) > reciprocal(base[i]) for i in ids),
        "worse": sum(reciprocal(other[i]) < reciprocal(base[i]) for i in ids),
        "mrr_by_set": {
            name: T.metrics([other[s.question.id] for s in samples if s.set_name == name])["mrr@10"]
            for name in sorted({s.set_name for s in samples})
        },
    }


def linear_fits(samples: Sequence[T.Sample]) -> list[Fold]:
    """Each fold's training and test questions, with the linear ranker fitted on the former
    (fitted once: every comparison below reuses them)."""
    return [
        (train, test, T.fit_listwise_cv([samples[i] for i in train if samples[i].labels.any()],
                                        FEATURES))
        for train, test in T.folds_of(samples)
    ]


def linear_ranks(samples: Sequence[T.Sample], fits: Sequence[Fold]) -> dict[str, int | None]:
    return {samples[i].question.id: T.first_hit_fast(samples[i], model.scores(samples[i].matrix))
            for _, test, model in fits for i in test}


def lambdamart(samples: Sequence[T.Sample], fits: Sequence[Fold],
               config: dict[str, object]) -> dict[str, int | None]:
    import lightgbm as lgb

    ranks: dict[str, int | None] = {}
    for train, test, linear in fits:
        usable = [samples[i] for i in train if samples[i].labels.any()]
        model = lgb.LGBMRanker(
            objective="lambdarank", n_estimators=config["n"], learning_rate=config["lr"],
            num_leaves=config["leaves"], min_child_samples=config["min_child"], subsample=0.8,
            subsample_freq=1, colsample_bytree=0.8, reg_lambda=1.0,
            lambdarank_truncation_level=10, verbose=-1, random_state=0, n_jobs=2,
            deterministic=True,
        )
        init = (np.concatenate([linear.scores(s.matrix) for s in usable])
                if config["init"] else None)
        model.fit(np.vstack([s.matrix for s in usable]),
                  np.concatenate([s.labels.astype(int) for s in usable]),
                  group=[len(s.labels) for s in usable], init_score=init)
        for i in test:
            s = samples[i]
            scores = model.predict(s.matrix)
            if config["init"]:
                scores = scores + linear.scores(s.matrix)
            ranks[s.question.id] = T.first_hit_fast(s, scores)
    return ranks


class WindowAdapter:
    """The candidates' best window score under a learned change of the question vector."""

    def __init__(self, questions: np.ndarray, windows: list[list[np.ndarray]],
                 labels: list[np.ndarray]) -> None:
        import torch

        self.torch = torch
        torch.set_num_threads(2)
        self.width = max(len(w) for w in windows)
        flat, owner, slot = [], [], []
        for i, per_candidate in enumerate(windows):
            for c, vectors in enumerate(per_candidate):
                flat.append(vectors)
                owner += [i] * len(vectors)
                slot += [c] * len(vectors)
        self.windows = torch.tensor(np.concatenate(flat))
        self.owner = torch.tensor(owner)
        self.cell = self.owner * self.width + torch.tensor(slot)
        self.questions = torch.tensor(questions)
        self.raw = (self.questions[self.owner] * self.windows).sum(-1)
        n = len(windows)
        positive = np.zeros((n, self.width), dtype=bool)
        present = np.zeros((n, self.width), dtype=bool)
        for i, found in enumerate(labels):
            positive[i, : len(found)] = found
            present[i, : len(found)] = True
        self.positive, self.present = torch.tensor(positive), torch.tensor(present)

    def scores(self, kind: str, u: object, v: object, rows: Sequence[int]) -> object:
        torch = self.torch
        keep = torch.zeros(len(self.questions), dtype=torch.bool)
        keep[list(rows)] = True
        sel = keep[self.owner]
        if kind == "diagonal":
            extra = (self.questions[self.owner[sel]] * self.windows[sel]) @ u[:, 0]
        else:
            extra = ((self.questions @ u)[self.owner[sel]] * (self.windows[sel] @ v)).sum(-1)
        out = torch.full((len(self.questions) * self.width,), -1e4)
        out = out.scatter_reduce(0, self.cell[sel], self.raw[sel] + extra, reduce="amax")
        return out.view(len(self.questions), self.width)

    def fit(self, kind: str, rank: int, penalty: float, rows: Sequence[int]) -> tuple:
        torch = self.torch
        rows = [i for i in rows if bool(self.positive[i].any())]
        index = torch.tensor(rows)
        dim = self.questions.shape[1]
        generator = torch.Generator().manual_seed(0)
        u = torch.zeros(dim, rank).requires_grad_()
        v = torch.linalg.qr(torch.randn(dim, rank, generator=generator))[0].requires_grad_()
        optimiser = torch.optim.Adam([u, v], lr=LEARNING_RATE)
        for _ in range(STEPS):
            optimiser.zero_grad()
            s = self.scores(kind, u, v, rows)[index] / TEMPERATURE  # type: ignore[index]
            s = s.masked_fill(~self.present[index], -1e4)
            on_positives = s.masked_fill(~self.positive[index], -1e4)
            loss = (torch.logsumexp(s, 1) - torch.logsumexp(on_positives, 1)).mean()
            loss = loss + penalty * (u.pow(2).sum() + v.pow(2).sum())
            loss.backward()
            optimiser.step()
        return kind, u.detach(), v.detach()

    def feature(self, fitted: tuple, rows: Sequence[int]) -> dict[int, np.ndarray]:
        with self.torch.no_grad():
            s = self.scores(*fitted, rows)
        return {i: s[i].numpy() for i in rows}  # type: ignore[index]

    def identity(self) -> tuple:
        zero = self.torch.zeros(self.questions.shape[1], 1)
        return "diagonal", zero, zero


def candidate_mrr(samples: Sequence[T.Sample], scored: dict[int, np.ndarray]) -> list[float]:
    out = []
    for i, column in scored.items():
        labels = samples[i].labels
        if labels.any():
            order = np.argsort(-column[: len(labels)], kind="stable")
            rank = next(k for k, j in enumerate(order, 1) if labels[j])
            out.append(1 / rank if rank <= 10 else 0.0)
    return out


def adapter_alone(samples: Sequence[T.Sample], adapter: WindowAdapter) -> list[dict[str, object]]:
    rows = []
    for kind, rank, penalty in ADAPTERS:
        raw: list[float] = []
        adapted: list[float] = []
        for train, test in T.folds_of(samples):
            raw += candidate_mrr(samples, adapter.feature(adapter.identity(), test))
            fitted = adapter.fit(kind, rank, penalty, train)
            adapted += candidate_mrr(samples, adapter.feature(fitted, test))
        rows.append({"kind": kind, "rank": rank, "penalty": penalty,
                     "raw_window_mrr": round(float(np.mean(raw)), 4),
                     "adapted_window_mrr": round(float(np.mean(adapted)), 4)})
        print(rows[-1], file=sys.stderr)
    return rows


def adapter_in_ranker(samples: Sequence[T.Sample], adapter: WindowAdapter) -> dict[str, int | None]:
    """The linear ranker with `window_sim` replaced by the adapted similarity, nested CV."""
    kind, rank, penalty = NESTED
    column = FEATURES.index("window_sim")

    def with_feature(i: int, values: np.ndarray) -> T.Sample:
        sample = copy.copy(samples[i])
        sample.matrix = samples[i].matrix.copy()
        sample.matrix[:, column] = values[: len(sample.labels)]
        return sample

    ranks: dict[str, int | None] = {}
    for train, test in T.folds_of(samples):
        inner: dict[int, np.ndarray] = {}
        for inner_train, inner_test in T.folds_of([samples[i] for i in train]):
            fitted = adapter.fit(kind, rank, penalty, [train[j] for j in inner_train])
            inner.update(adapter.feature(fitted, [train[j] for j in inner_test]))
        outer = adapter.feature(adapter.fit(kind, rank, penalty, train), test)
        training = [with_feature(i, inner[i]) for i in train]
        model = T.fit_listwise_cv([s for s in training if s.labels.any()], FEATURES)
        for i in test:
            sample = with_feature(i, outer[i])
            ranks[sample.question.id] = T.first_hit_fast(sample, model.scores(sample.matrix))
    return ranks


def window_vectors(store_path: Path, samples: Sequence[T.Sample]) -> tuple[np.ndarray, list]:
    from store.embeddings import make_embeddings
    from store.store import Store

    embeddings, model_id = make_embeddings("e5")
    store = Store.open(store_path, model_id)
    questions = np.array([embeddings.embed_query(s.question.question) for s in samples],
                         dtype=np.float32)
    windows = []
    for s in samples:
        ids = [f.chunk.id for f in s.found.fused]
        found = store.sentence_vectors(ids)
        windows.append([np.asarray(found[i], dtype=np.float32) for i in ids])
    return questions, windows


class TrainRankerUnpickler(pickle.Unpickler):
    """The cache holds train_ranker's classes as `__main__` (it was written by that script)."""

    def find_class(self, module: str, name: str) -> object:
        return getattr(T, name) if module == "__main__" else super().find_class(module, name)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--cache", type=Path, required=True,
                        help="candidates mined by bench/train_ranker.py --cache")
    parser.add_argument("--store", type=Path, default=ROOT / "bench" / ".store-open-e5" / "store")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "ranker-alternatives.json")
    parser.add_argument("--skip-nested", action="store_true")
    args = parser.parse_args()
    samples = TrainRankerUnpickler(args.cache.open("rb")).load()["samples"]
    for s in samples:
        s.matrix = feature_matrix(s.found.expansion, s.found.fused, s.found.case_scores)
    fits = linear_fits(samples)
    base = linear_ranks(samples, fits)
    trees = []
    for config in GBM_GRID:
        ranks = lambdamart(samples, fits, config)
        trees.append({"config": config, **compare(samples, base, ranks)})
        print(trees[-1], file=sys.stderr)
    report: dict[str, object] = {
        "questions": len(samples), "linear": compare(samples, base, base), "lambdamart": trees,
    }
    questions, windows = window_vectors(args.store, samples)
    adapter = WindowAdapter(questions, windows, [s.labels for s in samples])
    report["adapter_alone"] = adapter_alone(samples, adapter)
    if not args.skip_nested:
        nested = adapter_in_ranker(samples, adapter)
        report["adapter_in_ranker"] = {"adapter": NESTED, **compare(samples, base, nested)}
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
