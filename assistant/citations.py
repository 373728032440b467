"""Citations in the style of DESIGN.md, built from a judgment's fields and a passage's pinpoint.

    Trib. arr. Luxembourg, XIe ch., 24 janvier 2025, n° 2025TALCH11/00011 (rôle TAL-2021-06580),
    Motifs › a) Quant aux pannes survenues en cours d'exécution de contrat, § 57
    CA Paris, pôle 5 ch. 11, 20 janvier 2023, RG n° 20/05569, § 12, p. 4
    Cass. com., 22 février 2017, pourvoi n° 15-12.253
    CE, 3e-8e ch. réunies, 3 avril 2026, n° 495133
    Cons. const., 16 novembre 1993, n° 93-1582 AN
    Cass. (3e ch.), 8 décembre 2025, S.20.0070.F              (Belgium)
    C. const., 18 septembre 2025, n° 119/2025                 (Belgium)
    C.E. (Belgique), 21 janvier 2026, n° 265.501
    C. trav. Bruxelles, 11 mai 2025
    Cass. lux., 10 juillet 2018, n° 79/2018

Each court family is recognised from its name and the judgment's country (`JudgmentMeta.country`,
else the country its name or ECLI gives). An abbreviation that two countries' courts would
share carries the country ("C.E. (Belgique)", "Cass. (Belgique)" when the Belgian chamber is
unknown); a court no rule knows keeps its full name, with its country when the name alone
("Cour suprême") does not tell it. The ECLI is not part of the citation: `citation_with_ecli`
puts it after the citation where the page and the export show one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from store.records import JudgmentMeta

MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

SECTION_LABELS = {
    "facts": "Faits",
    "procedure": "Procédure",
    "claims": "Prétentions des parties",
    "reasons": "Motifs",
    "operative": "Dispositif",
    "opinion": "Conclusions du ministère public",
}

# ISO 3166 alpha-2 -> the country's name in French, for labels and for the courts whose name
# does not tell their country.
COUNTRY_NAMES = {
    "FR": "France", "BE": "Belgique", "LU": "Luxembourg", "MC": "Monaco", "CH": "Suisse",
    "TN": "Tunisie", "CI": "Côte d'Ivoire", "CA": "Canada", "DE": "Allemagne",
    "NL": "Pays-Bas", "IT": "Italie", "ES": "Espagne", "GB": "Royaume-Uni", "SN": "Sénégal",
    "CM": "Cameroun", "MA": "Maroc", "DZ": "Algérie", "EU": "Union européenne",
}  # fmt: skip

ECLI_SEPARATOR = " — "

# Folded Cour de cassation (France) chambers, as texts and open data write them -> abbreviation.
_CASS_CODES = {
    "comm": "com.", "com": "com.", "soc": "soc.", "cr": "crim.", "crim": "crim.",
    "civ1": "civ. 1re", "civ2": "civ. 2e", "civ3": "civ. 3e", "pl": "ass. plén.",
    "mi": "ch. mixte",
}  # fmt: skip
_CASS_WORDS = (
    ("commerciale", "com."),
    ("sociale", "soc."),
    ("criminelle", "crim."),
    ("pleniere", "ass. plén."),
    ("mixte", "ch. mixte"),
)
_ORDINALS = {
    "premiere": 1, "deuxieme": 2, "seconde": 2, "troisieme": 3, "quatrieme": 4,
    "cinquieme": 5, "sixieme": 6, "septieme": 7, "huitieme": 8, "neuvieme": 9, "dixieme": 10,
}  # fmt: skip
# Court names that do not tell their country: a court no rule abbreviates gets its country
# after such a name ("Cour suprême (Côte d'Ivoire)").
_GENERIC_NAMES = frozenset({
    "cour de cassation", "conseil d'etat", "cour constitutionnelle", "cour supreme",
    "tribunal supreme", "tribunal administratif", "cour administrative", "cour d'appel",
    "tribunal de premiere instance", "tribunal federal", "cour superieure de justice",
})  # fmt: skip


# Luxembourg's administrative courts are named without a seat (France's have one).
_LU_BARE = frozenset({"tribunal administratif", "cour administrative"})


def fold(text: str) -> str:
    """Lower case, accents removed, typographic apostrophes made plain, spaces collapsed."""
    text = text.replace("’", "'").replace("\u00a0", " ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().lower()


def country_name(code: str) -> str:
    """'BE' -> 'Belgique'; an unknown code is returned as given; '' -> ''."""
    return COUNTRY_NAMES.get(code.strip().upper(), code.strip().upper())


def country_label(code: str) -> str:
    """The label of a country filter option: 'France (FR)'; '' -> 'Pays inconnu'."""
    code = code.strip().upper()
    if not code:
        return "Pays inconnu"
    name = country_name(code)
    return f"{name} ({code})" if name != code else code


def judgment_country(meta: JudgmentMeta) -> str:
    """The judgment's country: its `country`, else the one its ECLI or court name gives."""
    if meta.country.strip():
        return meta.country.strip().upper()
    match = re.match(r"\s*ECLI:([A-Z]{2}):", meta.ecli, flags=re.IGNORECASE)
    if match and match.group(1).upper() in COUNTRY_NAMES:
        return match.group(1).upper()
    name = fold(meta.court)
    for needle, code in (
        ("belgique", "BE"), ("grand-duche", "LU"), ("luxembourg", "LU"), ("diekirch", "LU"),
        ("esch-sur-alzette", "LU"), ("tunisie", "TN"),
        ("cote d'ivoire", "CI"), ("monaco", "MC"),
    ):  # fmt: skip
        if needle in name:
            return code
    return ""


def format_date_fr(iso_date: str) -> str:
    """'2025-01-24' -> '24 janvier 2025' ('1er' for the first day)."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso_date or "")
    if not match:
        return ""
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return ""
    day_text = "1er" if day == 1 else str(day)
    return f"{day_text} {MONTHS_FR[month - 1]} {year}"


def _ordinal(n: int) -> str:
    return f"{n}re" if n == 1 else f"{n}e"


def _number_in(text: str) -> int | None:
    """The chamber number a folded text names: '3e', '3eme', '03.', 'troisieme', '3F'."""
    for word, n in _ORDINALS.items():
        if re.search(rf"\b{word}\b", text):
            return n
    match = re.search(r"\b0*(\d{1,2})(?:re|er|ere|e|eme|\.|[fn])?\b", text)
    return int(match.group(1)) if match else None


def _cass_fr_chamber(chamber: str) -> str:
    """A French Cour de cassation chamber as lawyers abbreviate it ('' when none is named)."""
    text = fold(chamber).replace("_", " ")
    if text.replace(" ", "") in _CASS_CODES:
        return _CASS_CODES[text.replace(" ", "")]
    for needle, abbr in _CASS_WORDS:
        if needle in text:
            return abbr
    if "civil" in text:
        n = _number_in(text)
        return f"civ. {_ordinal(n)}" if n else "civ."
    return ""


def _ce_formation(chamber: str) -> str:
    """The French Conseil d'État formation: '3ème et 8ème chambres réunies' -> '3e-8e ch.
    réunies', '9ème chambre' -> '9e ch.', 'Section du contentieux' -> 'sect.'."""
    text = fold(chamber)
    if not text:
        return ""
    if "assemblee" in text:
        return "ass."
    if text.startswith("section"):
        return "sect."
    if "refere" in text:
        return "réf."
    numbers = [int(n) for n in re.findall(r"\b(\d{1,2})(?:e|eme|ere|re)?\b", text)]
    if "chambre" in text and numbers:
        if "reunies" in text and len(numbers) >= 2:
            return "-".join(_ordinal(n) for n in numbers) + " ch. réunies"
        return f"{_ordinal(numbers[0])} ch."
    return abbreviate_chamber(chamber)


def _be_chamber(chamber: str) -> str:
    """A Belgian chamber: '3F' (open data), '1N', 'première chambre' -> '3e ch.', '1re ch.'."""
    text = fold(chamber)
    if not text:
        return ""
    n = _number_in(text)
    return f"{_ordinal(n)} ch." if n else abbreviate_chamber(chamber)


def _placed(folded: str, name: str, prefix: str) -> str | None:
    """The seat of a court named after it ('cour du travail de bruxelles' -> 'Bruxelles'),
    taken from the original name; None when `folded` does not start with `prefix`."""
    match = re.match(rf"{prefix}(?: de | d'| du )(.+)", folded)
    if not match:
        return None
    seat = name[len(name) - len(match.group(1)) :].strip()
    return seat if fold(seat) == match.group(1).strip() else match.group(1).strip().title()


def court_abbreviation(court: str, chamber: str = "", country: str = "") -> tuple[str, bool]:
    """The court as lawyers abbreviate it, and whether the chamber is already part of it.

    `country` (ISO code) tells apart courts of the same name; without it the name decides
    ("Cour de cassation de Belgique"), and a bare "Cour de cassation" is the French one."""
    name = re.sub(r"\s+", " ", court).strip()
    low = fold(name)
    where = country.strip().upper()
    if not where:
        where = judgment_country(JudgmentMeta(id="", court=name))
    if not name:
        return "", False

    if low.startswith("cour de cassation"):
        if where == "LU":
            return "Cass. lux.", False
        if where == "BE":
            be = _be_chamber(chamber)
            return (f"Cass. ({be})" if be else "Cass. (Belgique)"), True
        if where in ("", "FR"):
            abbr = _cass_fr_chamber(chamber)
            return (f"Cass. {abbr}", True) if abbr else ("Cass.", False)
    if low.startswith("conseil d'etat"):
        if where == "BE":
            return "C.E. (Belgique)", False
        if where in ("", "FR"):
            formation = _ce_formation(chamber)
            return (f"CE, {formation}" if formation else "CE"), True
    if low == "conseil constitutionnel" and where in ("", "FR"):
        return "Cons. const.", False
    if low.startswith("cour constitutionnelle"):
        if where in ("", "BE"):
            return "C. const.", False
        if where == "LU":
            return "C. const. lux.", False
    if low in ("cour nationale du droit d'asile", "cnda"):
        return "CNDA", False
    if low == "cour des comptes" and where in ("", "FR"):
        return "C. comptes", False
    if where == "LU" or "grand-duche" in low or (where == "" and low in _LU_BARE):
        if low.startswith("tribunal administratif"):
            return "Trib. adm.", False
        if low.startswith("cour administrative") and "appel" not in low:
            return "Cour adm.", False
        if low.startswith(("cour d'appel", "cour superieure de justice")):
            return "CA Luxembourg", False
    placed = (
        ("cour administrative d'appel", "CAA {}"),
        ("tribunal administratif", "TA {}"),
        ("tribunal d'arrondissement", "Trib. arr. {}"),
        ("cour d'appel", "CA {}"),
        ("tribunal de commerce", "T. com. {}"),
        ("tribunal judiciaire", "TJ {}"),
        ("tribunal de grande instance", "TGI {}"),
        ("justice de paix", "J.P. {}"),
        ("cour du travail", "C. trav. {}"),
        ("tribunal du travail", "Trib. trav. {}"),
        ("tribunal de l'entreprise", "Trib. entr. {}"),
        ("tribunal de premiere instance", "Trib. prem. inst. {}"),
        ("conseil de prud'hommes", "CPH {}"),
    )
    for prefix, template in placed:
        seat = _placed(low, name, prefix)
        if seat:
            return template.format(seat), False
    if low in _GENERIC_NAMES and where:
        return f"{name} ({country_name(where)})", False
    return name, False


def abbreviate_chamber(chamber: str) -> str:
    """'XIe chambre' -> 'XIe ch.'; 'Pôle 5 - Chambre 11' -> 'pôle 5 ch. 11'; '04. Chambre',
    'Chambre 4', '4' -> '4e ch.'; '6ème chambre - formation à 3' -> '6e ch.'."""
    text = re.sub(r"\s+", " ", chamber).strip(" -,;?")
    folded = fold(text)
    numbered = re.fullmatch(
        r"(?:chambre )?0*(\d{1,2})(?:\.|e|re|er|ere|eme)?(?: chambre)?(?: - formation a \d+)?",
        folded,
    )
    if numbered:
        return f"{_ordinal(int(numbered.group(1)))} ch."
    text = re.sub(r"\s*-\s*", " ", text)
    text = re.sub(r"\b(\d{1,2})(?:è|ème|eme)(?!\w)", r"\1e", text)
    text = re.sub(r"\bchambre\b|\bch\b(?!\.)", "ch.", text, flags=re.IGNORECASE)
    text = re.sub(r"\bPôle\b", "pôle", text)
    text = re.sub(r"\bsection\b", "sect.", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text)


def _pourvoi(docket: str) -> str:
    """'24-18329', 'J 24-13.697', 'pourvoi n° 15-12.253' -> '24-18.329' ... ('' if none)."""
    found = re.findall(r"\b(\d{2})-(\d{2})\.?(\d{3})\b", docket)
    return ", ".join(f"{a}-{b}.{c}" for a, b, c in found)


_N_FAMILIES = (
    "CE, ",
    "Cons. const.",
    "C. const.",
    "C.E. (Belgique)",
    "CNDA",
    "CAA ",
    "TA ",
    "Trib. adm.",
    "Cour adm.",
)  # courts cited by one number: "n° 470123"


def _family_number(meta: JudgmentMeta, abbr: str) -> str | None:
    """The numbers as the court's own family cites them; None to use the general form."""
    decision = meta.decision_number.strip()
    docket = meta.docket_number.strip()
    if decision and docket and _bare_number(decision) == _bare_number(docket):
        docket = ""  # one number given twice
    if abbr.startswith("Cass. ("):  # Belgium: the role number, bare (C.25.0123.F)
        role = next(
            (v for v in (docket, decision) if re.fullmatch(r"[A-Z]\.\d{2}\.\d{4}\.[FND]", v)), ""
        )
        return role or None
    if abbr.startswith("Cass.") and abbr != "Cass. lux.":
        pourvoi = _pourvoi(docket) or _pourvoi(decision)
        if pourvoi:  # the pourvoi names a French Cassation decision; internal ids do not
            return f"pourvoi n° {pourvoi}"
        return None
    if not (abbr == "CE" or abbr.startswith(_N_FAMILIES)) or (decision and docket):
        return None
    bare = re.sub(r"^(?:arr[êe]t\s+)?n[°o]\s*", "", decision or docket, flags=re.IGNORECASE)
    bare = bare.strip()
    if not bare:
        return None
    if abbr == "Cons. const." and not re.search(r"[A-Za-z]\s*$", bare):
        tail = meta.ecli.rsplit(".", 1)[-1] if "." in meta.ecli else ""
        if re.fullmatch(r"[A-Za-z]{1,6}", tail):  # the nature: QPC, DC, AN...
            bare = f"{bare} {tail.upper()}"
    if abbr == "C. const.":
        swapped = re.fullmatch(r"((?:19|20)\d{2})/(\d+)", bare)
        if swapped:  # open data writes 2025/119; the Court numbers its arrêts 119/2025
            bare = f"{swapped.group(2)}/{swapped.group(1)}"
    if abbr.startswith("C.E.") and re.fullmatch(r"\d{4,6}", bare):
        bare = f"{bare[:-3]}.{bare[-3:]}"  # the Belgian Conseil d'État writes n° 265.501
    return f"n° {bare}"


def _bare_number(number: str) -> str:
    """'n° 93-1515', 'rôle 17073', 'RG 20/05569' -> the number itself, to compare two fields."""
    return re.sub(r"^(?:n[°o]|r[ôo]le|rg|r\.g\.|arr[êe]t)\s*(?:n[°o]\s*)?", "", number.lower())


def _docket_label(docket: str, country: str) -> str:
    """A docket number as the court's country names it: 'RG n° 20/05569' (France), 'rôle
    TAL-2021-06580' (Luxembourg, Belgium), 'n° …' elsewhere or when the country is unknown."""
    low = docket.lower()
    if low.startswith(("rg", "pourvoi", "r.g.", "rôle", "n°")):
        return re.sub(r"^(RG|R\.G\.)\s*(n°\s*)?", "RG n° ", docket, flags=re.IGNORECASE)
    if country == "FR":
        return f"RG n° {docket}"
    if country in ("LU", "BE"):
        return f"rôle {docket}"
    return f"n° {docket}"


def _number_part(meta: JudgmentMeta) -> str:
    decision = meta.decision_number.strip()
    docket = meta.docket_number.strip()
    if decision and docket and _bare_number(decision) == _bare_number(docket):
        docket = ""  # one number given twice
    parts: list[str] = []
    if decision:
        numbered = decision.lower().startswith(("n°", "no ", "arrêt"))
        parts.append(decision if numbered else f"n° {decision}")
    if docket:
        label = _docket_label(docket, judgment_country(meta))
        parts.append(f"({label})" if decision else label)
    return " ".join(parts)


def paragraphs_text(start: int | None, end: int | None, dash: str = "-",
                    labels: tuple[str, str] = ("", "")) -> str:
    """'§ 12', '§§ 3-5', or '' when there is no paragraph number; 0 numbers the text before
    a judgment's own paragraph 1, which has no § (a range from it reads from § 1). The
    court's lettered labels, when both ends have one, are cited as it prints them: 'B.5.2',
    'A.1-A.5.1'."""
    first_label, last_label = labels
    if first_label and last_label:
        return first_label if first_label == last_label else f"{first_label}{dash}{last_label}"
    last = end if end is not None else start
    if start is None or not last:
        return ""
    first = max(start, 1)
    return f"§§ {first}{dash}{last}" if last != first else f"§ {first}"


_PART_MARK = re.compile(r"^[-–]\s*[A-Z]\s*[-–]$")  # the Cour constitutionnelle's « - A - »


def pinpoint(
    section_path: Sequence[str],
    section_kind: str,
    paragraph_start: int | None,
    paragraph_end: int | None,
    page_start: int | None,
    page_end: int | None,
    labels: tuple[str, str] = ("", ""),
) -> str:
    """'Motifs › a) Quant aux pannes ..., § 57, p. 4' — the place inside the judgment
    ('Motifs, B.5.2' where the court labels its paragraphs)."""
    parts: list[str] = []
    label = SECTION_LABELS.get(section_kind, "")
    if label:
        deepest = section_path[-1] if len(section_path) > 1 else ""
        if _PART_MARK.match(deepest):  # « - B - »: its labels (B.1 …) already say it
            deepest = ""
        parts.append(f"{label} › {deepest}" if deepest else label)
    if paragraphs := paragraphs_text(paragraph_start, paragraph_end, labels=labels):
        parts.append(paragraphs)
    if page_start is not None:
        if page_end is not None and page_end != page_start:
            parts.append(f"pp. {page_start}-{page_end}")
        else:
            parts.append(f"p. {page_start}")
    return ", ".join(parts)


def judgment_citation(meta: JudgmentMeta) -> str:
    """The citation of a whole judgment: court, chamber, date, numbers."""
    court, chamber_included = court_abbreviation(meta.court, meta.chamber, judgment_country(meta))
    parts = [court] if court else []
    if meta.chamber and not chamber_included:
        parts.append(abbreviate_chamber(meta.chamber))
    date = format_date_fr(meta.date)
    if date:
        parts.append(date)
    number = _family_number(meta, court)
    if number is None:
        number = _number_part(meta)
    if number:
        parts.append(number)
    if not court or not date:
        parts.insert(0, decision_name(meta))
    return ", ".join(parts)


def decision_name(meta: JudgmentMeta) -> str:
    """What names a decision whose court or date is unknown: its title, else its file name
    (never the folder it lies in), else its id."""
    file_name = re.split(r"[\\/]", meta.source_path.strip())[-1]
    return meta.title.strip() or file_name or meta.id


def format_citation(
    meta: JudgmentMeta,
    section_path: Sequence[str] = (),
    section_kind: str = "other",
    paragraph_start: int | None = None,
    paragraph_end: int | None = None,
    page_start: int | None = None,
    page_end: int | None = None,
    paragraph_label_start: str = "",
    paragraph_label_end: str = "",
) -> str:
    """The full citation of a passage: the judgment, then the pinpoint."""
    where = pinpoint(
        section_path, section_kind, paragraph_start, paragraph_end, page_start, page_end,
        (paragraph_label_start, paragraph_label_end),
    )
    base = judgment_citation(meta)
    return f"{base}, {where}" if where else base


def citation_with_ecli(citation: str, ecli: str) -> str:
    """The citation as the page and the export show it: the ECLI, when known, after it
    ('CE, 12 mars 2024, n° 470123 — ECLI:FR:CECHR:2024:470123.20240312')."""
    ecli = ecli.strip()
    return f"{citation}{ECLI_SEPARATOR}{ecli}" if ecli else citation
