"""Facts stated by a synthesis sentence that must be found in the passages it cites (pure
functions, no model): amounts, percentages, dates, article numbers and party names.

Each fact is taken from the sentence's own words (outside its quotes, which are checked verbatim
elsewhere) and normalised, then looked for, normalised the same way, in the union of the cited
passages:
- amounts: a number with a currency ("50.000 euros", "2.000 €", "EUR 351,00", "500,- euros",
  "1,5 million d'euros"); digits only, so "50.000" == "50 000" == "50000"; "500,00" == "500".
  A separator followed by exactly three digits may be a thousands or a decimal separator
  ("50.000", "50,000") separates thousands; otherwise the last separator is the decimal mark.
  In the passages any number counts, with or without a currency;
- percentages ("5 %", "5,5 pour cent");
- dates: "4 décembre 2020", "1er juin 2021", "04/12/2020", "4.12.2020", "2020-12-04",
  "December 4, 2020", "4 December 2020" as ISO dates; "décembre 2020" as a month (found when
  the passages name that month or a day in it); a bare year ("en 2019") as a year;
- article numbers: "article 1134", "articles 1382 et 1383", "art. 240 du NCPC",
  "article L. 442-6" (the letter is optional on the passage side: "442-6" matches);
- party names: pseudonyms of published judgments ("PERSONNE1.)", "SOCIETE3.)"), words in
  capitals of three letters or more ("HOFFMANN"; legal abbreviations such as NCPC or TVA
  excepted), and capitalised names after a title ("M. Dupont", "Me Martin", "la société
  Alpha Services"). Other capitalised words are not checked: a sentence starts with one, and
  "Tribunal" or "Code civil" are not parties.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

_NUM = r"\d{1,3}(?:[.\u00a0\u202f ]\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?"
_CURRENCY = r"(?:euros?\b|€|EUR\b|eur\b|francs?\b|dollars?\b|\$|USD\b|CHF\b)"
_MULTIPLIER = r"(?:millions?|milliards?|billions?)"
_AMOUNT_AFTER = re.compile(
    rf"(?<![\w.,])(?P<num>{_NUM})(?:\s*,-+)?\s*(?P<mult>{_MULTIPLIER})?\s*(?:d'\s*|of\s+)?"
    rf"{_CURRENCY}",
    re.IGNORECASE,
)
_AMOUNT_BEFORE = re.compile(
    rf"(?:€|\$|\bEUR|\bUSD|\bCHF)\s*(?P<num>{_NUM})(?:\s*(?P<mult>{_MULTIPLIER}))?"
)
_PERCENT = re.compile(rf"(?<![\w.,])(?P<num>{_NUM})\s*(?:%|pour\s?cent\b|per\s?cent\b)")
_ANY_NUMBER = re.compile(rf"(?<![\w])(?P<num>{_NUM})(?:\s*(?P<mult>{_MULTIPLIER}))?")

_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_MONTH = (
    r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|"
    r"d[ée]cembre|January|February|March|April|May|June|July|August|September|October|"
    r"November|December)"
)
_DAY = r"(?:1\s?\^?\{?er\}?|1st|\d{1,2})(?:st|nd|rd|th)?"
_DATE_PATTERNS = (
    re.compile(rf"\b(?P<d>{_DAY})\s+(?P<m>{_MONTH})\s+(?P<y>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b"),
    re.compile(r"(?<![\d.,/])(?P<d>\d{1,2})[/.](?P<mn>\d{1,2})[/.](?P<y>\d{4})\b"),
    re.compile(r"(?<![\d.,/-])(?P<y>\d{4})-(?P<mn>\d{2})-(?P<d>\d{2})\b"),
)
_MONTH_YEAR = re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<y>\d{{4}})\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\w.,/°-])(?<!n° )(?<!no )(?P<y>1[89]\d\d|20\d\d)(?![\w/]|[.,]\d)")

_ARTICLE_REF = r"(?:[LRDA]\.?\s?)?\d+(?:[-‑]\d+)*"
_ARTICLES = re.compile(
    rf"\b(?:articles?|art\.|arts\.)\s*(?P<refs>{_ARTICLE_REF}"
    rf"(?:\s*(?:,|et|à|and|to|ou|or)\s*{_ARTICLE_REF})*)",
    re.IGNORECASE,
)
_ONE_REF = re.compile(rf"(?<![\w-]){_ARTICLE_REF}(?![\w‑-])")

_PSEUDONYM = re.compile(r"\b(?P<key>[A-Z]{3,}\d+)(?:\.\))?")
_CAPS_WORD = re.compile(r"(?<![\w'])[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'-]{2,}(?![\w])")
_TITLED = re.compile(
    r"(?:\b(?:M\.|Mme|Mlle|Me|Maître|Monsieur|Madame|[Ss]ociétés?|SA|SAS|SARL|GIE|Mr\.?|Mrs\.?|"
    r"Ms\.?|Dr\.?|[Cc]ompany))\s+(?P<name>[A-ZÀ-ÖØ-Þ][^\W\d_]+(?:[ -][A-ZÀ-ÖØ-Þ][^\W\d_]+)*)"
)
_NOT_PARTIES = frozenset(
    re.findall(
        r"\S+",
        "TAL NCPC NCPP CPC CPP TVA HTVA TTC SARL SAS SASU EURL GIE ASBL SCI SNC SCS RCS CJUE CEDH "
        "ECHR CEE TFUE TUE ECLI RGPD GDPR EUR USD CHF UE USA CSJ CASS BGB HGB ISO TVA NCC ONU PAR "
        "CES MOTIFS FAITS PROCÉDURE PROCEDURE DÉCISION DECISION LITIGE EXPOSÉ EXPOSE DISPOSITIF "
        "ARRÊT ARRET JUGEMENT COUR TRIBUNAL CASSATION APPEL NB IBID NON OUI PAS NOT",
    )
)
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_CITATION = re.compile(r"\[\s*\d+(?:\s*(?:[,;]|[-–])\s*\d+)*\s*\]")


def _plain(text: str) -> str:
    """Lowercase without accents, for names and month words."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def number_values(raw: str, multiplier: str = "") -> set[str]:
    """The readings of a written number as canonical decimal strings: "50.000" -> {"50000"};
    "2.740,73" -> {"2740.73"}; "500,00" -> {"500"}; "1,5" + "million" -> {"1500000"}."""
    digits = re.sub(r"[\s\u00a0\u202f]", "", raw)
    seps = [i for i, c in enumerate(digits) if c in ".,"]
    marks = {digits[i] for i in seps}
    if not seps:
        candidates = [digits]
    elif len(marks) == 1 and len(seps) > 1:
        candidates = [re.sub(r"[.,]", "", digits)]  # "1.000.000": thousands only
    else:
        before = re.sub(r"[.,]", "", digits[: seps[-1]])
        after = digits[seps[-1] + 1 :]
        if len(marks) == 1 and len(after) == 3:
            candidates = [before + after]  # "50.000", "50,000": thousands
        else:
            candidates = [f"{before}.{after}"]  # the last separator is the decimal mark
    factor = 1
    word = multiplier.lower()
    if word.startswith("million"):
        factor = 10**6
    elif word.startswith(("milliard", "billion")):
        factor = 10**9
    values: set[str] = set()
    for candidate in candidates:
        try:
            value = (Decimal(candidate) * factor).normalize()
        except InvalidOperation:
            continue
        values.add(f"{value:f}")
    return values


def _iso(day: str, month: int, year: str) -> str | None:
    day_digits = re.match(r"\d+", day)
    d = int(day_digits.group()) if day_digits else 0
    if not (1 <= d <= 31 and 1 <= month <= 12):
        return None
    return f"{int(year):04d}-{month:02d}-{d:02d}"


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _dates(text: str) -> tuple[list[tuple[str, str]], str]:
    """(written, ISO date) pairs, and the text with them blanked out."""
    found: list[tuple[str, str]] = []
    spans: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(_mask(text, spans)):
            groups = m.groupdict()
            month = _MONTHS.get(_plain(groups["m"]), 0) if groups.get("m") else int(groups["mn"])
            iso = _iso(groups["d"], month, groups["y"])
            if iso:
                found.append((m.group(), iso))
                spans.append(m.span())
    return found, _mask(text, spans)


def _months(text: str) -> tuple[list[tuple[str, str]], str]:
    found = [
        (m.group(), f"{int(m.group('y')):04d}-{_MONTHS[_plain(m.group('m'))]:02d}")
        for m in _MONTH_YEAR.finditer(text)
    ]
    return found, _mask(text, (m.span() for m in _MONTH_YEAR.finditer(text)))


def _article_keys(ref: str) -> set[str]:
    key = re.sub(r"[\s.]", "", ref).replace("‑", "-").upper()
    return {key, key.lstrip("LRDA")}


def _articles(text: str) -> tuple[list[tuple[str, str]], str]:
    found: list[tuple[str, str]] = []
    for m in _ARTICLES.finditer(text):
        for ref in _ONE_REF.finditer(m.group("refs")):
            found.append((ref.group(), re.sub(r"[\s.]", "", ref.group()).replace("‑", "-")))
    return found, _mask(text, (m.span() for m in _ARTICLES.finditer(text)))


def _amounts(text: str) -> tuple[list[tuple[str, set[str]]], str]:
    found: list[tuple[str, set[str]]] = []
    spans: list[tuple[int, int]] = []
    for pattern in (_AMOUNT_AFTER, _AMOUNT_BEFORE):
        for m in pattern.finditer(_mask(text, spans)):
            found.append((m.group().strip(), number_values(m.group("num"), m.group("mult") or "")))
            spans.append(m.span())
    return found, _mask(text, spans)


class _Sources:
    """The cited passages, indexed once for every kind of fact."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.text = "\n".join(texts)
        self.plain = _plain(self.text)
        self.numbers: set[str] = set()
        for m in _ANY_NUMBER.finditer(self.text):
            self.numbers |= number_values(m.group("num"), m.group("mult") or "")
        dates, rest = _dates(self.text)
        self.dates = {iso for _, iso in dates}
        months, _ = _months(rest)
        self.months = {iso[:7] for iso in self.dates} | {iso for _, iso in months}
        self.years = {m.group() for m in re.finditer(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)", self.text)}
        self.articles: set[str] = set()
        for ref in _ONE_REF.finditer(self.text):
            self.articles |= _article_keys(ref.group())

    def has_word(self, word: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(_plain(word))}(?!\w)", self.plain) is not None


def missing_facts(claim: str, sources: Sequence[str]) -> list[str]:
    """The problems of a sentence's own words (`claim`: the sentence outside its quotes) against
    the texts of the passages it cites, e.g. "montant absent des passages cités : 50.000 euros"."""
    claim = re.sub("[’‘ʼ]", "'", _CITATION.sub(" ", claim))
    have = _Sources(sources)
    problems: list[str] = []

    def absent(kind: str, written: str) -> None:
        problem = f"{kind} absent{'e' if kind in ('date', 'partie') else ''} des passages cités : "
        problem += re.sub(r"\s+", " ", written.strip(" ,;"))
        if problem not in problems:
            problems.append(problem)

    amounts, rest = _amounts(claim)
    for written, values in amounts:
        if not values & have.numbers:
            absent("montant", written)
    for m in _PERCENT.finditer(rest):
        if not number_values(m.group("num")) & have.numbers:
            absent("pourcentage", m.group())
    rest = _mask(rest, (m.span() for m in _PERCENT.finditer(rest)))
    articles, rest = _articles(rest)
    for written, key in articles:
        if not _article_keys(key) & have.articles:
            absent("article", f"article {written}")
    dates, rest = _dates(rest)
    for written, iso in dates:
        if iso not in have.dates:
            absent("date", written)
    months, rest = _months(rest)
    for written, month in months:
        if month not in have.months:
            absent("date", written)
    for m in _YEAR.finditer(rest):
        if m.group("y") not in have.years:
            absent("date", m.group("y"))
    for m in _PSEUDONYM.finditer(claim):
        if not re.search(rf"\b{m.group('key')}(?!\d)", have.text):
            absent("partie", m.group())
    names = _mask(claim, (m.span() for m in _PSEUDONYM.finditer(claim)))
    for m in _CAPS_WORD.finditer(names):
        word = m.group().strip("'-")
        known = word in _NOT_PARTIES or _ROMAN.match(word) or have.has_word(word)
        if len(word) >= 3 and not known:
            absent("partie", word)
    for m in _TITLED.finditer(names):
        for word in re.split(r"[ -]", m.group("name")):
            if not word.isupper() and not have.has_word(word):
                absent("partie", m.group("name"))
                break
    return problems
