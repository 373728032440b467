"""Metadata parsed from the plain text of open-data decisions, checked against their fields.

    .venv/bin/python bench/metadata_text.py [--corpus ../shared/corpus-open]
                                            [--split dev|frozen|all] [--show-misses]

For each record of `corpus-open` (JSON records and DILA XML) that has a text, the text alone is
parsed as a .txt document would be (`parse_judgment` on a RawDocument of format "txt"), and
the parsed metadata is compared with the record's own fields:

- date right: the parsed date is the record's date (ISO). Sources whose record dates are year
  placeholders (every date a 1 January: BE/CourConstitutionnelle, BE/APD) and timestamps that
  are not decision dates (FR/AMF) have no date to check and do not count.
- court found: the parsed court names the record's court (`court` / `jurisdiction` /
  `juridiction` field, else the court the source publishes, e.g. FR/CdesC -> Cour des comptes),
  both brought to one canonical name; a parsed court that names a country (by its name or by
  the parsed country) must name the record's.
- number found, of those in the text: the same among the records whose number the text
  writes (its letters and digits in order, separated by nothing or by spaces . / -): what a
  parser that never guesses can reach; numbers the text never states (Légifrance bodies of
  French administrative decisions, without their header) only lower the first figure.
- number found: one of the record's number fields (case_number, number, numero, role_number,
  arret_nr, decision_number, docket_number, numeros_affaires; DILA NUMERO_AFFAIRE), without
  punctuation, is the parsed decision or docket number, one of its tokens or one part of a
  token ("119/2025" holds "119").
- country right: the parsed country (`meta.country`, else `ingest.metadata.find_country` when
  parse.py does not set it yet) is the country of the source.

Only records that have the field count in each denominator. The split lists are in
eval/metadata/{dev,frozen}.txt (sha1 of the file name, ~40 % frozen): tune on dev only.
Writes bench/metadata_text.json (repository-relative paths only) and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest import metadata as md  # noqa: E402
from ingest.dates import DATE_RE, fold, to_iso  # noqa: E402
from ingest.parse import parse_judgment  # noqa: E402
from ingest.read import RawDocument  # noqa: E402

SPLITS = ROOT / "eval" / "metadata"
NUMBER_FIELDS = ("case_number", "number", "numero", "role_number", "arret_nr",
                 "decision_number", "docket_number", "numeros_affaires")
PLACEHOLDER_DATES = {"BE/CourConstitutionnelle", "BE/APD", "FR/AMF"}

# Source -> report group (the issue's groups first).
GROUPS = (
    ("FR Cour de cassation (CASS, Judilibre, DILA)", ("FR/CASS", "FR/Judilibre", "DILA/CASS")),
    ("FR Conseil d'État and administrative courts", ("FR/CouncilState", "FR/CE-Fiscal")),
    ("BE Cour de cassation (2 sources)", ("BE/CASS", "BE/CourCassation-Fiscal")),
    ("BE cours et tribunaux du travail", ("BE/CourTravail",)),
    ("LU courts", ("LU/Courts",)),
    ("LU Cour de cassation", ("LU/SupremeCourt",)),
    ("LU tax tribunal", ("LU/TribAdmin-TaxDecisions",)),
    ("FR Conseil constitutionnel", ("FR/ConseilConstitutionnel",)),
    ("BE Cour constitutionnelle", ("BE/CourConstitutionnelle",)),
    ("BE Conseil d'État", ("BE/ConseilEtat",)),
)
OTHER_GROUP = "other (regulators, CNDA, Cour des comptes, MC, CI, TN, CH, international)"
ISSUE_GROUPS = {name for name, _ in GROUPS[:6]}

# The court a source publishes, for records without a court field.
SOURCE_COURT = {
    "FR/CNDA": "Cour nationale du droit d'asile",
    "FR/CdesC": "Cour des comptes",
    "FR/ADLC": "Autorité de la concurrence",
    "FR/AMF": "Autorité des marchés financiers",
    "FR/AMF_Sanctions": "Autorité des marchés financiers",
    "FR/CRE": "Commission de régulation de l'énergie",
    "FR/DefenseurDesDroits": "Défenseur des droits",
    "FR/DefenseurDroits": "Défenseur des droits",
    "BE/APD": "Autorité de protection des données",
    "INTL/BeneluxCourt": "Cour de justice Benelux",
    "FR/ConseilConstitutionnel": "Conseil constitutionnel",
}
COUNTRY_NAMES = {"france": "FR", "belgique": "BE", "belgium": "BE", "luxembourg": "LU",
                 "monaco": "MC", "canada": "CA", "suisse": "CH", "switzerland": "CH"}


# --- reading the corpus -------------------------------------------------------------------


def dila_record(path: Path) -> dict[str, Any]:
    """The fields and plain text of a DILA XML decision (CONTENU in light HTML)."""
    root = ET.parse(path).getroot()

    def value(tag: str) -> str:
        node = root.find(f".//{tag}")
        return (node.text or "").strip() if node is not None else ""

    content = root.find(".//CONTENU")
    raw = ET.tostring(content, encoding="unicode") if content is not None else ""
    raw = re.sub(r"^<CONTENU[^>]*>|</CONTENU>$", "", raw.strip())
    text = re.sub(r"<br\s*/?>\n?", "\n", raw)
    text = re.sub(r"</?p\b[^>]*>", "\n\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    numbers = [n.text.strip() for n in root.iter("NUMERO_AFFAIRE") if n.text]
    return {"_source": "DILA/CASS", "date": value("DATE_DEC"), "court": value("JURIDICTION"),
            "ecli": value("ECLI"), "numeros_affaires": numbers, "text": text}


def load(corpus: Path, name: str) -> dict[str, Any]:
    path = corpus / name
    if name.endswith(".xml"):
        return dila_record(path)
    record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return record


def split_files(split: str) -> list[str]:
    names: list[str] = []
    for part in (("dev", "frozen") if split == "all" else (split,)):
        names += (SPLITS / f"{part}.txt").read_text(encoding="utf-8").split()
    return sorted(names)


def group_of(source: str) -> str:
    for name, sources in GROUPS:
        if source in sources:
            return name
    return OTHER_GROUP


# --- ground truth and comparison -----------------------------------------------------------


def source_country(record: dict[str, Any]) -> str:
    prefix = record["_source"].split("/", 1)[0]
    if prefix == "DILA":
        return "FR"
    if prefix in ("FR", "BE", "LU", "MC", "CI", "TN", "CH"):
        return prefix
    jurisdiction = fold(str(record.get("jurisdiction") or ""))
    return COUNTRY_NAMES.get(jurisdiction, "")


def record_court(record: dict[str, Any]) -> tuple[str, str]:
    """(court as the record names it, how it was found)."""
    for field in ("court", "juridiction", "jurisdiction"):
        value = record.get(field)
        if isinstance(value, str) and value and value not in ("labour_law",) \
                and fold(value) not in COUNTRY_NAMES:
            if field == "jurisdiction" and value == "cc":
                return "Cour de cassation", field
            if field == "jurisdiction" and value == "tribunal-premiere-instance":
                return "Tribunal de première instance", field
            return value, field
    court = SOURCE_COURT.get(record["_source"], "")
    return court, "source" if court else ""


_CITY_AFTER = re.compile(
    r"^(cour du travail|tribunal du travail|tribunal de premiere instance|justice de paix"
    r"|tribunal d'arrondissement|tribunal de l'entreprise|tribunal de commerce"
    r"|tribunal administratif|cour d'appel|cour administrative d'appel)\s+(?!de |d'|du )"
    r"([a-z][\w' -]*?)$"
)
_COUNTRY_SUFFIX = (
    (r"\s+(?:de|du royaume de) belgique$", "BE"),
    (r"\s+du grand-duche de luxembourg$", "LU"),
    (r"\s+\(luxembourg\)$", "LU"),
)
_ALIASES = {
    "section du contentieux": "conseil d'etat",
    "belgian council of state": "conseil d'etat",
    "belgian constitutional court": "cour constitutionnelle",
    "constitutional court": "cour constitutionnelle",
    "cour de justice benelux": "cour de justice benelux",
    "cour benelux": "cour de justice benelux",
    "benelux-gerechtshof": "cour de justice benelux",
}


def _own_canonical(court: str) -> tuple[str, str]:
    """(canonical court key, country the name states) — this bench's own normalisation."""
    name = fold(court).replace("’", "'").replace("`", "'")
    name = re.sub(r"\s*\([^)]*\)", "", name)  # "(Commercial Court Rodez)", "(CCJA)"
    name = re.sub(r"^(?:france|canada|belgique|luxembourg),\s*", "", name)
    name = re.sub(r"\s+", " ", name).strip(" ,.")
    country = ""
    for pattern, code in _COUNTRY_SUFFIX:
        if re.search(pattern, name):
            name, country = re.sub(pattern, "", name), code
    if name.startswith("csj/") or name.startswith("cour superieure de justice"):
        # Luxembourg "CSJ/04. Chambre": the Cour d'appel's chambers of the Cour supérieure
        name, country = "cour d'appel", "LU"
    name = re.sub(r"\s*[-/].*chambre.*$", "", name)  # "Tribunal administratif - 1e chambre"
    name = re.sub(r"\s+(?:commerce|civil|penal)$", "", name)
    name = re.sub(r"\s+-\s+.*$", "", name)
    name = _ALIASES.get(name, name)
    match = _CITY_AFTER.match(name)
    if match:
        city = match.group(2)
        name = f"{match.group(1)} {'d' + chr(39) if city[:1] in 'aeiouyh' else 'de '}{city}"
    if name.startswith(("tribunal administratif", "cour administrative")) and country == "LU":
        name = name.split(" de ", 1)[0].split(" du ", 1)[0]
    return name, country


def canonical(court: str, country: str = "", hint: str = "") -> tuple[str, str]:
    """(canonical court key, country): `ingest.courts.canonical_court` when it exists, else
    this bench's own normalisation."""
    try:
        from ingest.courts import canonical_court  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        name, stated = _own_canonical(court)
        return name, stated or country
    name, code = canonical_court(court, country, hint)
    return fold(name), code


def same_court(parsed: str, parsed_country: str, record: str, country: str,
               hint: str = "") -> bool:
    """The parsed court (with the parsed country, when any) names the record's court (with
    the country and hints of the record). A parsed country must be the record's."""
    if not parsed:
        return False
    want, want_country = canonical(record, country, hint)
    got, got_country = canonical(parsed, parsed_country)
    if got_country and want_country and got_country != want_country:
        return False
    return got == want


def _norm(number: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", fold(number).upper())


def number_candidates(parsed: str) -> set[str]:
    out = {_norm(parsed)} if parsed else set()
    for token in re.findall(r"[A-Za-z0-9]+(?:[./-][A-Za-z0-9]+)*", parsed):
        out.add(_norm(token))
        out.update(_norm(part) for part in re.split(r"[./-]", token))
    out.discard("")
    return out


def number_in_text(number: str, text: str, tokens: set[str]) -> bool:
    """The record's number is written in the text: as one of its tokens, or its letters and
    digits in order with only spaces or . / - between them ("A 2022/02")."""
    if _norm(number) in tokens:
        return True
    runs = re.findall(r"[0-9A-Za-z]+", fold(number))
    if not runs:
        return False
    pattern = r"(?<![0-9A-Za-z])" + r"[\s./-]*".join(map(re.escape, runs)) + r"(?![0-9A-Za-z])"
    return re.search(pattern, fold(text), re.IGNORECASE) is not None


def record_numbers(record: dict[str, Any]) -> list[str]:
    numbers: list[str] = []
    for field in NUMBER_FIELDS:
        value = record.get(field)
        values = value if isinstance(value, list) else [value]
        for v in values:
            if v not in (None, "") and _norm(str(v)):
                numbers.append(str(v))
    return numbers


def parse_text(name: str, text: str) -> tuple[Any, str]:
    raw = RawDocument(path=Path(name).with_suffix(".txt"), format="txt", text=text, warnings=())
    judgment = parse_judgment(raw, source_path=Path(name).with_suffix(".txt").name)
    meta = judgment.meta
    country = getattr(meta, "country", "")
    if not country and hasattr(md, "find_country"):
        header_end = max(min(len(judgment.text), 6000), 0)
        country = md.find_country(judgment.text, header_end, meta.court)
    return meta, country


def evaluate(corpus: Path, split: str) -> list[dict[str, Any]]:
    rows = []
    for name in split_files(split):
        record = load(corpus, name)
        text = record.get("text") or ""
        if not text.strip():
            continue
        meta, country = parse_text(name, text)
        source = record["_source"]
        want_country = source_country(record)
        row: dict[str, Any] = {"file": name, "source": source, "group": group_of(source)}
        date = str(record.get("date") or "")[:10]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) and source not in PLACEHOLDER_DATES:
            row["date"] = {"want": date, "got": meta.date, "ok": meta.date == date,
                           "in_text": date in {to_iso(m) for m in DATE_RE.finditer(text)}}
        court, how = record_court(record)
        hint = " ".join(str(record.get(k) or "") for k in ("_source", "ecli", "court_code"))
        if court:
            row["court"] = {"want": court, "from": how, "got": meta.court,
                            "ok": same_court(meta.court, country, court, want_country, hint)}
        numbers = record_numbers(record)
        tokens = number_candidates(text) if numbers else set()
        if numbers:
            candidates = number_candidates(meta.decision_number) | number_candidates(
                meta.docket_number)
            row["number"] = {"want": numbers, "got": [meta.decision_number, meta.docket_number],
                             "ok": any(_norm(n) in candidates for n in numbers),
                             "in_text": any(number_in_text(n, text, tokens) for n in numbers)}
        if want_country:
            row["country"] = {"want": want_country, "got": country, "ok": country == want_country}
        rows.append(row)
    return rows


FIELDS = ("date", "court", "number", "country")


def summarise(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["group"]].append(row)
        groups["all"].append(row)
        if row["group"] in ISSUE_GROUPS:
            groups["the issue's six groups"].append(row)
    order = [name for name, _ in GROUPS] + [OTHER_GROUP, "the issue's six groups", "all"]
    out: dict[str, dict[str, Any]] = {}
    for name in order:
        members = groups.get(name, [])
        if not members:
            continue
        entry: dict[str, Any] = {"n": len(members)}
        for field in FIELDS:
            have = [r[field]["ok"] for r in members if field in r]
            entry[field] = {"ok": sum(have), "n": len(have)}
            if field in ("date", "number"):
                entry[field]["in_text"] = sum(r[field]["in_text"] for r in members if field in r)
            if field == "number":  # found among the numbers the text states
                entry[field]["ok_in_text"] = sum(r[field]["ok"] and r[field]["in_text"]
                                                 for r in members if field in r)
        out[name] = entry
    return out


def table(summary: dict[str, dict[str, Any]]) -> str:
    lines = ["| source | n | date right | court found | number found | number found, of those "
             "in the text | country right | date / number in the text |",
             "|---|---|---|---|---|---|---|---|"]

    def cell(ok: int, n: int) -> str:
        return f"{100 * ok / n:.0f} % ({ok}/{n})" if n else "–"

    for name, entry in summary.items():
        cells = [cell(entry[field]["ok"], entry[field]["n"]) for field in FIELDS]
        number = entry["number"]
        cells.insert(3, cell(number["ok_in_text"], number["in_text"]))
        stated = f"{entry['date']['in_text']} / {number['in_text']}"
        lines.append(f"| {name} | {entry['n']} | " + " | ".join(cells) + f" | {stated} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus-open")
    parser.add_argument("--split", choices=("dev", "frozen", "all"), default="dev")
    parser.add_argument("--show-misses", action="store_true",
                        help="list each miss (refused for the frozen split)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "metadata_text.json")
    args = parser.parse_args()
    rows = evaluate(args.corpus, args.split)
    summary = summarise(rows)
    print(table(summary))
    if args.show_misses:
        if args.split != "dev":
            sys.exit("--show-misses is for the dev split only")
        for row in rows:
            for field in FIELDS:
                if field in row and not row[field]["ok"]:
                    print(f"{row['file']}\t{field}\twant {row[field]['want']!r}\t"
                          f"got {row[field]['got']!r}")
    try:
        corpus_shown = str(args.corpus.resolve().relative_to(ROOT.resolve()))
    except ValueError:
        corpus_shown = "../shared/corpus-open" if args.corpus.resolve() == (
            ROOT.parent / "shared" / "corpus-open").resolve() else args.corpus.name
    result: dict[str, Any] = {"corpus": corpus_shown, "split": args.split, "summary": summary}
    if args.split == "dev":
        result["rows"] = rows
    out = args.out if args.out.is_absolute() else ROOT / args.out
    existing: dict[str, Any] = {}
    if out.exists():
        try:
            existing = json.loads(out.read_text(encoding="utf-8"))
        except ValueError:
            existing = {}
    existing[args.split] = result
    out.write_text(json.dumps(existing, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
