"""Issue tags at decision level: precision and recall per tag and overall on a label set, and the
share of evidence spans that are exact slices of the stored judgment text (must be 1.0).

    .venv/bin/python bench/tags.py --labels eval/tags_dev.jsonl --store STORE \\
        --out bench/tags-dev.json [--fit] [--c 10] [--params FILE] [--model e5]

The store must hold the labelled decisions (`legal-assistant ingest data/corpus --store STORE`);
a label's `file` is matched to the judgment whose source path ends with it.

Without --fit the tagger runs as the product runs it (`tag_store` with
assistant/data/issue_tags-v1.json): use this for a frozen set, once.
With --fit the classifier is learned from the taxonomy (C = --c) and the one threshold is chosen
by cross-validation by decision: for each decision left out, the threshold maximising F0.5 on
the other decisions tags it; the pooled counts are the CV figures. The threshold fitted on all
decisions, the classifier and their provenance are then written to --params.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.issue_tags import (  # noqa: E402
    PARAMS_PATH,
    IssueTag,
    TaggerParams,
    Taxonomy,
    fit_classifier,
    load_params,
    load_taxonomy,
    tag_store,
    window_scores,
)
from store.embeddings import make_embeddings  # noqa: E402
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


def fit(
    store: Store,
    embeddings,
    model_id: str,
    taxonomy: Taxonomy,
    c: float,
    judgment_of: dict[str, str],
    gold: set[tuple[str, str]],
) -> tuple[dict, TaggerParams]:
    """Cross-validated threshold (leave one decision out) and the final parameters."""
    classifier = fit_classifier(taxonomy, embeddings, c)
    best: dict[tuple[str, str], float] = {}
    for jid in judgment_of.values():
        scored = window_scores(store, store.chunks_of(jid), classifier, embeddings)
        top = np.max([s.probabilities.max(axis=0) for s in scored], axis=0) if scored else None
        for k, issue in enumerate(taxonomy.ids):
            best[(jid, issue)] = float(top[k]) if top is not None else 0.0
    cv_pred: set[tuple[str, str]] = set()
    thresholds = []
    for held in judgment_of.values():
        train = {k: v for k, v in best.items() if k[0] != held}
        th = best_threshold(train, {g for g in gold if g[0] != held})
        thresholds.append(th)
        cv_pred |= {k for k, v in best.items() if k[0] == held and v >= th}
    threshold = best_threshold(best, gold)
    params = TaggerParams(1, c, round(threshold, 4), model_id, taxonomy.digest, classifier)
    fold = {
        "scheme": "leave one decision out",
        "objective": f"F{BETA}",
        "thresholds": {
            "min": round(min(thresholds), 4),
            "max": round(max(thresholds), 4),
            "median": round(float(np.median(thresholds)), 4),
        },
        **table(cv_pred, gold, taxonomy),
    }
    return fold, params


def write_params(path: Path, params: TaggerParams, fitted_on: dict) -> None:
    assert params.classifier is not None
    data = {
        "version": params.version,
        "about": "Issue tagger parameters written by bench/tags.py --fit (issue 14): the "
        "classifier's C, the window probability from which a passage is tagged (threshold, "
        "cross-validated by decision), and the classifier learned from the taxonomy for "
        "model_id. A changed taxonomy or another model relearns the classifier at run time.",
        "c": params.c,
        "threshold": params.threshold,
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
    parser.add_argument("--labels", type=Path, required=True)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--model", default="e5", help="the store's embedding model (spec)")
    parser.add_argument("--fit", action="store_true", help="cross-validate and write --params")
    parser.add_argument("--c", type=float, default=10.0, help="classifier C (with --fit)")
    parser.add_argument("--params", type=Path, default=PARAMS_PATH)
    args = parser.parse_args()

    taxonomy = load_taxonomy()
    embeddings, model_id = make_embeddings(args.model)
    store = Store.open(args.store, model_id)
    labels = load_labels(args.labels)
    judgment_of = match_judgments(store, sorted(labels))
    gold = {(judgment_of[f], t) for f, tags in labels.items() for t in tags}
    result: dict = {
        "command": "python bench/tags.py " + " ".join(shown_arguments(sys.argv[1:])),
        "date": datetime.date.today().isoformat(),
        "labels": args.labels.name,
        "decisions": len(labels),
        "labelled_tags": len(gold),
        "model_id": model_id,
    }
    if args.fit:
        cv, params = fit(store, embeddings, model_id, taxonomy, args.c, judgment_of, gold)
        write_params(
            args.params,
            params,
            {
                "labels": args.labels.name,
                "decisions": len(labels),
                "date": result["date"],
                "cv": cv["overall"],
            },
        )
        result["cv"] = cv
    params = load_params(args.params)
    result.update({"c": params.c, "threshold": params.threshold})
    # the product path: tag_store over the whole store, restricted to the labelled decisions
    labelled = set(judgment_of.values())
    tags: list[IssueTag] = [
        t
        for t in tag_store(store, embeddings, taxonomy=taxonomy, params=params)
        if t.judgment_id in labelled
    ]
    pred = {(t.judgment_id, t.issue_id) for t in tags}
    texts = {jid: store.judgment(jid).text for jid in labelled}
    exact = [texts[t.judgment_id][t.char_start : t.char_end] == t.evidence for t in tags]
    result["fit_on_all" if args.fit else "result"] = table(pred, gold, taxonomy)
    result["evidence_exact_slices"] = {
        "tags": len(tags),
        "share": round(sum(exact) / len(exact), 3) if exact else None,
    }
    # does a correctly tagged decision show its evidence in the passage the labeller quoted?
    raw = {
        json.loads(x)["file"]: json.loads(x)["evidence"]
        for x in args.labels.read_text(encoding="utf-8").splitlines()
        if x.strip()
    }
    agree, located = 0, 0
    for f, evidence in raw.items():
        jid = judgment_of[f]
        for issue, quote in evidence.items():
            span = locate(texts[jid], quote)
            if span is None or (jid, issue) not in pred:
                continue
            located += 1
            agree += any(
                t.judgment_id == jid
                and t.issue_id == issue
                and store.chunk(t.chunk_id).char_start < span[1]
                and span[0] < store.chunk(t.chunk_id).char_end
                for t in tags
            )
    result["true_tags_with_labelled_passage"] = {"located": located, "agree": agree}
    file_of = {j: f for f, j in judgment_of.items()}
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
    lines = [
        "| tag | labelled | precision | recall |"
        + (" CV precision | CV recall |" if "cv" in result else ""),
        "|---|---|---|---|" + ("---|---|" if "cv" in result else ""),
    ]
    for issue in (*taxonomy.ids, None):
        row = result[main_key]["overall"] if issue is None else result[main_key]["per_tag"][issue]
        name = "**overall**" if issue is None else issue
        cells = [
            name,
            str(row["tp"] + row["fn"]),
            fmt(row["precision"], row["tp"] + row["fp"]),
            fmt(row["recall"], row["tp"] + row["fn"]),
        ]
        if "cv" in result:
            cv = result["cv"]["overall"] if issue is None else result["cv"]["per_tag"][issue]
            cells += [
                fmt(cv["precision"], cv["tp"] + cv["fp"]),
                fmt(cv["recall"], cv["tp"] + cv["fn"]),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append(
        f"\nthreshold {result['threshold']}, C {result['c']}; evidence exact slices: "
        f"{result['evidence_exact_slices']}"
    )
    return "\n".join(lines)


def fmt(value: float | None, n: int) -> str:
    return "–" if value is None else f"{value:.2f} ({n})"


if __name__ == "__main__":
    main()
