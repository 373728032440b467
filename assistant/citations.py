"""Citations in the style of DESIGN.md, built from a judgment's fields and a passage's pinpoint.

    Trib. arr. Luxembourg, XIe ch., 24 janvier 2025, n° 2025TALCH11/00011 (rôle TAL-2021-06580),
    Motifs › a) Quant aux pannes survenues en cours d'exécution de contrat, § 57
    CA Paris, pôle 5 ch. 11, 20 janvier 2023, RG n° 20/05569, § 12, p. 4
    Cass. com., 22 février 2017, pourvoi n° 15-12.253
"""

from __future__ import annotations

import re
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
}

_CASS_CHAMBERS = (
    ("commerciale", "com."),
    ("sociale", "soc."),
    ("criminelle", "crim."),
    ("troisième chambre civile", "civ. 3e"),
    ("deuxième chambre civile", "civ. 2e"),
    ("première chambre civile", "civ. 1re"),
    ("3e chambre civile", "civ. 3e"),
    ("2e chambre civile", "civ. 2e"),
    ("1re chambre civile", "civ. 1re"),
    ("chambre civile", "civ."),
    ("assemblée plénière", "ass. plén."),
    ("chambre mixte", "ch. mixte"),
)


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


def court_abbreviation(court: str, chamber: str = "") -> tuple[str, bool]:
    """The court as lawyers abbreviate it, and whether the chamber is already part of it."""
    name = court.strip()
    low = name.lower()
    if low.startswith("cour de cassation"):
        if "luxembourg" in low:
            return "Cass. lux.", False
        if "belgique" in low:
            return "Cass. belge", False
        ch = chamber.lower()
        for needle, abbr in _CASS_CHAMBERS:
            if needle in ch:
                return f"Cass. {abbr}", True
        return "Cass.", False
    patterns = (
        (r"tribunal d'arrondissement (?:de |d')(.+)", "Trib. arr. {}"),
        (r"cour d'appel (?:de |d')(.+)", "CA {}"),
        (r"cour administrative (?:de |d')?(.*)", "Cour adm. {}"),
        (r"tribunal de commerce (?:de |d')(.+)", "T. com. {}"),
        (r"tribunal judiciaire (?:de |d')(.+)", "TJ {}"),
        (r"tribunal de grande instance (?:de |d')(.+)", "TGI {}"),
        (r"justice de paix (?:de |d')(.+)", "J.P. {}"),
    )
    for pattern, template in patterns:
        match = re.match(pattern, name, flags=re.IGNORECASE)
        if match:
            return template.format(match.group(1).strip()).strip(), False
    return name, False


def abbreviate_chamber(chamber: str) -> str:
    """'XIe chambre' -> 'XIe ch.'; 'Pôle 5 - Chambre 11' -> 'pôle 5 ch. 11'."""
    text = chamber.strip()
    text = re.sub(r"\s*-\s*", " ", text)
    text = re.sub(r"\bchambre\b", "ch.", text, flags=re.IGNORECASE)
    text = re.sub(r"\bPôle\b", "pôle", text)
    text = re.sub(r"\bsection\b", "sect.", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text)


def _number_part(meta: JudgmentMeta) -> str:
    decision = meta.decision_number.strip()
    docket = meta.docket_number.strip()
    parts: list[str] = []
    if decision:
        numbered = decision.lower().startswith(("n°", "no ", "arrêt"))
        parts.append(decision if numbered else f"n° {decision}")
    if docket:
        low = docket.lower()
        if low.startswith(("rg", "pourvoi", "r.g.", "rôle", "n°")):
            label = re.sub(r"^(RG|R\.G\.)\s*(n°\s*)?", "RG n° ", docket, flags=re.IGNORECASE)
        else:
            label = f"rôle {docket}"
        parts.append(f"({label})" if decision else label)
    return " ".join(parts)


def pinpoint(
    section_path: Sequence[str],
    section_kind: str,
    paragraph_start: int | None,
    paragraph_end: int | None,
    page_start: int | None,
    page_end: int | None,
) -> str:
    """'Motifs › a) Quant aux pannes ..., § 57, p. 4' — the place inside the judgment."""
    parts: list[str] = []
    label = SECTION_LABELS.get(section_kind, "")
    if label:
        deepest = section_path[-1] if len(section_path) > 1 else ""
        parts.append(f"{label} › {deepest}" if deepest else label)
    if paragraph_start is not None:
        if paragraph_end is not None and paragraph_end != paragraph_start:
            parts.append(f"§§ {paragraph_start}-{paragraph_end}")
        else:
            parts.append(f"§ {paragraph_start}")
    if page_start is not None:
        if page_end is not None and page_end != page_start:
            parts.append(f"pp. {page_start}-{page_end}")
        else:
            parts.append(f"p. {page_start}")
    return ", ".join(parts)


def judgment_citation(meta: JudgmentMeta) -> str:
    """The citation of a whole judgment: court, chamber, date, numbers."""
    court, chamber_included = court_abbreviation(meta.court, meta.chamber)
    parts = [court] if court else []
    if meta.chamber and not chamber_included:
        parts.append(abbreviate_chamber(meta.chamber))
    date = format_date_fr(meta.date)
    if date:
        parts.append(date)
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
) -> str:
    """The full citation of a passage: the judgment, then the pinpoint."""
    where = pinpoint(
        section_path, section_kind, paragraph_start, paragraph_end, page_start, page_end
    )
    base = judgment_citation(meta)
    return f"{base}, {where}" if where else base
