"""Fit the learned ranker (assistant/ranker.py) on the development questions, measure it, and
write its data file.

    .venv/bin/python bench/train_ranker.py [--store bench/.store-open-e5/store] [--model e5]
        [--questions eval/dev_questions.jsonl --questions eval/dev_more_questions.jsonl
         --questions eval/open_dev_questions.jsonl]
        [--handset bench/handset-ranks-mixed.json] [--out assistant/data/ranker-v2.json]
        [--method listwise-cv|listwise|pairwise] [--cache /tmp/mined.pkl] [--no-write]
        [--ablate REPORT.json]

The packaged ranker is what the defaults write: the three development sets, mined in the
579-decision store (data/corpus + corpus-open, built as docs/benchmarks.md says).
Each answerable question's candidates come from the retrieval path itself
(`assistant.retrieve.candidates`); a candidate is positive when it holds a gold string (folded as
`assistant/evaluate.py` does), or holds part of one that runs on into the next chunk. The
default model (`--method listwise-cv`) is a softmax cross-entropy over each question's
candidates on standardised features, shrunk towards the hand-set weights the ranking used before
it (`HAND_SET`), the shrinkage chosen by grouped CV on the training questions; `listwise` keeps
the strongest shrinkage, and `pairwise` is a logistic regression on each positive against each
negative of its question (it measured worse). It is measured by cross-validation grouped by the
question's source judgment (so a fold never tests on a judgment it trained on), per question set,
and by training on dev_questions and testing on dev_more_questions, which was written after them.
Passages are grouped and scored exactly as `retrieve` and `eval` do (k=10). The hand-set
ranking it replaced is compared from its recorded per-question ranks (`--handset`). Every
answerable question is tested, one without an answering candidate counting as a miss for both;
`--cache` keeps the mined candidates (mining is the slow part) so that variants train in
seconds; their features are computed again from them, so a change to a feature is seen.
`--ablate` refits without each feature group and, unless the candidates come from
`--cache`, without each thesaurus group. Inputs are sorted and the solvers are deterministic:
the same store and questions write the same file. Never run it on the held-out questions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import EvalQuestion, first_hit_rank, fold, load_questions  # noqa: E402
from assistant.expand import Group, expand, load_thesaurus  # noqa: E402
from assistant.features import FEATURES, GROUPS, feature_matrix  # noqa: E402
from assistant.ranker import FORMAT_VERSION, RANKER_PATH, Ranker  # noqa: E402
from assistant.retrieve import Candidates, candidates, group_adjacent  # noqa: E402
from assistant.settings import RetrievalSettings  # noqa: E402
from store.embeddings import make_embeddings  # noqa: E402
from store.store import Store  # noqa: E402

K = 10
C = 1.0  # inverse regularisation strength of the logistic regression
FOLDS = 5
MINING_ROUNDS = 2  # refits weighting the negatives the previous fit ranked highest
TOP_NEGATIVES = 10
BASE_WEIGHT = 0.3  # weight of all other pairs in a refit
LIST_LAMBDA = 1e9  # listwise: penalty on the departure from the hand-set weights (see fit_listwise)
SETS = ("eval/dev_questions.jsonl", "eval/dev_more_questions.jsonl")
TRAINING_SETS = (*SETS, "eval/open_dev_questions.jsonl")


@dataclass
class Sample:
    """One answerable question: its candidates, their features and labels."""

    question: EvalQuestion
    set_name: str
    found: Candidates
    matrix: np.ndarray
    labels: np.ndarray

    @property
    def source(self) -> str:
        return str(self.question.extras.get("source", ""))


class Corpus:
    """The store, the question vectors (embedded once) and judgment texts, cached."""

    def __init__(self, store: Store, embeddings, settings: RetrievalSettings) -> None:
        self.store, self.embeddings, self.settings = store, embeddings, settings
        self._vectors: dict[str, list[float]] = {}
        self._texts: dict[str, str] = {}
        self._spans: dict[tuple[str, tuple[str, ...]], list[tuple[int, int]]] = {}

    def text(self, judgment_id: str) -> str:
        if judgment_id not in self._texts:
            self._texts[judgment_id] = self.store.judgment(judgment_id).text
        return self._texts[judgment_id]

    def candidates(self, question: str, thesaurus: tuple[Group, ...] | None) -> Candidates:
        if question not in self._vectors:
            self._vectors[question] = self.embeddings.embed_query(question)
        return candidates(
            question, self.store, self.embeddings, settings=self.settings,
            thesaurus=thesaurus, vector=self._vectors[question],
        )

    def sample(
        self, q: EvalQuestion, set_name: str, thesaurus: tuple[Group, ...] | None = None
    ) -> Sample:
        found = self.candidates(q.question, thesaurus)
        matrix = feature_matrix(found.expansion, found.fused, found.case_scores)
        labels = np.array([self.answers(f.chunk, q.gold) for f in found.fused], dtype=bool)
        return Sample(q, set_name, found, matrix, labels)

    def answers(self, chunk, gold: Sequence[str]) -> bool:
        """The chunk holds a gold string, or a good part (30 %) of one that runs on into a
        neighbour (passages merge adjacent chunks, so such a chunk answers too)."""
        if any(fold(g) in fold(chunk.text) for g in gold):
            return True
        for start, end in self.gold_spans(chunk.judgment_id, gold):
            overlap = min(end, chunk.char_end) - max(start, chunk.char_start)
            if overlap >= 0.3 * (end - start):
                return True
        return False

    def gold_spans(self, judgment_id: str, gold: Sequence[str]) -> list[tuple[int, int]]:
        """Where each gold string lies in the judgment text (offsets into the unfolded text)."""
        key = (judgment_id, tuple(gold))
        if key not in self._spans:
            folded, origin = folded_with_offsets(self.text(judgment_id))
            spans = []
            for g in gold:
                at = folded.find(fold(g))
                while at >= 0:
                    spans.append((origin[at], origin[at + len(fold(g)) - 1] + 1))
                    at = folded.find(fold(g), at + 1)
            self._spans[key] = spans
        return self._spans[key]

    def first_hit(self, sample: Sample, scores: np.ndarray) -> int | None:
        """Rank of the first answering passage among K, as `retrieve` groups chunks into
        passages and the answer groups passages by judgment (what `eval` scores)."""
        fused = sample.found.fused
        order = sorted(range(len(scores)), key=lambda i: (-scores[i], fused[i].chunk.id))
        by_judgment: dict[str, list[str]] = {}
        for group in group_adjacent([fused[i] for i in order], K):
            chunks = sorted((f.chunk for f in group), key=lambda c: c.ordinal)
            text = self.text(chunks[0].judgment_id)[chunks[0].char_start : chunks[-1].char_end]
            by_judgment.setdefault(chunks[0].judgment_id, []).append(text)
        texts = [t for found in by_judgment.values() for t in found]
        return first_hit_rank(texts, sample.question.gold, K)


def first_hit_fast(sample: Sample, scores: np.ndarray) -> int | None:
    """`Corpus.first_hit` read from the candidates' labels instead of the passages' text (a
    passage answers when one of its chunks does): no judgment text needed."""
    fused = sample.found.fused
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], fused[i].chunk.id))
    label = {id(fused[i]): bool(sample.labels[i]) for i in order}
    by_judgment: dict[str, list[bool]] = {}
    for group in group_adjacent([fused[i] for i in order], K):
        by_judgment.setdefault(group[0].chunk.judgment_id, []).append(
            any(label[id(f)] for f in group)
        )
    hits = [hit for found in by_judgment.values() for hit in found]
    return hits.index(True) + 1 if True in hits else None


def folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """`fold(text)` and, for each of its characters, its offset in `text`."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ch == "*":
            continue
        if ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                origin.append(i)
            continue
        chars.append("'" if ch == "\u2019" else ch)
        origin.append(i)
    return "".join(chars), origin


def metrics(ranks: Sequence[int | None]) -> dict[str, float]:
    n = len(ranks) or 1
    found = [r for r in ranks if r is not None]
    return {
        "hit@1": round(sum(r <= 1 for r in found) / n, 4),
        "hit@3": round(sum(r <= 3 for r in found) / n, 4),
        "hit@5": round(sum(r <= 5 for r in found) / n, 4),
        "mrr@10": round(sum(1 / r for r in found) / n, 4),
    }


def mean_metrics(folds: Sequence[dict[str, float]]) -> dict[str, float]:
    return {k: round(float(np.mean([f[k] for f in folds])), 4) for k in folds[0]}


def standardised(
    samples: Sequence[Sample], names: Sequence[str]
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """The mean and scale of the named features over all candidates, and each question's
    candidates standardised by them (a constant feature keeps scale 1)."""
    columns = [FEATURES.index(n) for n in names]
    rows = np.vstack([s.matrix[:, columns] for s in samples])
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale < 1e-9] = 1.0
    return mean, scale, [(s.matrix[:, columns] - mean) / scale for s in samples]


def fit(samples: Sequence[Sample], names: Sequence[str], c: float = C) -> Ranker:
    """Pairwise logistic regression on standardised features, no intercept: each positive of a
    question against each of its negatives, then (MINING_ROUNDS times) again with extra weight
    on the TOP_NEGATIVES negatives the previous fit ranked highest, where ranking errors
    cost. Each question weighs the same."""
    mean, scale, scaled = standardised(samples, names)
    hard: list[np.ndarray | None] = [None] * len(samples)
    model = Ranker(tuple(names), mean, scale, np.zeros(len(names)))
    for round_ in range(MINING_ROUNDS + 1):
        diffs, weights = [], []
        for s, x, top in zip(samples, scaled, hard, strict=True):
            pos = x[s.labels]
            for mask, weight in ((~s.labels, BASE_WEIGHT if round_ else 1.0), (top, 1.0)):
                neg = x[mask] if mask is not None else x[:0]
                if len(pos) and len(neg):
                    d = (pos[:, None, :] - neg[None, :, :]).reshape(-1, len(names))
                    diffs.append(d)
                    weights.append(np.full(len(d), weight / len(d)))
        d, w = np.vstack(diffs), np.concatenate(weights)
        w = np.concatenate([w, w]) / w.mean()
        lr = LogisticRegression(C=c, fit_intercept=False, max_iter=5000, tol=1e-6)
        lr.fit(np.vstack([d, -d]), np.r_[np.ones(len(d)), np.zeros(len(d))], sample_weight=w)
        model = Ranker(tuple(names), mean, scale, lr.coef_[0].copy())
        hard = [top_negatives(model, s) for s in samples]
    return model


# The hand-set weights the ranking used before the learned ranker replaced them (the former
# assistant/rescore.py), on the raw features: the listwise fit starts from them and its
# shrinkage pulls towards them. Their window term, 2 * coverage + 1 * similarity, is
# aligned_window + window_coverage; the section biases became the cue crosses; the court-voice
# bonus, off for a question on claims, is cancelled by claims_x_voice.
HAND_SET = {
    "dense_norm": 1.0, "bm25_norm": 0.5, "aligned_window": 1.0, "window_coverage": 1.0,
    "identification_x_header": 0.6, "header_q_x_header": 0.4, "header_q_x_judgment": 1.0,
    "claims_x_claims": 0.2, "claims_x_facts": 0.1, "decision_x_decision": 0.2,
    "named_case": 1.0, "amount_stated": 2.0, "date_stated": 2.0,
    "voice_window": 0.3, "voice_chunk": 0.3, "claims_x_voice": -0.3,
}


def hand_set_weights(names: Sequence[str]) -> np.ndarray:
    """`HAND_SET` in the order of `names` (0 for a feature it did not weigh)."""
    return np.array([HAND_SET.get(n, 0.0) for n in names])


def fit_listwise(
    samples: Sequence[Sample], names: Sequence[str], lam: float = LIST_LAMBDA
) -> Ranker:
    """Listwise softmax cross-entropy (ListNet: each question's positives share the target mass)
    over standardised features, with the weights w = c * w_hand + delta: c (the softmax
    temperature of the hand-set weights, `hand_set_weights`) is free and lam * |delta|^2 keeps
    the fit near the hand-set ranking. Each question weighs the same; L-BFGS from w_hand."""
    mean, scale, xs = standardised(samples, names)
    targets = [s.labels / s.labels.sum() for s in samples]
    prior = hand_set_weights(names) * scale

    def loss(v: np.ndarray) -> tuple[float, np.ndarray]:
        w = v[0] * prior + v[1:]
        total, grad = lam * float(v[1:] @ v[1:]), np.zeros(len(w))
        for x, y in zip(xs, targets, strict=True):
            z = x @ w
            z = z - z.max()
            p = np.exp(z) / np.exp(z).sum()
            total -= float(y @ np.log(p + 1e-300)) / len(xs)
            grad += x.T @ (p - y) / len(xs)
        return total, np.r_[grad @ prior, grad + 2 * lam * v[1:]]

    found = minimize(loss, np.r_[1.0, np.zeros(len(prior))], jac=True, method="L-BFGS-B",
                     options={"maxiter": 3000})
    return Ranker(tuple(names), mean, scale, found.x[0] * prior + found.x[1:])


LAMBDAS = (0.3, 1.0, 3.0, 10.0, LIST_LAMBDA)


def fit_listwise_cv(samples: Sequence[Sample], names: Sequence[str]) -> Ranker:
    """`fit_listwise` with lam chosen among LAMBDAS by MRR@10 in cross-validation on
    `samples` alone, grouped by source judgment (ties: the stronger penalty)."""
    found = {}
    for lam in LAMBDAS:
        ranks: list[int | None] = []
        for train, test in folds_of(samples):
            model = fit_listwise([samples[i] for i in train], names, lam)
            ranks += [first_hit_fast(samples[i], model.scores(samples[i].matrix)) for i in test]
        found[lam] = metrics(ranks)["mrr@10"]
    chosen = max(LAMBDAS, key=lambda lam: (found[lam], lam))
    print(f"listwise-cv: lambda {chosen} ({found})", file=sys.stderr)
    return fit_listwise(samples, names, chosen)


FITTERS: dict[str, Callable[[Sequence[Sample], Sequence[str]], Ranker]] = {
    "pairwise": fit, "listwise": fit_listwise, "listwise-cv": fit_listwise_cv,
}


def top_negatives(model: Ranker, sample: Sample) -> np.ndarray:
    scores = model.scores(sample.matrix)
    negatives = np.flatnonzero(~sample.labels)
    chosen = negatives[np.argsort(-scores[negatives], kind="stable")][:TOP_NEGATIVES]
    mask = np.zeros(len(scores), dtype=bool)
    mask[chosen] = True
    return mask


def ranks_of(corpus: Corpus, model: Ranker, samples: Sequence[Sample]) -> list[int | None]:
    return [corpus.first_hit(s, model.scores(s.matrix)) for s in samples]


def folds_of(samples: Sequence[Sample]) -> list[tuple[list[int], list[int]]]:
    groups = [s.source for s in samples]
    splitter = GroupKFold(n_splits=min(FOLDS, len(set(groups))))
    return [(list(a), list(b)) for a, b in splitter.split(np.zeros(len(samples)), groups=groups)]


def evaluate(
    corpus: Corpus, samples: Sequence[Sample], names: Sequence[str],
    handset: dict[str, int | None] | None = None, method: str = "pairwise",
    ranks: dict[str, int | None] | None = None,
) -> dict[str, object]:
    """CV (per fold and mean), transfer dev -> dev_more, for the learned and hand-set ranking.
    Every answerable question is tested (one with no answering candidate is a miss for both
    rankings); only those with an answering candidate are trained on."""

    def fit(train: Sequence[Sample], names: Sequence[str]) -> Ranker:
        return FITTERS[method]([s for s in train if s.labels.any()], names)

    cv, cv_hand = [], []
    ranks = {} if ranks is None else ranks  # filled: each question's cross-validated rank
    for train, test in folds_of(samples):
        model = fit([samples[i] for i in train], names)
        found = ranks_of(corpus, model, [samples[i] for i in test])
        ranks.update({samples[i].question.id: r for i, r in zip(test, found, strict=True)})
        cv.append(metrics(found))
        if handset is not None:
            cv_hand.append(metrics([handset[samples[i].question.id] for i in test]))
    report: dict[str, object] = {"cv_folds": cv, "cv_mean": mean_metrics(cv)}
    if handset is not None:
        report |= {"handset_cv_folds": cv_hand, "handset_cv_mean": mean_metrics(cv_hand)}
    names_of_sets = sorted({s.set_name for s in samples})
    by_set = {name: [s for s in samples if s.set_name == name] for name in names_of_sets}
    report["cv_by_set"] = {n: metrics([ranks[s.question.id] for s in by_set[n]])
                           for n in names_of_sets}  # fmt: skip
    if handset is not None:
        report["handset_by_set"] = {
            n: metrics([handset[s.question.id] for s in by_set[n]]) for n in names_of_sets
        }
    if all(by_set.get(name) for name in SETS):
        first, second = (by_set[name] for name in SETS)
        report["dev_to_dev_more"] = metrics(ranks_of(corpus, fit(first, names), second))
        report["dev_more_to_dev"] = metrics(ranks_of(corpus, fit(second, names), first))
    return report


def triggered(question: str, groups: tuple[Group, ...]) -> list[int]:
    """Indices of the thesaurus groups a question calls up."""
    return [i for i, g in enumerate(groups) if expand(question, (g,)).phrases]


def ablations(
    corpus: Corpus, samples: list[Sample], log: Callable[[str], None],
    method: str = "pairwise", thesaurus_groups: bool = True,
) -> dict[str, object]:
    """Each feature group and (when `thesaurus_groups`: it mines again) each thesaurus group
    left out in turn: MRR@10 and hit@1 deltas in CV, per question set in CV, and in the
    transfer dev -> dev_more (positive: the group helps)."""
    full_ranks: dict[str, int | None] = {}
    full = evaluate(corpus, samples, FEATURES, method=method, ranks=full_ranks)
    out: dict[str, object] = {}
    open_set = {s.question.id for s in samples if "open_dev" in s.set_name}

    def paired(ranks: dict[str, int | None]) -> dict[str, int]:
        """Questions whose reciprocal rank falls or rises without the group (all; open dev)."""
        def rr(rank: int | None) -> float:
            return 1 / rank if rank else 0.0
        change = {q: rr(full_ranks[q]) - rr(ranks[q]) for q in full_ranks}
        return {
            "worse_without": sum(d > 0 for d in change.values()),
            "better_without": sum(d < 0 for d in change.values()),
            "open_dev_worse_without": sum(change[q] > 0 for q in open_set),
            "open_dev_better_without": sum(change[q] < 0 for q in open_set),
        }

    def delta(report: dict, ranks: dict[str, int | None]) -> dict[str, float]:
        keys = [k for k in ("cv_mean", "dev_to_dev_more", "dev_more_to_dev") if k in full]
        found = {f"{key}_{m}": round(full[key][m] - report[key][m], 4)  # type: ignore[index]
                 for key in keys for m in ("mrr@10", "hit@1")}
        for name, by_set in report["cv_by_set"].items():
            found[f"cv_mrr@10:{name}"] = round(
                full["cv_by_set"][name]["mrr@10"] - by_set["mrr@10"], 4  # type: ignore[index]
            )
        return found | paired(ranks)

    for group, names in GROUPS.items():
        kept = [n for n in FEATURES if n not in names]
        ranks: dict[str, int | None] = {}
        report = evaluate(corpus, samples, kept, method=method, ranks=ranks)
        out[f"features:{group}"] = delta(report, ranks)
        log(f"features:{group} {out[f'features:{group}']}")
    if not thesaurus_groups:
        return out
    thesaurus = load_thesaurus()
    variants = {"thesaurus:all": ()} | {
        f"thesaurus:{i}:{thesaurus[i].texts[0]}": thesaurus[:i] + thesaurus[i + 1 :]
        for i in range(len(thesaurus))
    }
    for label, groups in variants.items():
        index = None if label == "thesaurus:all" else int(label.split(":")[1])
        affected = [
            i for i, s in enumerate(samples)
            if index is None or index in triggered(s.question.question, thesaurus)
        ]
        if not affected:
            out[label] = {"questions": 0}
            continue
        changed = list(samples)
        for i in affected:
            changed[i] = corpus.sample(samples[i].question, samples[i].set_name, groups)
        ranks = {}
        report = evaluate(corpus, changed, FEATURES, method=method, ranks=ranks)
        out[label] = {"questions": len(affected)} | delta(report, ranks)
        log(f"{label} {out[label]}")
    return out


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def shown(path: Path) -> str:
    """A question file's name as recorded: relative to the repository, else its name."""
    full = path.resolve()
    return full.relative_to(ROOT).as_posix() if full.is_relative_to(ROOT) else path.name


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--store", type=Path, default=ROOT / "bench" / ".store-open-e5" / "store")
    parser.add_argument("--model", default="e5")
    parser.add_argument("--questions", type=Path, action="append")
    parser.add_argument("--handset", type=Path,
                        default=ROOT / "bench" / "handset-ranks-mixed.json")
    parser.add_argument("--out", type=Path, default=RANKER_PATH)
    parser.add_argument("--ablate", type=Path, help="write the ablation report to this file")
    parser.add_argument("--method", choices=sorted(FITTERS), default="listwise-cv")
    parser.add_argument("--cache", type=Path, help="keep the mined candidates in this file "
                        "(read when it exists: model variants then train in seconds)")
    parser.add_argument("--no-write", action="store_true", help="report only, write no file")
    args = parser.parse_args()
    files = sorted(args.questions or [ROOT / s for s in TRAINING_SETS])
    if any("heldout" in f.name for f in files):
        parser.error("the held-out questions are not for training")
    if args.cache and args.cache.exists():
        cached = pickle.loads(args.cache.read_bytes())
        digests = {shown(f): file_digest(f) for f in files}
        if any(cached["digests"].get(name) != d for name, d in digests.items()):
            parser.error(f"{args.cache} was mined from other questions: delete it")
        corpus = Corpus(None, None, RetrievalSettings())  # type: ignore[arg-type]
        corpus._texts, samples, model_id = cached["texts"], cached["samples"], cached["model"]
        for s in samples:  # the candidates are cached; their features are today's code's
            s.matrix = feature_matrix(s.found.expansion, s.found.fused, s.found.case_scores)
        samples = [s for s in samples if s.set_name in {shown(f) for f in files}]
    else:
        embeddings, model_id = make_embeddings(args.model)
        store = Store.open(args.store, model_id)
        corpus = Corpus(store, embeddings, RetrievalSettings())
        samples = []
        for path in files:
            name = shown(path)
            for q in sorted(load_questions(path), key=lambda q: q.id):
                if q.answerable:
                    samples.append(corpus.sample(q, name))
                    for f in samples[-1].found.fused:
                        corpus.text(f.chunk.judgment_id)
        if args.cache:
            mined = {"texts": corpus._texts, "samples": samples, "model": model_id,
                     "digests": {shown(f): file_digest(f) for f in files}}
            args.cache.write_bytes(pickle.dumps(mined))
    usable = [s for s in samples if s.labels.any()]
    print(f"{len(samples)} answerable questions, {len(usable)} with an answering candidate",
          file=sys.stderr)
    handset = None
    if args.handset.exists():
        recorded = json.loads(args.handset.read_text(encoding="utf-8"))["questions"]
        handset = {s.question.id: recorded[s.question.id]["rank"] for s in samples}
    report = evaluate(corpus, samples, FEATURES, handset, args.method)
    model = FITTERS[args.method](usable, FEATURES)
    report["full_fit_by_set"] = {
        name: metrics(ranks_of(corpus, model, [s for s in samples if s.set_name == name]))
        for name in sorted({s.set_name for s in samples})
    }
    print(json.dumps(report, indent=1), file=sys.stderr)
    if args.no_write:
        return
    data = model.to_json() | {
        "trained_on": {shown(f): file_digest(f) for f in files},
        "questions": len(usable),
        "model": model_id,
        "method": args.method,
        "C": C,
        "evaluation": report,
    }
    assert data["version"] == FORMAT_VERSION
    args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.ablate:
        # the thesaurus groups need the store (their questions are mined again)
        found = ablations(corpus, usable, lambda line: print(line, file=sys.stderr),
                          args.method, thesaurus_groups=corpus.store is not None)
        text = json.dumps(found, indent=1, ensure_ascii=False) + "\n"
        args.ablate.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
