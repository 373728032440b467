"""The damages table measured against labelled sums (eval/amounts_and_tags.md).

    .venv/bin/python bench/amounts.py --labels eval/amounts_dev.jsonl \
        --files eval/amounts_dev_files.txt --corpus data/corpus --out bench/amounts-dev.json
    .venv/bin/python bench/amounts.py --labels eval/amounts_dev2.jsonl \
        --files eval/amounts_dev2_files.txt --corpus ../shared/corpus-open \
        --out bench/amounts-dev2.json

Each listed decision is read and parsed as ingest does (`ingest.read` + `ingest.parse` for a
document; `ingest.open_data` + `judgment_from_record` for a JSON or XML record, every record of
a JSON Lines file) and `assistant.amounts.extraction` gives its rows. A label is found when a
row of the same file has the same value, currency and outcome; among several candidates the
pairing keeps the best agreement on head, creditor and debtor (each row pairs with one label).
Precision is over rows, recall over labels, overall and per outcome; per head, a row or label
counts only when its pair has the same head. Head, creditor and debtor accuracy are over the
found labels (parties compared with `amounts.party_key`: folded, article and legal form
dropped). Rows whose quote failed the verbatim check are dropped by the extractor and counted
(must be 0). `--show-errors` lists misses and extra rows (for development sets only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.amounts import HEADS, OUTCOMES, AmountRow, extraction, party_key  # noqa: E402
from ingest.pipeline import judgments_in_file  # noqa: E402

FIELDS = ("head", "creditor", "debtor")


def agree(label: dict[str, Any], row: AmountRow, field: str) -> bool:
    if field == "head":
        return bool(label["head"] == row.head)
    return party_key(label[field]) == party_key(getattr(row, field))


def pair(labels: list[dict[str, Any]], rows: list[AmountRow]) -> list[tuple[int, int]]:
    """(label index, row index) pairs of the same value, currency and outcome, the best
    agreement on the other fields first."""
    candidates = sorted(
        ((sum(agree(label, row, f) for f in FIELDS), i, j)
         for i, label in enumerate(labels) for j, row in enumerate(rows)
         if abs(label["value"] - row.value) < 0.005 and label["currency"] == row.currency
         and label["outcome"] == row.outcome),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    used_labels: set[int] = set()
    used_rows: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_labels and j not in used_rows:
            used_labels.add(i)
            used_rows.add(j)
            pairs.append((i, j))
    return pairs


def ratio(hit: int, total: int) -> float | None:
    return round(hit / total, 3) if total else None


def evaluate(labels: list[dict[str, Any]], files: list[str], corpus: Path,
             show_errors: bool) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    errors: list[dict[str, Any]] = []
    for name in files:
        mine = [label for label in labels if label["file"] == name]
        rows: list[AmountRow] = []
        for judgment in judgments_in_file(corpus / name):
            result = extraction(judgment)
            rows.extend(result.rows)
            counts["dropped"] += len(result.dropped)
        pairs = pair(mine, rows)
        found_labels = {i for i, _ in pairs}
        found_rows = {j for _, j in pairs}
        described: list[tuple[str, str, str, bool, dict[str, Any]]] = [
            ("label", label["outcome"], label["head"], k in found_labels, label)
            for k, label in enumerate(mine)]
        described += [("row", row.outcome, row.head, k in found_rows, row.to_dict())
                      for k, row in enumerate(rows)]
        for key, outcome, head, found, item in described:
            counts[f"{key}s"] += 1
            counts[f"{key}s:{outcome}"] += 1
            counts[f"{key}s:head:{head}"] += 1
            if found:
                counts[f"{key}s found"] += 1
                counts[f"{key}s found:{outcome}"] += 1
            elif show_errors:
                shown = {f: item[f] for f in ("value", "head", "outcome", "creditor", "debtor",
                                              "quote")}
                errors.append({"file": name, "missed" if key == "label" else "extra": shown})
        for i, j in pairs:
            for field in FIELDS:
                fields[field] += agree(mine[i], rows[j], field)
            if mine[i]["head"] == rows[j].head:
                counts[f"labels found:head:{rows[j].head}"] += 1
                counts[f"rows found:head:{rows[j].head}"] += 1
            if show_errors and not all(agree(mine[i], rows[j], f) for f in FIELDS):
                errors.append({"file": name, "label": mine[i], "row": {
                    f: getattr(rows[j], f) for f in ("value", *FIELDS, "outcome")}})
    matched = counts["labels found"]
    summary: dict[str, Any] = {
        "labels": counts["labels"], "rows": counts["rows"], "found": matched,
        "precision": ratio(counts["rows found"], counts["rows"]),
        "recall": ratio(counts["labels found"], counts["labels"]),
        "dropped_bad_quote": counts["dropped"],
        "per_outcome": {o: {"labels": counts[f"labels:{o}"], "rows": counts[f"rows:{o}"],
                            "precision": ratio(counts[f"rows found:{o}"], counts[f"rows:{o}"]),
                            "recall": ratio(counts[f"labels found:{o}"], counts[f"labels:{o}"])}
                        for o in OUTCOMES},
        "per_head": {h: {"labels": counts[f"labels:head:{h}"], "rows": counts[f"rows:head:{h}"],
                         "precision": ratio(counts[f"rows found:head:{h}"],
                                            counts[f"rows:head:{h}"]),
                         "recall": ratio(counts[f"labels found:head:{h}"],
                                         counts[f"labels:head:{h}"])}
                     for h in HEADS if counts[f"labels:head:{h}"] or counts[f"rows:head:{h}"]},
        "field_accuracy": {f: ratio(fields[f], matched) for f in FIELDS},
    }  # fmt: skip
    if show_errors:
        summary["errors"] = errors
    return summary


def table(summary: dict[str, Any]) -> str:
    def shown(value: float | None) -> str:
        return "–" if value is None else f"{value:.3f}"

    lines = ["| | labels | rows | precision | recall |", "|---|---:|---:|---:|---:|",
             f"| all | {summary['labels']} | {summary['rows']} | {shown(summary['precision'])} "
             f"| {shown(summary['recall'])} |"]
    for group in ("per_outcome", "per_head"):
        for name, s in summary[group].items():
            lines.append(f"| {name} | {s['labels']} | {s['rows']} | {shown(s['precision'])} "
                         f"| {shown(s['recall'])} |")
    accuracy = ", ".join(f"{f} {shown(v)}" for f, v in summary["field_accuracy"].items())
    lines += ["", f"field accuracy on the {summary['found']} found labels: {accuracy}",
              f"rows dropped for a quote that is not verbatim: {summary['dropped_bad_quote']}"]
    return "\n".join(lines)


def shown_path(path: Path) -> str:
    """The path relative to the repository ("../shared/corpus-open" for a sibling folder), never
    the machine's absolute path."""
    relative = os.path.relpath(path.resolve(), ROOT.resolve())
    return relative if relative.startswith(("..", "bench", "eval", "data")) else path.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labels", type=Path, required=True)
    parser.add_argument("--files", type=Path, required=True, help="the labelled files, one a line")
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, help="write the summary here (JSON)")
    parser.add_argument("--show-errors", action="store_true",
                        help="list misses, extra rows and field errors (development sets only)")
    args = parser.parse_args()
    labels = [json.loads(line) for line in args.labels.read_text(encoding="utf-8").splitlines()
              if line.strip()]
    files = [line.strip() for line in args.files.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    summary = evaluate(labels, files, args.corpus, args.show_errors)
    print(table(summary))
    for error in summary.get("errors", []):
        print(json.dumps(error, ensure_ascii=False))
    if args.out:
        result = {"command": "python bench/amounts.py " + " ".join(
                      f"--{k} {shown_path(v)}" for k, v in (
                          ("labels", args.labels), ("files", args.files),
                          ("corpus", args.corpus), ("out", args.out))),
                  "date": dt.date.today().isoformat(), "files": len(files), **summary}
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")


if __name__ == "__main__":
    main()
