"""European Case Law Identifiers (ECLI) found in a judgment's text.

An ECLI reads `ECLI:<country>:<court code>:<year>:<ordinal>`, e.g.
`ECLI:FR:CECHR:2024:470123.20240312` (Conseil d'État, decision 470123 of 12 March 2024),
`ECLI:BE:RVSCE:2026:ARR.265.501` (Belgian Conseil d'État, arrêt 265.501),
`ECLI:LU:TADM:2026:53864` (Luxembourg Tribunal administratif, rôle 53864).

`parse_ecli` reads one identifier; `own_ecli` finds the identifier of the judgment itself
among those its text holds (a judgment also cites others' ECLIs): one printed in the opening
lines, or repeated at the start of lines as a page footer, or closing the text. Court codes
map to the court names `ingest/metadata.py` and `ingest/courts.py` use; an unknown code
gives no court (never a guess). The date is read only from an ordinal that carries one
(`ARR.20251208.3F.4`, `492920.20260302`) and agrees with the ECLI's year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ECLI = re.compile(
    r"ECLI\s*:\s*(?P<country>[A-Z]{2})\s*:\s*(?P<court>[A-Z0-9]{1,7})\s*:\s*(?P<year>\d{4})"
    r"\s*:\s*(?P<ordinal>[A-Za-z0-9](?:[A-Za-z0-9.]{0,23}[A-Za-z0-9])?)",
)

# Court codes (country:code) -> canonical court name.
COURTS: dict[str, str] = {
    "FR:CCASS": "Cour de cassation",
    "FR:CC": "Conseil constitutionnel",
    "FR:CE": "Conseil d'État",
    "FR:CECHR": "Conseil d'État",
    "FR:CECHS": "Conseil d'État",
    "FR:CESEC": "Conseil d'État",
    "FR:CEASS": "Conseil d'État",
    "FR:CEORD": "Conseil d'État",
    "FR:CESJS": "Conseil d'État",
    "FR:CETC": "Tribunal des conflits",
    "BE:CASS": "Cour de cassation de Belgique",
    "BE:GHCC": "Cour constitutionnelle",
    "BE:RVSCE": "Conseil d'État (Belgique)",
    "LU:TADM": "Tribunal administratif",
    "LU:CADM": "Cour administrative",
    "EU:C": "Cour de justice de l'Union européenne",
    "EU:T": "Tribunal de l'Union européenne",
    "CE:ECHR": "Cour européenne des droits de l'homme",
}
# Belgian courts named after their seat: code prefix + seat code (CTBRL, AHANT, TTLIE...).
_BE_PLACED = {"CT": "Cour du travail", "AH": "Cour du travail", "TT": "Tribunal du travail",
              "AR": "Tribunal du travail", "CA": "Cour d'appel", "HB": "Cour d'appel"}
_BE_SEATS = {"BRL": "Bruxelles", "LIE": "Liège", "MON": "Mons", "ANT": "Anvers", "GEN": "Gand"}
# The ECLI "country" of supranational courts.
NO_COUNTRY = frozenset({"EU", "CE"})


@dataclass(frozen=True)
class Ecli:
    """One parsed ECLI."""

    country: str  # "FR", "BE", "LU"... ("EU", "CE" for the European courts)
    court_code: str  # "CECHR", "RVSCE", "TADM"...
    year: int
    ordinal: str  # "470123.20240312", "ARR.265.501"

    def __str__(self) -> str:
        return f"ECLI:{self.country}:{self.court_code}:{self.year}:{self.ordinal}"

    @property
    def court(self) -> str:
        """Canonical name of the court, "" for a code this table does not know."""
        name = COURTS.get(f"{self.country}:{self.court_code}")
        if name:
            return name
        if self.country == "BE" and len(self.court_code) == 5:
            kind = _BE_PLACED.get(self.court_code[:2])
            seat = _BE_SEATS.get(self.court_code[2:])
            if kind and seat:
                return f"{kind} de {seat}"
        return ""

    @property
    def date(self) -> str:
        """ISO date carried by the ordinal ("ARR.20251208.3F.4", "470123.20240312"), "" when
        it carries none or one that does not fall in the ECLI's year."""
        for match in re.finditer(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)", self.ordinal):
            year, month, day = (int(g) for g in match.groups())
            if year != self.year:
                continue
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                continue
        return ""

    @property
    def number(self) -> str:
        """The decision number the ordinal states, "" when it states none that courts cite:
        FR Conseil d'État '470123.20240312' -> '470123'; FR Conseil constitutionnel
        '2023.1045.QPC' -> '2023-1045 QPC', '93.1599.AN' -> '93-1599 AN'; BE Conseil d'État
        'ARR.265.501' -> '265.501'; BE Cour constitutionnelle '119' / 'ARR.037' -> '119/2025'
        / '37/1993'; LU administrative courts '53864' -> '53864'."""
        key = f"{self.country}:{self.court_code}"
        court = self.court
        ordinal = self.ordinal
        if court == "Conseil d'État" and self.country == "FR":
            match = re.fullmatch(r"(\d{4,7})(?:\.\d{8})?", ordinal)
            return match.group(1) if match else ""
        if key == "FR:CC":
            match = re.fullmatch(r"(\d{2,4})\.(\d{1,5})\.?([A-Z]{1,5})?", ordinal)
            if not match:
                return ""
            suffix = f" {match.group(3)}" if match.group(3) else ""
            return f"{match.group(1)}-{match.group(2)}{suffix}"
        if key == "BE:RVSCE":
            match = re.fullmatch(r"ARR\.?(\d{3}\.\d{3})", ordinal)
            return match.group(1) if match else ""
        if key == "BE:GHCC":
            match = re.fullmatch(r"(?:ARR\.?)?0*(\d{1,3})", ordinal)
            return f"{match.group(1)}/{self.year}" if match else ""
        if key in ("LU:TADM", "LU:CADM"):
            match = re.fullmatch(r"(\d{3,6}C?)", ordinal)
            return match.group(1) if match else ""
        return ""


def parse_ecli(text: str) -> Ecli | None:
    """The first ECLI written in `text` (spaces around the colons allowed), else None."""
    match = _ECLI.search(text)
    return _from_match(match) if match else None


def _from_match(match: re.Match[str]) -> Ecli:
    ordinal = match.group("ordinal").rstrip(".")
    return Ecli(country=match.group("country"), court_code=match.group("court"),
                year=int(match.group("year")), ordinal=ordinal)


def find_eclis(text: str) -> list[tuple[int, Ecli]]:
    """Every ECLI in `text` with its offset."""
    return [(m.start(), _from_match(m)) for m in _ECLI.finditer(text)]


_OPENING = 600  # an ECLI printed in the opening characters is the judgment's own
_CLOSING = 300  # ... and so is one that closes the text


def own_ecli(text: str) -> Ecli | None:
    """The ECLI of the judgment itself, None when the text does not state it.

    Counts only ECLIs printed in the opening characters, at the start of a line (page
    footers repeat the judgment's own ECLI there) or in the closing characters, never one in
    parentheses (a citation); a footer ECLI must come back at least twice. Among those, the
    one written most often wins, then one that opens a line in the closing characters (the
    last page's footer, kept when the others are dropped as page furniture), then the
    earliest."""
    found = find_eclis(text)
    if not found:
        return None
    counts: dict[str, int] = {}
    for _, ecli in found:
        counts[str(ecli)] = counts.get(str(ecli), 0) + 1
    line_starts: dict[str, int] = {}
    placed: dict[str, tuple[int, Ecli]] = {}
    closing: set[str] = set()  # at a line start in the closing characters: the last footer
    for start, ecli in found:
        before = text[max(0, start - 2):start]
        if "(" in before:
            continue
        key = str(ecli)
        at_line_start = start == 0 or text[:start].rstrip(" \t").endswith("\n")
        if at_line_start:
            line_starts[key] = line_starts.get(key, 0) + 1
        if start < _OPENING or start >= len(text) - _CLOSING or (
                at_line_start and line_starts[key] >= 2):
            placed.setdefault(key, (start, ecli))
        if at_line_start and start >= len(text) - _CLOSING:
            closing.add(key)
    if not placed:
        return None
    key = max(placed, key=lambda k: (counts[k], k in closing, -placed[k][0]))
    return placed[key][1]
