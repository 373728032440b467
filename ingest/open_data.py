"""Read courts' open-data exports: JSON records, JSON Lines, DILA XML.

Formats, recognised by content (the extension only says where to look):
- a JSON record, one per file: the `legal-sources` record (`_source`, `text`, `court`,
  `date`, `ecli`, `case_number`...) or a Judilibre API decision (`text`, `zones`,
  `jurisdiction`, `chamber`, `decision_date`, `number`, `ecli`, `summary`, `themes`);
- JSON Lines: one such record per line (`.jsonl`, `.ndjson`, or a `.json` whose lines are
  records);
- DILA XML: `TEXTE_JURI_JUDI` (CASS, CAPP, INCA) and `TEXTE_JURI_ADMIN` (JADE).

`read_records(path)` returns a `RecordBatch`: typed `OpenRecord`s (decision text, metadata
from the record's fields, Judilibre zones) and, for JSON Lines, the lines that failed, each an
`InputFileError` naming "FILE:LINE". A file that cannot be used at all raises
`InputFileError(path, reason)`; reasons say what was expected and what was found.

The text is the decision as published; a sommaire, titrage, abstract or analyse is never put
into it: it goes to `RecordMeta.summary`, labelled ("Sommaire : ..."), to be shown as such and
never quoted as the court's words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.courts import canonical_chamber, canonical_court, country_code, split_court
from ingest.read import RECORD_EXTENSIONS, decode_text, read_bytes
from store.errors import InputFileError
from store.records import SectionKind

_LINES_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
DILA_ROOTS = ("TEXTE_JURI_JUDI", "TEXTE_JURI_ADMIN")

# Judilibre zones -> (section kind, section title)
ZONE_KINDS: dict[str, tuple[SectionKind, str]] = {
    "introduction": ("header", "Introduction"),
    "expose": ("facts", "Exposé du litige"),
    "moyens": ("claims", "Moyens"),
    "motivations": ("reasons", "Motivation"),
    "dispositif": ("operative", "Dispositif"),
    "annexes": ("other", "Annexes"),
}


@dataclass(frozen=True)
class Zone:
    """A Judilibre zone: `start`/`end` are offsets into `OpenRecord.text`."""

    name: str  # introduction, expose, moyens, motivations, dispositif, annexes
    start: int
    end: int

    @property
    def kind(self) -> SectionKind:
        return ZONE_KINDS.get(self.name, ("other", ""))[0]

    @property
    def title(self) -> str:
        return ZONE_KINDS.get(self.name, ("other", self.name.title()))[1]


@dataclass(frozen=True)
class RecordMeta:
    """A decision's metadata as its record states it ("" where the record says nothing).
    `court` is canonical (`ingest.courts.canonical_court`), `date` ISO, `summary` the labelled
    sommaire/titrage/abstract/analyse, kept apart from the text."""

    court: str = ""
    country: str = ""
    chamber: str = ""
    date: str = ""
    decision_number: str = ""
    docket_number: str = ""
    ecli: str = ""
    title: str = ""
    url: str = ""
    summary: str = ""


@dataclass(frozen=True)
class OpenRecord:
    """One decision of an open-data file."""

    path: Path
    source: str  # registry source path: str(path), or "path#key" for a record of JSON Lines
    line: int  # 1-based line in a JSON Lines file; 0 for a one-record file
    format: str  # "json", "jsonl", "dila"
    text: str  # the decision text as published (DILA: CONTENU as plain text)
    meta: RecordMeta
    zones: tuple[Zone, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        """'FILE' or 'FILE:LINE', for messages."""
        return f"{self.path}:{self.line}" if self.line else str(self.path)


@dataclass(frozen=True)
class RecordBatch:
    path: Path
    format: str  # "json", "jsonl", "dila"
    records: tuple[OpenRecord, ...]
    errors: tuple[InputFileError, ...] = ()  # failed lines of a JSON Lines file
    keys: tuple[str, ...] = field(default=())  # every record key of the file, failed ones too


# --- detection ------------------------------------------------------------------------------


def sniff(head: bytes) -> str:
    """'json', 'xml' or '' from the first bytes of a file (byte order mark skipped)."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text[:1] in (b"{", b"["):
        return "json"
    if text[:1] == b"<":
        low = text[:512].lower()
        if low.startswith(b"<!doctype html") or b"<html" in low:
            return ""
        return "xml"
    return ""


def is_record_file(path: Path) -> bool:
    """A file for `read_records`: an open-data extension, or a `.txt` that holds a JSON record
    or DILA XML (a misnamed export)."""
    suffix = path.suffix.lower()
    if suffix in RECORD_EXTENSIONS:
        return True
    if suffix != ".txt":
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError:
        return False
    kind = sniff(head)
    if kind == "json":
        return head.lstrip(b"\xef\xbb\xbf").lstrip()[:2] in (b'{"', b"{\n", b"{\r", b"{ ")
    return kind == "xml" and any(root.encode() in head for root in DILA_ROOTS)


# --- reading --------------------------------------------------------------------------------


def read_records(path: Path, max_bytes: int = 50_000_000) -> RecordBatch:
    """The decisions of an open-data file. Raises InputFileError when the file cannot be used
    at all; a JSON Lines file reports its bad lines in `errors` and keeps the others."""
    path = Path(path)
    data = read_bytes(path, max_bytes)
    kind = sniff(data[:2048])
    suffix = path.suffix.lower()
    named = {".xml": "xml", ".json": "json", ".jsonl": "json", ".ndjson": "json"}.get(suffix)
    warnings: tuple[str, ...] = ()
    if kind and named and kind != named:
        warnings = (f"named {suffix} but holds {'XML' if kind == 'xml' else 'JSON'}",)
    if kind == "xml":
        return RecordBatch(path, "dila", (_dila_record(path, data, warnings),))
    if kind == "json":
        return _json_batch(path, data, warnings, lines=suffix in _LINES_EXTENSIONS)
    if not data.strip():
        raise InputFileError(str(path), "empty file")
    start = data.lstrip(b"\xef\xbb\xbf").lstrip()[:40].decode("utf-8", "replace")
    raise InputFileError(
        str(path),
        "not an open-data record: expected a JSON record ('{...}' with a \"text\" field), "
        f"JSON Lines or DILA XML (<TEXTE_JURI_JUDI>, <TEXTE_JURI_ADMIN>); found {start!r}",
    )


def _json_batch(path: Path, data: bytes, warnings: tuple[str, ...], *, lines: bool) -> RecordBatch:
    text, decode_warnings = decode_text(data)
    warnings = warnings + tuple(decode_warnings)
    if not lines:
        try:
            value = json.loads(text)
        except json.JSONDecodeError as whole_error:
            if not _looks_like_lines(text):
                raise InputFileError(
                    str(path), f"malformed JSON: {whole_error.msg} at line {whole_error.lineno}"
                    f" column {whole_error.colno}") from whole_error
        else:
            if isinstance(value, dict):
                record = _json_record(value, path, 0, str(path), warnings)
                return RecordBatch(path, "json", (record,), keys=(str(path),))
            raise InputFileError(
                str(path), f"unknown record shape: expected one JSON object (a decision record) "
                f"or JSON Lines (one object per line); found a JSON {_json_type(value)}")
    records: list[OpenRecord] = []
    errors: list[InputFileError] = []
    keys: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(InputFileError(where, f"malformed JSON: {exc.msg} at column "
                                                f"{exc.colno}"))
            keys.append(f"{path}#L{number}")
            continue
        key = _record_key(value) if isinstance(value, dict) else ""
        source = f"{path}#{key}" if key and key not in seen else f"{path}#L{number}"
        seen.add(key)
        keys.append(source)
        if not isinstance(value, dict):
            errors.append(InputFileError(where, f"unknown record shape: expected a JSON object "
                                                f"per line; found a JSON {_json_type(value)}"))
            continue
        try:
            records.append(_json_record(value, path, number, source, warnings))
        except InputFileError as exc:
            errors.append(exc)
    if not records and not errors:
        raise InputFileError(str(path), "empty file: no JSON record found")
    return RecordBatch(path, "jsonl", tuple(records), tuple(errors), tuple(keys))


def _looks_like_lines(text: str) -> bool:
    """Several JSON objects, one per line (the first two non-blank lines each parse)."""
    found = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            return False
        if not isinstance(value, dict):
            return False
        found += 1
        if found == 2:
            return True
    return False


def _json_type(value: Any) -> str:
    return {list: "array", str: "string", int: "number", float: "number", bool: "boolean",
            type(None): "null", dict: "object"}.get(type(value), type(value).__name__)


def _record_key(value: dict[str, Any]) -> str:
    """A record's own identifier, to name it in the registry ('' when it has none)."""
    for name in ("_id", "id", "ecli"):
        key = value.get(name)
        if isinstance(key, str | int) and str(key).strip():
            return re.sub(r"[^\w.:-]+", "_", str(key).strip())[:120]
    return ""


# --- JSON records ---------------------------------------------------------------------------

# Fields that hold the decision text, and fields that show a record is a decision (to tell
# "a decision record without text" from "not a decision record").
_TEXT_FIELDS = ("text", "texte", "content", "full_text")
_DECISION_FIELDS = frozenset({
    "court", "jurisdiction", "juridiction", "date", "decision_date", "ecli", "number", "numero",
    "case_number", "title", "_source", "chamber", "formation", "zones",
})  # fmt: skip
# Summary fields in display order, with their label.
_SUMMARY_FIELDS = (
    ("sommaire", "Sommaire"),
    ("summary", "Sommaire"),
    ("titlesAndSummaries", "Sommaire"),
    ("abstract", "Résumé"),
    ("analyse", "Analyse"),
    ("sanction_summary", "Résumé de la sanction"),
    ("titrage", "Titrage"),
    ("themes", "Titrage"),
)
_DECISION_NUMBER_FIELDS = ("decision_number", "arret_nr", "numero", "judgment_number",
                           "decision_id", "document_id", "doc_number", "number")
_DOCKET_FIELDS = ("docket_number", "case_number", "role_number", "numeros_affaires",
                  "numbers", "reference")
_JUDILIBRE_JURISDICTIONS = {"cc": "Cour de cassation", "ca": "Cour d'appel",
                            "tj": "Tribunal judiciaire", "tcom": "Tribunal de commerce"}


def _json_record(value: dict[str, Any], path: Path, line: int, source: str,
                 warnings: tuple[str, ...]) -> OpenRecord:
    where = f"{path}:{line}" if line else str(path)
    text_field = next((name for name in _TEXT_FIELDS if name in value), "")
    text = value.get(text_field) if text_field else None
    if not text_field and not (_DECISION_FIELDS & value.keys()):
        shown = ", ".join(sorted(value)[:12]) or "none"
        raise InputFileError(where, "unknown record shape: expected a decision record with a "
                             f"\"text\" field (legal-sources or Judilibre); found fields: {shown}")
    if not isinstance(text, str) or not text.strip():
        found = "no \"text\" field" if not text_field else f"\"{text_field}\" is empty" if (
            isinstance(text, str) or text is None) else f"\"{text_field}\" is a {_json_type(text)}"
        raise InputFileError(where, f"record without text: expected the decision text in "
                             f"\"text\"; found {found}")
    notes = list(warnings)
    summary = _summary(value)
    text = _without_summary(text, summary, where, notes)
    judilibre = "zones" in value or (
        str(value.get("jurisdiction", "")).lower() in _JUDILIBRE_JURISDICTIONS
        and "decision_date" in value) or str(value.get("_source", "")) == "FR/Judilibre"
    meta = _json_meta(value, judilibre, notes, summary)
    zones = _zones(value.get("zones"), len(text), notes) if judilibre else ()
    return OpenRecord(path=path, source=source, line=line, format="jsonl" if line else "json",
                      text=text, meta=meta, zones=zones, warnings=tuple(notes))


def _first(value: dict[str, Any], names: tuple[str, ...]) -> str:
    for name in names:
        got = _as_text(value.get(name))
        if got:
            return got
    return ""


def _as_text(raw: Any) -> str:
    """A field as one line of text: lists joined with ', ', None/bool/'None'/'[]' -> ''."""
    if raw is None or isinstance(raw, bool):
        return ""
    if isinstance(raw, list):
        return ", ".join(t for t in (_as_text(x) for x in raw) if t)
    if isinstance(raw, dict):
        return ""
    text = re.sub(r"\s+", " ", str(raw)).strip()
    return "" if text in ("None", "null", "[]", "{}") else text


def _json_meta(value: dict[str, Any], judilibre: bool, notes: list[str],
               summary: str) -> RecordMeta:
    source = _as_text(value.get("_source"))
    ecli = _as_text(value.get("ecli")).upper() if _as_text(value.get("ecli")) else ""
    raw_court = _as_text(value.get("court")) or _as_text(value.get("juridiction"))
    jurisdiction = _as_text(value.get("jurisdiction"))
    country = _as_text(value.get("country"))
    if len(jurisdiction) > 2 and country_code(jurisdiction):  # "France", not Judilibre "cc"
        country = country or jurisdiction
    elif jurisdiction and not raw_court and not re.search(r"_law$", jurisdiction):
        raw_court = jurisdiction
    if judilibre and raw_court.lower() in _JUDILIBRE_JURISDICTIONS:
        raw_court = _judilibre_court(raw_court.lower(), _as_text(value.get("location")))
    hierarchy = value.get("hierarchy")
    codes = [_as_text(value.get("court_code"))]
    if isinstance(hierarchy, list) and len(hierarchy) > 1:
        codes.append(_as_text(hierarchy[1]))
    if _as_text(value.get("document_type")).lower() == "jurisprudences":
        source = ""  # a court's judgment republished by an authority: not the authority's own
        raw_court = raw_court or _author_court(value.get("authors"))
    hint = " ".join(t for t in (source, ecli, *codes) if t)
    court_part, chamber_in_court = split_court(raw_court)
    court, country = canonical_court(court_part, country, hint)

    chamber = _as_text(value.get("chamber")) or _as_text(value.get("formation"))
    chamber = canonical_chamber(chamber) or chamber_in_court

    date = _iso_date(_as_text(value.get("decision_date")) or _as_text(value.get("date")), notes)
    decision = "" if judilibre else _first(value, _DECISION_NUMBER_FIELDS)
    docket = _first(value, _DOCKET_FIELDS)
    if judilibre:
        docket = _as_text(value.get("number")) or _as_text(value.get("numbers")) or docket
    if docket and docket in (_as_text(value.get("volume")), _as_text(value.get("volume_roman"))):
        docket = ""  # RIAA: the volume of the reports, not a case number
    docket = _docket(docket, court, country)
    title = _as_text(value.get("title")).lstrip("| ").strip()
    url = _as_text(value.get("url"))
    return RecordMeta(court=court, country=country, chamber=chamber, date=date,
                      decision_number=decision, docket_number=docket, ecli=ecli, title=title,
                      url=url, summary=summary)


_SUMMARY_BLOCK = re.compile(r"\n[ \t]*SOMMAIRE[ \t]*:[ \t]*\n")


def _without_summary(text: str, summary: str, where: str, notes: list[str]) -> str:
    """The decision text without the record's summary: a "SOMMAIRE:" block that closes the
    text and repeats the record's sommaire (Légifrance CASS records) is cut off; a text that
    opens with the record's summary is only a summary (a Belgian 'fiche' without the
    decision) and is refused."""
    if not summary:
        return text
    bodies = [_flat(part.split(" : ", 1)[-1]) for part in summary.split("\n\n")]
    bodies = [b for b in bodies if b]
    flat_text = _flat(text)
    if any(flat_text.startswith(body[:300]) for body in bodies if len(body) >= 100):
        raise InputFileError(where, "record without decision text: its \"text\" is the "
                             "record's summary (abstract/sommaire), not the court's words")
    blocks = list(_SUMMARY_BLOCK.finditer(text))
    match = blocks[-1] if blocks else None
    if match and match.start() > len(text) // 2:
        block = _flat(re.sub(r"\[[A-Z]+\]", " ", text[match.end():]))
        if block and any(body[:200] in block or block[:200] in body for body in bodies):
            notes.append("the SOMMAIRE block at the end of the text is the record's summary: "
                         "kept apart from the decision text")
            return text[: match.start()].rstrip()
    return text


def _author_court(raw: Any) -> str:
    """The court a republished judgment names as its author: the Défenseur des droits writes
    `authors` "Cour européenne des droits de l'homme\n, Auteur" (a list, or one string)."""
    authors = raw if isinstance(raw, list) else [raw]
    for author in authors:
        name = re.sub(r"\s*,\s*(?:Auteur|Author)\s*$", "", _as_text(author), flags=re.IGNORECASE)
        if re.match(r"(?i:cour|tribunal|conseil)\b", name):
            return name
    return ""


def _judilibre_court(code: str, location: str) -> str:
    base = _JUDILIBRE_JURISDICTIONS[code]
    if code == "cc" or not location:
        return base
    place = re.sub(r"^(?:ca|tj|tcom)_?", "", location.lower()).replace("_", "-")
    small = {"en", "sur", "de", "la", "le", "les", "lès", "du", "des", "aux", "au"}
    city = "-".join(p if p in small else p.capitalize() for p in place.split("-") if p)
    return f"{base} {'d' + chr(39) if city[:1] in 'AEIOUYH' else 'de '}{city}" if city else base


def _iso_date(raw: str, notes: list[str]) -> str:
    """'2023-10-25', '2025-12-12T09:25:21+00:00', '25/10/2023', '25.10.2023' -> ISO; DILA's
    '2999-01-01' (no date) and anything else -> '' (with a note when something was there)."""
    if not raw:
        return ""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", raw)
    if match:
        year, month, day = match.groups()
    else:
        match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", raw)
        if not match:
            notes.append(f"record date {raw!r} not understood")
            return ""
        day, month, year = match.group(1).zfill(2), match.group(2).zfill(2), match.group(3)
    if year >= "2900" or not ("01" <= month <= "12" and "01" <= day <= "31"):
        notes.append(f"record date {raw!r} is not a date")
        return ""
    return f"{year}-{month}-{day}"


_POURVOI = re.compile(r"^(?:[A-Z]\s+)?(\d{2})-?(\d{2})\.?(\d{3})$")


def _docket(raw: str, court: str, country: str) -> str:
    """French Cour de cassation pourvois as the text parser writes them ('pourvoi n°
    24-18.329'); other numbers as published."""
    if court == "Cour de cassation" and country in ("", "FR"):
        numbers = [p.strip() for p in raw.split(",") if p.strip()]
        normal = []
        for number in numbers:
            match = _POURVOI.match(number)
            if not match:
                return raw
            normal.append(f"{match.group(1)}-{match.group(2)}.{match.group(3)}")
        if normal:
            return ("pourvois n° " if len(normal) > 1 else "pourvoi n° ") + ", ".join(normal)
    return raw


_BRACKET_LABELS = {"PRINCIPAL": "Titrage", "REFERENCE": "Titrage", "ANALYSE": "Sommaire"}


def _summary(value: dict[str, Any]) -> str:
    parts: list[tuple[str, str]] = []
    for name, label in _SUMMARY_FIELDS:
        raw = value.get(name)
        if name == "titlesAndSummaries" and isinstance(raw, list):
            raw = [_as_text(x.get("summary")) for x in raw if isinstance(x, dict)]
        text = _block_text(raw)
        if text and re.match(r"\[[A-Z]+\]", text):  # "[PRINCIPAL] ...\n[ANALYSE] ..."
            for tag, body in re.findall(r"\[([A-Z]+)\]\s*([^[]*)", text):
                if body.strip():
                    parts.append((_BRACKET_LABELS.get(tag, label), body.strip()))
        elif text:
            parts.append((label, text))
    return join_summary(parts)


def _block_text(raw: Any) -> str:
    """A summary field as text, its line breaks kept ('[]', 'None' -> '')."""
    if isinstance(raw, list):
        return "\n".join(t for t in (_block_text(x) for x in raw) if t)
    if raw is None or isinstance(raw, bool | dict):
        return ""
    text = str(raw).strip()
    if text in ("None", "null", "[]", "{}", "''"):
        return ""
    if re.fullmatch(r"\[\s*'.*'\s*\]", text, re.DOTALL):  # "['banque']": a list as a string
        text = ", ".join(re.findall(r"'([^']*)'", text))
    lines = [re.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in text.splitlines()]
    return "\n".join(ln for ln in lines if ln)


def join_summary(parts: list[tuple[str, str]]) -> str:
    """'Label : text' blocks separated by a blank line; a part that another part already holds
    is left out."""
    kept: list[tuple[str, str]] = []
    for label, text in parts:
        flat = _flat(text)
        if any(flat in _flat(other) for _, other in kept):
            continue
        kept = [(lb, t) for lb, t in kept if _flat(t) not in flat]
        kept.append((label, text))
    return "\n\n".join(f"{label} : {text}" for label, text in kept)


def _flat(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _zones(raw: Any, length: int, notes: list[str]) -> tuple[Zone, ...]:
    """Judilibre `zones` ({"motivations": [{"start": 10, "end": 99}], ...}) as Zones in text
    order; out-of-range or malformed fragments are dropped with a note."""
    if not isinstance(raw, dict):
        return ()
    zones: list[Zone] = []
    for name, fragments in raw.items():
        items = fragments if isinstance(fragments, list) else [fragments]
        for item in items:
            if not isinstance(item, dict):
                continue
            start, end = item.get("start"), item.get("end")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end
                    <= length):
                notes.append(f"zone {name} {start}-{end} outside the text: ignored")
                continue
            if name not in ZONE_KINDS:
                notes.append(f"unknown zone {name!r}: kept as 'other'")
            zones.append(Zone(str(name), start, end))
    zones.sort(key=lambda z: (z.start, z.end))
    kept: list[Zone] = []
    for zone in zones:
        if kept and zone.start < kept[-1].end:
            notes.append(f"zone {zone.name} overlaps zone {kept[-1].name}: ignored")
            continue
        kept.append(zone)
    return tuple(kept)


# --- DILA XML -------------------------------------------------------------------------------


def _dila_record(path: Path, data: bytes, warnings: tuple[str, ...]) -> OpenRecord:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc).split(" (line")[0]
        raise InputFileError(str(path), f"malformed XML: line {exc.lineno}: {message}") from exc
    tag = etree.QName(root).localname if isinstance(root.tag, str) else str(root.tag)
    if tag not in DILA_ROOTS:
        raise InputFileError(str(path), "unknown XML: expected a DILA decision (root "
                             f"<TEXTE_JURI_JUDI> or <TEXTE_JURI_ADMIN>); found root <{tag}>")
    contents = root.findall("./TEXTE/BLOC_TEXTUEL/CONTENU")
    text = "\n\n".join(t for t in (xml_text(c) for c in contents) if t.strip())
    if not text.strip():
        raise InputFileError(str(path), "record without text: expected the decision in "
                             "TEXTE/BLOC_TEXTUEL/CONTENU; found none")

    def get(xpath: str) -> str:
        node = root.find(xpath)
        return re.sub(r"\s+", " ", "".join(node.itertext())).strip() if node is not None else ""

    notes = list(warnings)
    record_id = get("./META/META_COMMUN/ID")
    raw_court = get("./META/META_SPEC/META_JURI/JURIDICTION")
    ecli = get(".//META_JURI_JUDI/ECLI") or get(".//META_JURI_ADMIN/ECLI") or get(".//ECLI")
    siege = get(".//META_JURI_JUDI/SIEGE_APPEL")
    if raw_court.lower() in ("cour d'appel", "cour d’appel") and siege:
        raw_court = f"Cour d'appel {'d' + chr(39) if siege[:1] in 'AEIOUYH' else 'de '}{siege}"
    court, country = canonical_court(raw_court, "FR", " ".join(t for t in (ecli,) if t))
    formation = get(".//META_JURI_JUDI/FORMATION") or get(".//META_JURI_ADMIN/FORMATION")
    number = get("./META/META_SPEC/META_JURI/NUMERO")
    affairs = [re.sub(r"\s+", " ", "".join(n.itertext())).strip()
               for n in root.findall(".//NUMEROS_AFFAIRES/NUMERO_AFFAIRE")]
    affairs = [a for a in affairs if a]
    if tag == "TEXTE_JURI_ADMIN":
        decision, docket = "", number  # the Conseil d'État cites its decisions by requête number
    else:
        decision, docket = number, _docket(", ".join(affairs), court, country)
        if docket and court.startswith("Cour d'appel") and re.fullmatch(r"\d{2}/\d{3,6}", docket):
            docket = f"RG {docket}"
    url = ""
    if re.fullmatch(r"JURITEXT\d+", record_id):
        url = f"https://www.legifrance.gouv.fr/juri/id/{record_id}"
    elif re.fullmatch(r"CETATEXT\d+", record_id):
        url = f"https://www.legifrance.gouv.fr/ceta/id/{record_id}"
    meta = RecordMeta(
        court=court, country=country, chamber=canonical_chamber(formation),
        date=_iso_date(get("./META/META_SPEC/META_JURI/DATE_DEC"), notes),
        decision_number=decision, docket_number=docket, ecli=ecli.upper(),
        title=get("./META/META_SPEC/META_JURI/TITRE"), url=url, summary=_dila_summary(root))
    return OpenRecord(path=path, source=str(path), line=0, format="dila", text=text, meta=meta,
                      warnings=tuple(notes))


def _dila_summary(root: Any) -> str:
    """SOMMAIRE: its titrage (SCT) and its abstracts (ANA), labelled; JADE's ABSTRATS/RESUME
    likewise."""
    parts: list[tuple[str, str]] = []
    for node in root.findall("./TEXTE/SOMMAIRE/SCT") + root.findall(".//ABSTRATS/*"):
        text = _block_text(xml_text(node))
        if text:
            parts.append(("Titrage", text))
    for node in root.findall("./TEXTE/SOMMAIRE/ANA") + root.findall(".//RESUME"):
        text = _block_text(xml_text(node))
        if text:
            parts.append(("Sommaire", text))
    return join_summary(parts)


def xml_text(node: Any) -> str:
    """Light HTML of a DILA CONTENU as plain text: `<br/>` -> newline (the source's own line
    break after it dropped), `<p>` -> a paragraph (blank line), other tags' text kept."""
    pieces: list[str] = []

    def walk(element: Any) -> None:
        name = element.tag.lower() if isinstance(element.tag, str) else ""
        if name == "p":
            pieces.append("\n\n")
        if element.text:
            pieces.append(element.text)
        for child in element:
            walk(child)
            child_name = child.tag.lower() if isinstance(child.tag, str) else ""
            tail = child.tail or ""
            if child_name == "br":
                pieces.append("\n")
                tail = tail[1:] if tail.startswith("\n") else tail
            pieces.append(tail)
        if name == "p":
            pieces.append("\n\n")

    walk(node)
    text = "".join(pieces)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
