"""French dates as judgments write them: "24 janvier 2025", "1er juin 2021", "13.1.2011",
"12/05/2022", and in words: "vingt-quatre janvier deux mille vingt-cinq"."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11,
    "dec": 12,
}
_NUMBER_WORDS = {
    "zero": 0, "un": 1, "une": 1, "premier": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100, "mille": 1000,
    "mil": 1000,
}
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

_WORD = r"(?:premier|z[ée]ro|une?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize" \
        r"|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille|mil)"
_WORDS = rf"{_WORD}(?:(?:[\s-]+et)?[\s-]+{_WORD})*"
_MONTH = (r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre"
          r"|novembre|d[ée]cembre|janv\.?|f[ée]vr?\.?|avr\.?|juil\.?|sept\.?|oct\.?|nov\.?"
          r"|d[ée]c\.?)")
_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"

#: A date in letters or digits, e.g. "18 novembre 2020", "1er juin 2021", "13.1.2011",
#: "vingt-quatre janvier deux mille vingt-cinq". Use with re.IGNORECASE.
DATE_PATTERN = (
    rf"(?:(?:{_WEEKDAY})\s*,?\s+)?"
    rf"(?:(?P<d>\d{{1,2}})(?:er|e|°)?|(?P<dw>{_WORDS}))\s+(?P<m>{_MONTH})\s+"
    rf"(?P<y>\d{{4}}|{_WORDS})\b"
    rf"|(?P<nd>\d{{1,2}})[./](?P<nm>\d{{1,2}})[./](?P<ny>\d{{4}})\b"
)
DATE_RE = re.compile(DATE_PATTERN, re.IGNORECASE)


def fold(text: str) -> str:
    """Lowercase without accents, for comparisons."""
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).lower()


def words_to_number(words: str) -> int | None:
    """'vingt-quatre' -> 24, 'deux mille vingt-cinq' -> 2025, 'quatre-vingt-dix' -> 90."""
    tokens = [t for t in re.split(r"[\s-]+", fold(words).strip()) if t and t != "et"]
    if not tokens:
        return None
    total = 0
    current = 0
    previous = ""
    for token in tokens:
        value = _NUMBER_WORDS.get(token)
        if value is None:
            return None
        if value == 1000:
            total += (current or 1) * 1000
            current = 0
        elif value == 100:
            current = (current or 1) * 100
        elif value == 20 and previous == "quatre":
            current += 80 - 4
        else:
            current += value
        previous = token
    return total + current


def _month(name: str) -> int | None:
    return MONTHS.get(fold(name).rstrip("."))


def to_iso(match: re.Match[str]) -> str:
    """ISO date from a DATE_RE match, "" when the parts do not make a real date."""
    if match.group("nd"):
        day, month, year = int(match.group("nd")), int(match.group("nm")), int(match.group("ny"))
    else:
        day_num = int(match.group("d")) if match.group("d") else words_to_number(match.group("dw"))
        month_num = _month(match.group("m"))
        y = match.group("y")
        year_num = int(y) if y.isdigit() else words_to_number(y)
        if day_num is None or month_num is None or year_num is None:
            return ""
        day, month, year = day_num, month_num, year_num
    if not 1800 <= year <= 2100:
        return ""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


def parse_date(text: str) -> str:
    """ISO date of the first date written in `text`, "" when there is none."""
    for match in DATE_RE.finditer(text):
        iso = to_iso(match)
        if iso:
            return iso
    return ""
