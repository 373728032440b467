"""Check a store built from ../shared/corpus-open against the records themselves.

    LEGAL_ASSISTANT_EMBEDDINGS=hash .venv/bin/legal-assistant ingest ../shared/corpus-open \\
        --store /tmp/open-store
    .venv/bin/python bench/open_data_check.py /tmp/open-store [../shared/corpus-open]

For every file of INDEX.tsv: is a judgment stored for it (or is it reported as a duplicate of
one that is), does the stored court equal the record's court field (as published, put
through `ingest.courts.canonical_court`) — or, for a record without a court field, the court
its source publishes —, does the stored date equal the record's date, and is the record's
summary (sommaire, abstract, analyse...) absent from the stored text (the stored text is the
record's decision text, canonicalised, and nothing else). Prints the numbers and
every mismatch; exit status 1 when a court, date or text differs without a stated reason.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repository's `ingest` package, not bench/ingest.py

from ingest.canonical import canonicalize  # noqa: E402
from ingest.courts import canonical_court  # noqa: E402
from ingest.open_data import OpenRecord, read_records  # noqa: E402
from store.errors import InputFileError  # noqa: E402
from store.store import Store  # noqa: E402


def main(argv: list[str]) -> int:
    store_path = Path(argv[0] if argv else "/tmp/open-store")
    corpus = Path(argv[1] if len(argv) > 1 else "../shared/corpus-open")
    store = Store.open(store_path, "", check_model=False)
    metas = {Path(m.source_path).resolve(): m for m in store.judgments()}
    index = list(csv.DictReader((corpus / "INDEX.tsv").open(encoding="utf-8"), delimiter="\t"))
    counts: Counter[str] = Counter()
    problems: list[str] = []
    courts: Counter[tuple[str, str, str]] = Counter()
    for row in index:
        path = (corpus / row["file"]).resolve()
        try:
            record = read_records(path).records[0]
        except InputFileError as exc:
            counts["refused by the reader"] += 1
            print("REFUSED", exc)
            continue
        meta = metas.get(path)
        if meta is None:
            # a duplicate: another file holds a judgment with this record's court and number
            counts["duplicate (no own entry)"] += 1
            continue
        counts["stored"] += 1
        source = row["source"]
        expected_court, expected_country = canonical_court(row["court"], _country(path),
                                                           f"{source} {row['ecli']}".strip())
        if row["court"]:
            counts["record has a court field"] += 1
        courts[(source, row["court"], meta.court)] += 1
        if meta.court == record.meta.court and (meta.court == expected_court or not row["court"]):
            counts["court = record's court"] += 1
        else:
            problems.append(f"court {row['file']}: stored {meta.court!r}, record "
                            f"{row['court']!r} -> {expected_court!r}")
        if not meta.court:
            counts["no court (record has none, text names none)"] += 1
        if meta.country == expected_country or (not row["court"] and meta.country):
            counts["country as expected"] += 1
        if meta.date == row["date"]:
            counts["date = record's date"] += 1
        elif row["date"].endswith("-01-01") and meta.date:
            counts["date: record's YYYY-01-01 replaced by the text's date"] += 1
        elif not row["date"] and meta.date:
            counts["date: record has none, from the text"] += 1
        elif not row["date"]:
            counts["date: none (record has none, text states none)"] += 1
        else:
            problems.append(f"date {row['file']}: stored {meta.date!r}, record {row['date']!r}")
        if record.meta.summary:
            counts["has a summary (kept apart)"] += 1
        text = store.judgment(meta.id).text
        if text == canonicalize(record.text).text and not _summary_block(text, record):
            counts["stored text = the record's decision text, no summary in it"] += 1
        else:
            problems.append(f"text {row['file']}: not the record's decision text")
    for key, value in sorted(counts.items()):
        print(f"{value:5d}  {key}")
    print(f"{len(index):5d}  files in INDEX.tsv, {len(metas)} judgments in the store")
    print("\ncourt field as published -> stored court (files):")
    for (source, raw, stored), n in sorted(courts.items()):
        print(f"  {n:3d}  {source:28s} {raw!r:60s} -> {stored!r}")
    for line in problems:
        print("PROBLEM", line)
    return 1 if problems else 0


def _summary_block(text: str, record: OpenRecord) -> bool:
    """Whether a labelled summary block of the record ("SOMMAIRE:", its titrage) is in `text`."""
    if "\nSOMMAIRE:" in text or "[PRINCIPAL]" in text:
        return True
    titrage = [p.split(" : ", 1)[1] for p in record.meta.summary.split("\n\n")
               if p.startswith("Titrage : ") and len(p) > 40]
    return any(t[:60] in text for t in titrage)


def _country(path: Path) -> str:
    if path.suffix != ".json":
        return ""
    value = json.loads(path.read_text(encoding="utf-8"))
    country = value.get("country") or ""
    jurisdiction = value.get("jurisdiction") or ""
    return country or (jurisdiction if len(jurisdiction) > 2 else "")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
