"""Issue tags at decision level: precision and recall per tag and overall on a label set, and the
share of evidence spans that are exact slices of the stored judgment text (must be 1.0).

    .venv/bin/python bench/tags.py --labels eval/tags_dev.jsonl --store STORE \\
        --labels eval/tags_dev2.jsonl --store STORE2 --out bench/tags-dev.json \\
        [--fit --c 100 --negative-weight 3 --min-windows 2 \\
         --windows eval/tag_windows.jsonl --window-weight 1] [--params FILE] [--model e5]

Each store must hold its set's labelled decisions (`legal-assistant ingest data/corpus --store
STORE`); a label's `file` is matched to the judgment whose source path ends with it.

Without --fit the tagger runs as the product runs it (`tag_store` with
assistant/data/issue_tags-v1.json): use this for a frozen set, once per round.
With --fit the classifier is learned from the taxonomy (C = --c), the untagged decisions'
windows (--negative-weight) and the labelled windows (--windows), and cross-validated by
decision (see `fit`); a second CV over the labelled windows gives their out-of-fold average
precision. The threshold maximising F0.5 over the out-of-fold decision scores, the classifier
learned from everything and their provenance are then written to --params.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.issue_tags import (  # noqa: E402
    PARAMS_PATH,
    IssueClassifier,
    IssueTag,
    LabelledWindows,
    TaggerParams,
    Taxonomy,
    fit_classifier,
    load_params,
    load_taxonomy,
    tag_store,
)
from store.embeddings import make_embeddings  # noqa: E402
from store.sentences import sentence_windows  # noqa: E402
from store.store import Store  # noqa: E402

BETA = 0.5  # the threshold's objective weighs precision twice as much as recall


def load_labels(path: Path) -> dict[str, set[str]]:
    labels: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            labels[item["file"]] = set(item["tags"])
    return labels


def match_judgments(store: Store, files: list[str]) -> dict[str, str]:
    """Label file -> judgment id (the judgment whose source path ends with the file)."""
    found: dict[str, list[str]] = {f: [] for f in files}
    for meta in store.judgments():
        source = meta.source_path.split("#", 1)[0].replace("\\", "/")
        for f in files:
            if source == f or source.endswith("/" + f):
                found[f].append(meta.id)
    bad = {f: ids for f, ids in found.items() if len(ids) != 1}
    if bad:
        sys.exit(f"labelled files not matched to exactly one judgment of the store: {bad}")
    return {f: ids[0] for f, ids in found.items()}


def counts(pred: set[tuple[str, str]], gold: set[tuple[str, str]], issue: str | None) -> dict:
    p = {x for x in pred if issue is None or x[1] == issue}
    g = {x for x in gold if issue is None or x[1] == issue}
    tp, fp, fn = len(p & g), len(p - g), len(g - p)
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
    }


def table(pred: set[tuple[str, str]], gold: set[tuple[str, str]], taxonomy: Taxonomy) -> dict:
    return {
        "overall": counts(pred, gold, None),
        "per_tag": {i: counts(pred, gold, i) for i in taxonomy.ids},
    }


def f_beta(pred: set[tuple[str, str]], gold: set[tuple[str, str]]) -> float:
    tp = len(pred & gold)
    if tp == 0:
        return 0.0
    p, r = tp / len(pred), tp / len(gold)
    return (1 + BETA**2) * p * r / (BETA**2 * p + r)


def best_threshold(best: dict[tuple[str, str], float], gold: set[tuple[str, str]]) -> float:
    """The threshold maximising F0.5 of (decision, issue) pairs; ties go to the higher one."""
    chosen, score = 1.0, -1.0
    for th in sorted(set(best.values()), reverse=True):
        value = f_beta({k for k, v in best.items() if v >= th}, gold)
        if value > score:
            chosen, score = th, value
    return chosen


@dataclass
class LabelSet:
    name: str
    store: Store
    judgment_of: dict[str, str]  # label file -> judgment id
    gold: set[tuple[str, str]]  # (judgment id, issue)


FOLDS = 10


@dataclass
class WindowLabels:
    """Labelled windows (`eval/tag_windows.jsonl`): each window's decision file, vector and
    issues."""

    files: list[str]
    vectors: np.ndarray
    tags: list[frozenset[str]]

    def subset(self, keep: list[bool]) -> LabelledWindows:
        rows = [n for n, k in enumerate(keep) if k]
        return LabelledWindows(self.vectors[rows], tuple(self.tags[n] for n in rows))


def load_window_labels(path: Path, embeddings) -> WindowLabels:
    """The labelled windows, embedded as passages (the side of the stored window vectors)."""
    items = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    vectors = np.asarray(embeddings.embed_documents([i["text"] for i in items]), dtype=np.float32)
    return WindowLabels([i["file"] for i in items], vectors,
                        [frozenset(i["tags"]) for i in items])  # fmt: skip


def folds_of(decisions: list[str], gold: set[tuple[str, str]]) -> dict[str, int]:
    """Decision -> fold (FOLDS folds by decision): decisions sorted by their number of labels,
    then by id, dealt out in turn, so that the labelled ones spread over the folds."""
    labelled = {j: sum(1 for g in gold if g[0] == j) for j in decisions}
    order = sorted(decisions, key=lambda j: (-labelled[j], j))
    return {j: n % FOLDS for n, j in enumerate(order)}


def decision_windows(store: Store, jid: str, embeddings) -> np.ndarray:
    """The decision's window vectors (stored, or embedded now for a chunk stored without)."""
    chunks = store.chunks_of(jid)
    stored = store.sentence_vectors([c.id for c in chunks])
    rows: list[np.ndarray] = []
    for chunk in chunks:
        spans = sentence_windows(chunk.text)
        vectors = stored.get(chunk.id)
        if spans and (vectors is None or len(vectors) != len(spans)):
            texts = [chunk.text[s.start : s.end] for s in spans]
            vectors = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
        if spans:
            rows.append(np.asarray(vectors, dtype=np.float32))
    return np.vstack(rows) if rows else np.zeros((0, 0), dtype=np.float32)


class _Memo:
    """An embedder that embeds each text once."""

    def __init__(self, embeddings) -> None:
        self.embeddings = embeddings
        self.seen: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        new = [t for t in dict.fromkeys(texts) if t not in self.seen]
        if new:
            self.seen |= dict(zip(new, self.embeddings.embed_documents(new), strict=True))
        return [self.seen[t] for t in texts]


def decision_scores(
    classifier: IssueClassifier, windows: dict[str, np.ndarray], min_windows: int
) -> dict[tuple[str, str], float]:
    """(decision, issue) -> the decision's min_windows-th best window probability of the issue."""
    best: dict[tuple[str, str], float] = {}
    for jid, vectors in windows.items():
        p = classifier.probabilities(vectors) if len(vectors) else None
        for k, issue in enumerate(classifier.issue_ids):
            column = np.sort(p[:, k]) if p is not None else np.zeros(0)
            best[(jid, issue)] = float(column[-min_windows]) if len(column) >= min_windows else 0.0
    return best


def fit(
    sets: list[LabelSet],
    embeddings,
    model_id: str,
    taxonomy: Taxonomy,
    c: float,
    negative_weight: float,
    min_windows: int,
    labelled: WindowLabels | None = None,
    window_weight: float = 0.0,
) -> tuple[dict, TaggerParams]:
    """Cross-validation by decision over the pooled sets, then the final parameters.

    In each of FOLDS folds by decision, the classifier is learned from the taxonomy plus (when
    negative_weight > 0) the windows of the other folds' decisions that carry no label, as
    background; the fold's decisions are scored with it. The threshold that tags a fold is the
    one maximising F0.5 on the other folds' (out-of-fold) scores. Pooled counts are the CV
    figures, also given per set. Labelled windows (`labelled`) of a decision in the left-out
    fold are left out of that fold's classifier. The final classifier learns from everything;
    its threshold is the one maximising F0.5 over all the out-of-fold scores."""
    gold = set().union(*(s.gold for s in sets))
    embeddings = _Memo(embeddings)  # the taxonomy is embedded once for the FOLDS + 1 fits
    windows = {j: decision_windows(s.store, j, embeddings) for s in sets
               for j in s.judgment_of.values()}  # fmt: skip
    fold = folds_of(sorted(windows), gold)
    untagged = {j for j in windows if not any(g[0] == j for g in gold)}

    def negatives(exclude: int | None) -> np.ndarray | None:
        if negative_weight <= 0:
            return None
        chosen = [windows[j] for j in sorted(untagged) if fold[j] != exclude and len(windows[j])]
        return np.vstack(chosen) if chosen else None

    fold_of_file = {f: fold[j] for s in sets for f, j in s.judgment_of.items()}

    def windows_outside(exclude: int | None) -> LabelledWindows | None:
        if labelled is None:
            return None
        return labelled.subset([fold_of_file.get(f, -1) != exclude for f in labelled.files])

    def learn(exclude: int | None) -> IssueClassifier:
        return fit_classifier(taxonomy, embeddings, c, negatives(exclude), negative_weight,
                              windows_outside(exclude), window_weight)  # fmt: skip

    out_of_fold: dict[tuple[str, str], float] = {}
    for f in range(FOLDS):
        classifier = learn(f)
        held = {j: v for j, v in windows.items() if fold[j] == f}
        out_of_fold |= decision_scores(classifier, held, min_windows)
    cv_pred: set[tuple[str, str]] = set()
    thresholds = []
    for f in range(FOLDS):
        train = {k: v for k, v in out_of_fold.items() if fold[k[0]] != f}
        th = best_threshold(train, {g for g in gold if fold[g[0]] != f})
        thresholds.append(th)
        cv_pred |= {k for k, v in out_of_fold.items() if fold[k[0]] == f and v >= th}
    classifier = learn(None)
    # the threshold is fitted on the out-of-fold scores, not on the final classifier's own: that
    # classifier has learned from the labelled decisions' windows, so its scores of them are
    # higher than those of a decision it has not seen
    threshold = best_threshold(out_of_fold, gold)
    params = TaggerParams(1, c, round(threshold, 4), model_id, taxonomy.digest, classifier,
                          negative_weight, min_windows,
                          window_weight if labelled is not None else 0.0)  # fmt: skip
    cv = {
        "scheme": f"{FOLDS} folds by decision, pooled over {', '.join(s.name for s in sets)}",
        "objective": f"F{BETA}",
        "thresholds": {
            "min": round(min(thresholds), 4),
            "max": round(max(thresholds), 4),
            "median": round(float(np.median(thresholds)), 4),
        },
        **table(cv_pred, gold, taxonomy),
        "windows": window_cv(
            labelled,
            sets,
            windows,
            untagged,
            taxonomy,
            embeddings,
            c,
            negative_weight,
            window_weight,
            threshold,
        )
        if labelled is not None
        else None,
        "per_set": {
            s.name: table(
                {p for p in cv_pred if p[0] in set(s.judgment_of.values())}, s.gold, taxonomy
            )
            for s in sets
        },  # fmt: skip
    }
    return cv, params


def window_cv(
    labelled: WindowLabels,
    sets: list[LabelSet],
    windows: dict[str, np.ndarray],
    untagged: set[str],
    taxonomy: Taxonomy,
    embeddings,
    c: float,
    negative_weight: float,
    window_weight: float,
    threshold: float,
) -> dict:
    """Passage-level CV: the labelled windows in FOLDS folds by decision file; each fold's
    windows are scored by a classifier learned without them (nor the fold's decisions as
    background) and tagged at `threshold`. Precision and recall over (window, issue) pairs."""
    files = sorted(set(labelled.files))
    positives = {f: sum(bool(t) for g, t in zip(labelled.files, labelled.tags, strict=True)
                        if g == f) for f in files}  # fmt: skip
    order = sorted(files, key=lambda f: (-positives[f], f))
    fold = {f: n % FOLDS for n, f in enumerate(order)}
    file_of = {j: f for s in sets for f, j in s.judgment_of.items()}
    pred: set[tuple[str, str]] = set()
    gold = {(str(n), t) for n, tags in enumerate(labelled.tags) for t in tags}
    scored: dict[tuple[str, str], float] = {}
    for g in range(FOLDS):
        chosen = [windows[j] for j in sorted(untagged)
                  if fold.get(file_of[j], -1) != g and len(windows[j])]  # fmt: skip
        negatives = np.vstack(chosen) if chosen and negative_weight > 0 else None
        train = labelled.subset([fold[f] != g for f in labelled.files])
        classifier = fit_classifier(taxonomy, embeddings, c, negatives, negative_weight, train,
                                    window_weight)  # fmt: skip
        rows = [n for n, f in enumerate(labelled.files) if fold[f] == g]
        p = classifier.probabilities(labelled.vectors[rows])
        for r, n in enumerate(rows):
            for k, issue in enumerate(taxonomy.ids):
                scored[(str(n), issue)] = float(p[r, k])
                if p[r, k] >= threshold:
                    pred.add((str(n), issue))
    return {"scheme": f"{FOLDS} folds by decision over {len(labelled.files)} windows of "
            f"{len(files)} decisions, tagged at the fitted threshold",
            **ranking_quality(scored, gold), **table(pred, gold, taxonomy)}  # fmt: skip


def ranking_quality(scored: dict[tuple[str, str], float], gold: set[tuple[str, str]]) -> dict:
    """How well out-of-fold probabilities rank the (window, issue) pairs, whatever the
    threshold: average precision over all pairs, and the precision of the 50 highest."""
    order = sorted(scored, key=lambda k: -scored[k])
    truth = np.array([k in gold for k in order], dtype=float)
    ap = float(average_precision_score(truth, [scored[k] for k in order])) if truth.any() else 0.0
    top = float(truth[:50].mean())
    return {"average_precision": round(ap, 4), "precision_at_50": round(top, 4)}


def write_params(path: Path, params: TaggerParams, fitted_on: dict) -> None:
    assert params.classifier is not None
    data = {
        "version": params.version,
        "about": "Issue tagger parameters written by bench/tags.py --fit (issue 14): the "
        "classifier's C, the window probability from which a passage is tagged (threshold, "
        "cross-validated by decision), the windows of a decision that must reach it "
        "(min_windows), and the classifier learned for model_id from the taxonomy plus, as "
        "background with weight negative_weight, the windows of the labelled decisions that carry "
        "no issue. A changed taxonomy or another model relearns the classifier at run time from "
        "the taxonomy alone.",
        "c": params.c,
        "threshold": params.threshold,
        "min_windows": params.min_windows,
        "negative_weight": params.negative_weight,
        "window_weight": params.window_weight,
        "model_id": params.model_id,
        "taxonomy_digest": params.taxonomy_digest,
        "fitted_on": fitted_on,
        "classifier": params.classifier.to_json(),
    }
    path.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")


def shown_arguments(argv: list[str]) -> list[str]:
    """The arguments as the result file records them: a path inside the repository relative to
    it, one outside (a store in a temporary folder) by its option's name, never a machine path."""
    shown = []
    for previous, token in zip(["", *argv], argv, strict=False):
        if previous.startswith("--") and not token.startswith("--"):
            path = Path(token).resolve()
            if path.is_relative_to(ROOT):
                token = str(path.relative_to(ROOT))
            elif Path(token).is_absolute() or previous == "--store":
                token = previous[2:].upper()
        shown.append(token)
    return shown


def locate(text: str, quote: str) -> tuple[int, int] | None:
    at = text.find(quote)
    return (at, at + len(quote)) if at >= 0 else None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--labels",
        type=Path,
        action="append",
        required=True,
        help="a label set; repeat with one --store each, pooled in order",
    )
    parser.add_argument("--store", type=Path, action="append", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--model", default="e5", help="the store's embedding model (spec)")
    parser.add_argument("--fit", action="store_true", help="cross-validate and write --params")
    parser.add_argument("--c", type=float, default=10.0, help="classifier C (with --fit)")
    parser.add_argument(
        "--negative-weight",
        type=float,
        default=0.0,
        help="weight of the untagged decisions' windows in the background "
        "(with --fit; 0: the taxonomy's texts only)",
    )
    parser.add_argument(
        "--min-windows",
        type=int,
        default=1,
        help="windows of a decision that must reach the threshold (with --fit)",
    )
    parser.add_argument(
        "--windows",
        type=Path,
        help="labelled windows the classifier also learns from (with --fit): "
        "eval/tag_windows.jsonl",
    )
    parser.add_argument(
        "--window-weight", type=float, default=1.0, help="weight of each labelled window"
    )
    parser.add_argument("--params", type=Path, default=PARAMS_PATH)
    args = parser.parse_args()

    if len(args.labels) != len(args.store):
        parser.error("give one --store per --labels")
    taxonomy = load_taxonomy()
    embeddings, model_id = make_embeddings(args.model)
    sets: list[LabelSet] = []
    for labels_path, store_path in zip(args.labels, args.store, strict=True):
        store = Store.open(store_path, model_id)
        labels = load_labels(labels_path)
        judgment_of = match_judgments(store, sorted(labels))
        gold = {(judgment_of[f], t) for f, tags in labels.items() for t in tags}
        sets.append(LabelSet(labels_path.stem, store, judgment_of, gold))
    gold = set().union(*(s.gold for s in sets))
    result: dict = {
        "command": "python bench/tags.py " + " ".join(shown_arguments(sys.argv[1:])),
        "date": datetime.date.today().isoformat(),
        "labels": [p.name for p in args.labels],
        "decisions": sum(len(s.judgment_of) for s in sets),
        "labelled_tags": len(gold),
        "model_id": model_id,
    }
    if args.fit:
        labelled = load_window_labels(args.windows, embeddings) if args.windows else None
        cv, params = fit(sets, embeddings, model_id, taxonomy, args.c, args.negative_weight,
                         args.min_windows, labelled, args.window_weight)  # fmt: skip
        write_params(
            args.params,
            params,
            {
                "labels": result["labels"],
                "decisions": result["decisions"],
                "date": result["date"],
                "cv": cv["overall"],
            },
        )
        result["cv"] = cv
    params = load_params(args.params)
    result.update(
        {
            "c": params.c,
            "threshold": params.threshold,
            "negative_weight": params.negative_weight,
            "min_windows": params.min_windows,
            "window_weight": params.window_weight,
        }
    )
    # the product path: tag_store over each whole store, restricted to the labelled decisions
    tags: list[IssueTag] = []
    texts: dict[str, str] = {}
    chunk_span: dict[str, tuple[int, int]] = {}
    for s in sets:
        labelled = set(s.judgment_of.values())
        found = [t for t in tag_store(s.store, embeddings, taxonomy=taxonomy, params=params)
                 if t.judgment_id in labelled]  # fmt: skip
        tags += found
        texts |= {jid: s.store.judgment(jid).text for jid in labelled}
        for t in found:
            chunk = s.store.chunk(t.chunk_id)
            chunk_span[t.chunk_id] = (chunk.char_start, chunk.char_end)
    pred = {(t.judgment_id, t.issue_id) for t in tags}
    exact = [texts[t.judgment_id][t.char_start : t.char_end] == t.evidence for t in tags]
    key = "fit_on_all" if args.fit else "result"
    result[key] = table(pred, gold, taxonomy)
    result[key]["per_set"] = {
        s.name: table({p for p in pred if p[0] in set(s.judgment_of.values())}, s.gold, taxonomy)
        for s in sets
    }
    result["evidence_exact_slices"] = {
        "tags": len(tags),
        "share": round(sum(exact) / len(exact), 3) if exact else None,
    }
    # does a correctly tagged decision show its evidence in the passage the labeller quoted?
    agree, located = 0, 0
    for labels_path, s in zip(args.labels, sets, strict=True):
        for line in labels_path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            jid = s.judgment_of[item["file"]]
            for issue, quote in item["evidence"].items():
                span = locate(texts[jid], quote)
                if span is None or (jid, issue) not in pred:
                    continue
                located += 1
                agree += any(
                    t.judgment_id == jid
                    and t.issue_id == issue
                    and chunk_span[t.chunk_id][0] < span[1]
                    and span[0] < chunk_span[t.chunk_id][1]
                    for t in tags
                )
    result["true_tags_with_labelled_passage"] = {"located": located, "agree": agree}
    file_of = {j: f for s in sets for f, j in s.judgment_of.items()}
    result["false_positives"] = sorted(
        {
            (file_of[j], i, max(t.score for t in tags if (t.judgment_id, t.issue_id) == (j, i)))
            for j, i in pred - gold
        }
    )
    result["false_negatives"] = sorted((file_of[j], i) for j, i in gold - pred)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(markdown(result, taxonomy))


def markdown(result: dict, taxonomy: Taxonomy) -> str:
    main_key = "result" if "result" in result else "fit_on_all"
    cv = result.get("cv")
    sets = list(cv["per_set"]) if cv else []
    header = "| tag | labelled | precision | recall |"
    if cv:
        header += " CV precision | CV recall |" + "".join(f" CV P {n} | CV R {n} |" for n in sets)
    lines = [header, "|---" * (header.count("|") - 1) + "|"]
    for issue in (*taxonomy.ids, None):
        cells = [
            "**overall**" if issue is None else issue,
            str(_row(result[main_key], issue)["tp"] + _row(result[main_key], issue)["fn"]),
            *_pr(_row(result[main_key], issue)),
        ]
        if cv:
            cells += _pr(_row(cv, issue))
            for n in sets:
                cells += _pr(_row(cv["per_set"][n], issue))
        lines.append("| " + " | ".join(cells) + " |")
    lines.append(
        f"\nthreshold {result['threshold']}, C {result['c']}, min_windows "
        f"{result['min_windows']}, negative_weight {result['negative_weight']}; evidence exact "
        f"slices: {result['evidence_exact_slices']}"
    )
    return "\n".join(lines)


def _row(table_: dict, issue: str | None) -> dict:
    return table_["overall"] if issue is None else table_["per_tag"][issue]


def _pr(row: dict) -> list[str]:
    return [fmt(row["precision"], row["tp"] + row["fp"]), fmt(row["recall"], row["tp"] + row["fn"])]


def fmt(value: float | None, n: int) -> str:
    return "–" if value is None else f"{value:.2f} ({n})"


if __name__ == "__main__":
    main()
