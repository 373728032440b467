"""Three more signals for the linear ranker, aimed at its commonest miss (the right judgment
first, another of its chunks above the answering one), measured in the same grouped 5-fold CV
as `bench/train_ranker.py` (k = 10, a question without an answering candidate is a miss).
None is wired in; docs/benchmarks.md gives the figures.

    .venv/bin/python bench/train_ranker.py --no-write --cache /tmp/mined.pkl   # mines once
    .venv/bin/python bench/ranker_more_signals.py --cache /tmp/mined.pkl \
        --out bench/ranker-more-signals.json [--store bench/.store-open-e5/store]

- **Within-judgment features**: for window similarity, aligned window, rare-term coverage,
  dense similarity, window coverage and BM25, the gap to the best candidate of the same
  judgment and whether the chunk is that best one.
- **Yes/no questions** (« la caution doit-elle … ? », "Is the rule …?"), whose answer is the
  court's holding: the question form crossed with the court-voice features and with a chunk of
  the reasons or the operative part.
- **Wider candidates**: every chunk of the J judgments the fusion puts first joins the
  candidates (their dense and window similarities from the stored vectors), so that an
  answering chunk neither retriever fetched can be ranked. Needs the store.
- **The ranker's confidence as a no-answer signal**: the spread of its scores (top minus
  tenth, the softmax share of the top candidate), out of fold for the answerable questions and
  from the five fold models for the unanswerable ones (mined from the store), against the
  relevance floor's score, alone and as a rank sum with it. Needs the store.
- **How much the packaged ranker departs from the former hand-set weights**, and what fits
  without that anchor give: the hand-set weights unfitted, listwise fits with a weak penalty
  (`FREE_LAMBDAS`, where a new feature can take weight), pairwise logistic regression, and the
  within-judgment features under the weakest-penalty fit that scores best.

Each part writes its keys into `--out` (kept when it exists), so parts can be rerun alone.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import ranker_alternatives as A  # noqa: E402
import train_ranker as T  # noqa: E402

import assistant.ranker as ranker_module  # noqa: E402
from assistant.features import FEATURES, feature_matrix  # noqa: E402

RELATIVE = ("window_sim", "aligned_window", "rare_coverage", "dense_norm", "window_coverage",
            "bm25_norm")
YES_NO = re.compile(
    r"(?:\w-t-(?:il|elle|on|ils|elles)\b|\w-(?:il|elle|ils|elles|on)\b|\best-ce qu"
    r"|^\s*(?:is|are|was|were|do|does|did|can|could|may|might|must|should|has|have|had|will"
    r"|would|shall)\b)",
    re.IGNORECASE,
)
WIDEN = (1, 2)
FREE_LAMBDAS = (0.01, 0.1)


def within_judgment(sample: T.Sample) -> np.ndarray:
    """Per RELATIVE feature: the gap to its judgment's best candidate, and 1 for that best."""
    judgments = [f.chunk.judgment_id for f in sample.found.fused]
    columns = []
    for name in RELATIVE:
        values = sample.matrix[:, FEATURES.index(name)]
        best: dict[str, float] = {}
        for j, v in zip(judgments, values, strict=True):
            best[j] = max(best.get(j, -np.inf), float(v))
        columns.append(np.array([v - best[j] for j, v in zip(judgments, values, strict=True)]))
        columns.append(np.array([float(v >= best[j])
                                 for j, v in zip(judgments, values, strict=True)]))
    return np.column_stack(columns)


def yes_no(sample: T.Sample) -> np.ndarray:
    """The yes/no form crossed with the window's and the chunk's court voice and with a chunk
    of the reasons or the operative part."""
    asked = float(bool(YES_NO.search(sample.question.question)))
    holding = np.array([f.chunk.section_kind in ("reasons", "operative")
                        for f in sample.found.fused], dtype=float)
    return asked * np.column_stack([sample.matrix[:, FEATURES.index("voice_window")],
                                    sample.matrix[:, FEATURES.index("voice_chunk")], holding])


EXTRA = [f"{n}_{k}" for n in RELATIVE for k in ("gap", "best")] + [
    "yes_no_x_voice_window", "yes_no_x_voice_chunk", "yes_no_x_holding"]
VARIANTS = {
    "within-judgment gaps": [f"{n}_gap" for n in RELATIVE],
    "within-judgment best": [f"{n}_best" for n in RELATIVE],
    "within-judgment both": [f"{n}_{k}" for n in RELATIVE for k in ("gap", "best")],
    "yes/no crosses": ["yes_no_x_voice_window", "yes_no_x_voice_chunk", "yes_no_x_holding"],
    "yes/no voice only": ["yes_no_x_voice_window", "yes_no_x_voice_chunk"],
}


def cross_validated(samples: Sequence[T.Sample], names: Sequence[str],
                    fitter: Callable = T.fit_listwise_cv) -> dict[str, int | None]:
    ranks: dict[str, int | None] = {}
    for train, test in T.folds_of(samples):
        model = fitter([samples[i] for i in train if samples[i].labels.any()], names)
        for i in test:
            ranks[samples[i].question.id] = T.first_hit_fast(
                samples[i], model.scores(samples[i].matrix))
    return ranks


@lru_cache(maxsize=1)
def corpus_at(store_path: Path) -> T.Corpus:
    """The store with e5, opened once for every part that needs it."""
    from assistant.settings import RetrievalSettings
    from store.embeddings import make_embeddings
    from store.store import Store

    embeddings, model_id = make_embeddings("e5")
    return T.Corpus(Store.open(store_path, model_id), embeddings, RetrievalSettings())


def widened(samples: Sequence[T.Sample], store_path: Path, judgments: int) -> list[T.Sample]:
    """Each question's candidates plus every other chunk of its first `judgments` judgments in
    fusion order, labelled and featured as mined ones are."""
    from assistant.fusion import FusedChunk
    from assistant.retrieve import complete_scores

    corpus = corpus_at(store_path)
    store, embeddings = corpus.store, corpus.embeddings
    out = []
    for s in samples:
        first: list[str] = []
        for f in sorted(s.found.fused, key=lambda f: (-f.score, f.chunk.id)):
            if f.chunk.judgment_id not in first:
                first.append(f.chunk.judgment_id)
        have = {f.chunk.id for f in s.found.fused}
        added = [FusedChunk(chunk, 0.0) for j in first[:judgments]
                 for chunk in store.chunks_of(j) if chunk.id not in have]
        complete_scores(added, store, embeddings.embed_query(s.question.question))
        found = copy.copy(s.found)
        found.fused = [*s.found.fused, *added]
        matrix = feature_matrix(found.expansion, found.fused, found.case_scores)
        labels = np.array([corpus.answers(f.chunk, s.question.gold) for f in found.fused])
        out.append(T.Sample(s.question, s.set_name, found, matrix, labels))
    return out


def spread(scores: np.ndarray) -> dict[str, float]:
    """How far the ranker's top score stands out: above the tenth, and its softmax share."""
    z = np.sort(scores)[::-1]
    p = np.exp(z - z.max())
    return {"top_minus_tenth": float(z[0] - z[min(9, len(z) - 1)]),
            "top_share": float(p[0] / p.sum())}


def declined(score: np.ndarray, answerable: np.ndarray) -> dict[str, int]:
    """Unanswerable questions under the threshold that wrongly declines 0, 3, 5, 10, 16
    answerable ones."""
    ordered = np.sort(score[answerable])
    return {str(w): int((score[~answerable] < ordered[w]).sum()) for w in (0, 3, 5, 10, 16)}


def ranker_confidence(samples: Sequence[T.Sample], store_path: Path) -> dict[str, object]:
    from scipy.stats import rankdata
    from sklearn.metrics import roc_auc_score

    from assistant.evaluate import load_questions
    from assistant.retrieve import retrieve

    corpus = corpus_at(store_path)
    store, embeddings = corpus.store, corpus.embeddings
    rows, models = [], []
    for train, test in T.folds_of(samples):
        model = T.fit_listwise_cv([samples[i] for i in train if samples[i].labels.any()],
                                  FEATURES)
        models.append(model)
        rows += [(samples[i].question, True, spread(model.scores(samples[i].matrix)))
                 for i in test]
    for path in T.TRAINING_SETS:
        for q in sorted(load_questions(ROOT / path), key=lambda q: q.id):
            if not q.answerable:
                found = corpus.candidates(q.question, None)
                matrix = feature_matrix(found.expansion, found.fused, found.case_scores)
                each = [spread(m.scores(matrix)) for m in models]
                rows.append((q, False, {k: float(np.mean([e[k] for e in each]))
                                        for k in each[0]}))
    answerable = np.array([a for _, a, _ in rows])
    scores = {"relevance (the floor's)": np.array([
        retrieve(q.question, store, embeddings, k=10).relevance for q, _, _ in rows])}
    for name in ("top_minus_tenth", "top_share"):
        scores[name] = np.array([s[name] for _, _, s in rows])
        scores[f"relevance + {name} (rank sum)"] = (
            rankdata(scores["relevance (the floor's)"]) + rankdata(scores[name]))
    return {
        "answerable": int(answerable.sum()), "unanswerable": int((~answerable).sum()),
        **{name: {"auc": round(float(roc_auc_score(answerable, s)), 3),
                  "unanswerable_declined_at_wrongly_declined": declined(s, answerable)}
           for name, s in scores.items()},
    }


def anchoring(samples: Sequence[T.Sample], base: dict[str, int | None]) -> dict[str, object]:
    """The packaged ranker as c x hand-set + delta, and fits without the anchor."""
    packaged = ranker_module.load_ranker()
    prior = T.hand_set_weights(packaged.features) * packaged.scale
    c = float(packaged.coef @ prior / (prior @ prior))
    delta = packaged.coef - c * prior
    report: dict[str, object] = {
        "packaged": {
            "scale_of_hand_set": round(c, 3),
            "departure_share": round(float(np.linalg.norm(delta) / np.linalg.norm(packaged.coef)),
                                     3),
            "largest_weight_without_hand_set": round(float(max(
                abs(w) for w, p in zip(packaged.coef, prior, strict=True) if p == 0)), 3),
        },
        "hand-set weights, unfitted": A.compare(samples, base, {
            s.question.id: T.first_hit_fast(s, s.matrix @ T.hand_set_weights(FEATURES))
            for s in samples}),
        "pairwise logistic": A.compare(samples, base, cross_validated(samples, FEATURES, T.fit)),
    }
    for lam in FREE_LAMBDAS:
        def free(train: Sequence[T.Sample], names: Sequence[str], lam: float = lam) -> object:
            return T.fit_listwise(train, names, lam)
        report[f"listwise, penalty {lam}"] = A.compare(
            samples, base, cross_validated(samples, FEATURES, free))
    best = max(FREE_LAMBDAS,
               key=lambda lam: report[f"listwise, penalty {lam}"]["metrics"]["mrr@10"])

    def fit_best(train: Sequence[T.Sample], names: Sequence[str]) -> object:
        return T.fit_listwise(train, names, best)
    extended = [copy.copy(s) for s in samples]
    for s in extended:
        s.matrix = np.column_stack([s.matrix, within_judgment(s), yes_no(s)])
    T.FEATURES = ranker_module.FEATURES = (*FEATURES, *EXTRA)
    try:
        free_base = cross_validated(extended, FEATURES, fit_best)
        report[f"within-judgment both, penalty {best}, against the same fit without"] = (
            A.compare(extended, free_base, cross_validated(
                extended, [*FEATURES, *VARIANTS["within-judgment both"]], fit_best)))
    finally:
        T.FEATURES = ranker_module.FEATURES = FEATURES
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--cache", type=Path, required=True,
                        help="candidates mined by bench/train_ranker.py --cache")
    parser.add_argument("--store", type=Path, default=ROOT / "bench" / ".store-open-e5" / "store")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "ranker-more-signals.json")
    parser.add_argument("--skip-features", action="store_true")
    parser.add_argument("--skip-widen", action="store_true")
    parser.add_argument("--skip-confidence", action="store_true")
    parser.add_argument("--skip-anchoring", action="store_true")
    args = parser.parse_args()
    samples = A.TrainRankerUnpickler(args.cache.open("rb")).load()["samples"]
    for s in samples:
        s.matrix = feature_matrix(s.found.expansion, s.found.fused, s.found.case_scores)
    base = cross_validated(samples, FEATURES)
    report: dict[str, object] = json.loads(args.out.read_text()) if args.out.exists() else {}
    report |= {
        "questions": len(samples),
        "with_answering_candidate": sum(bool(s.labels.any()) for s in samples),
        "yes_no_questions": sum(bool(YES_NO.search(s.question.question)) for s in samples),
        "linear": A.compare(samples, base, base),
    }
    if not args.skip_features:
        extended = [copy.copy(s) for s in samples]
        for s in extended:
            s.matrix = np.column_stack([s.matrix, within_judgment(s), yes_no(s)])
        T.FEATURES = ranker_module.FEATURES = (*FEATURES, *EXTRA)  # the rankers read these
        try:
            for label, extra in VARIANTS.items():
                ranks = cross_validated(extended, [*FEATURES, *extra])
                report[label] = A.compare(extended, base, ranks)
                print(label, report[label]["metrics"], file=sys.stderr)
        finally:
            T.FEATURES = ranker_module.FEATURES = FEATURES
    if not args.skip_widen:
        for judgments in WIDEN:
            wide = widened(samples, args.store, judgments)
            ranks = cross_validated(wide, FEATURES)
            report[f"widened to {judgments} judgment(s)"] = {
                "with_answering_candidate": sum(bool(s.labels.any()) for s in wide),
                "mean_candidates": round(float(np.mean([len(s.labels) for s in wide])), 1),
                **A.compare(wide, base, ranks),
            }
            print(judgments, report[f"widened to {judgments} judgment(s)"], file=sys.stderr)
    if not args.skip_anchoring:
        report["anchoring"] = anchoring(samples, base)
        print(report["anchoring"], file=sys.stderr)
    if not args.skip_confidence:
        report["ranker confidence as a no-answer signal"] = ranker_confidence(samples, args.store)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
