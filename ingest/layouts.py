"""Headings of judgments: which paragraph is a heading, its level style and its section kind.

Top-level headings are the known section titles of Luxembourg, French and Belgian judgments
(FAITS CONSTANTS, EXPOSÉ DU LITIGE, MOTIFS DE LA DÉCISION, PAR CES MOTIFS, « I. Objet du
recours et procédure »...). Inside a section,
sub-headings ("Quant au fond", "a) Quant aux pannes ...", "Sur le premier moyen", "1. ...")
are recognised by their style; the outline level comes from the order in which styles appear
(a style seen before closes back to its level, a new style nests deeper).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.dates import fold
from store.records import SectionKind

# Folded (lowercase, no accents) top-level titles, trailing punctuation removed.
TOP_LEVEL: dict[str, SectionKind] = {
    "faits constants": "facts", "faits": "facts", "les faits": "facts",
    "faits et procedure": "facts", "expose du litige": "facts", "expose des faits": "facts",
    "rappel des faits": "facts", "faits et moyens": "facts", "sur les faits": "facts",
    "expose des faits et de la procedure": "facts", "faits et antecedents": "facts",
    "rappel des faits et de la procedure": "facts", "faits et procedure anterieure": "facts",
    "procedure": "procedure", "la procedure": "procedure", "rappel de la procedure": "procedure",
    "procedure et pretentions des parties": "procedure", "antecedents de procedure": "procedure",
    "la procedure devant la cour": "procedure",
    "pretentions et moyens des parties": "claims", "pretentions des parties": "claims",
    "moyens des parties": "claims", "expose des moyens": "claims", "moyens": "claims",
    "moyens annexes": "claims", "moyen annexe": "claims", "pretentions": "claims",
    "premier moyen de cassation": "claims", "second moyen de cassation": "claims",
    "deuxieme moyen de cassation": "claims", "troisieme moyen de cassation": "claims",
    "moyen de cassation": "claims", "moyen unique de cassation": "claims",
    "demandes des parties": "claims", "positions des parties": "claims",
    "moyens et pretentions des parties": "claims", "moyen": "claims",
    "motifs de la decision": "reasons", "motifs": "reasons", "discussion": "reasons",
    "sur ce": "reasons", "sur ce la cour": "reasons", "examen des moyens": "reasons",
    "examen du moyen": "reasons", "motivation": "reasons", "motifs de l'arret": "reasons",
    "motifs du jugement": "reasons", "appreciation de la cour": "reasons", "en droit": "reasons",
    "en fait et en droit": "reasons", "la decision de la cour": "reasons",
    "par ces motifs": "operative", "dispositif": "operative", "decision": "operative",
    # French administrative courts (Conseil d'État, CAA, TA, CNDA) and Conseil constitutionnel
    "vu la procedure suivante": "procedure", "vu les procedures suivantes": "procedure",
    "procedure contentieuse anterieure": "procedure",
    "procedure devant la cour": "procedure", "au vu des textes suivants": "procedure",
    "considerant ce qui suit": "reasons",
    "le conseil constitutionnel s'est fonde sur ce qui suit": "reasons",
    "d e c i d e": "operative", "decide": "operative", "o r d o n n e": "operative",
    "ordonne": "operative", "le conseil constitutionnel decide": "operative",
    # Belgian Cour constitutionnelle: « I. Objet du recours et procédure », « II. Les faits et
    # la procédure antérieure », « III. En droit »
    "objet du recours et procedure": "procedure", "objet des recours et procedure": "procedure",
    "objet de la question prejudicielle et procedure": "procedure",
    "objet des questions prejudicielles et procedure": "procedure",
    "objet de la demande et procedure": "procedure",
    "objet des demandes et procedure": "procedure",
    "les faits et la procedure anterieure": "facts",
    # Autorité de la concurrence: « I. Constatations », « II. Discussion », « II. Analyse
    # concurrentielle »
    "constatations": "facts", "analyse concurrentielle": "reasons",
    "discussion sur la recevabilite": "reasons",
    # Belgian Conseil d'État: « III. Faits utiles à l'examen de la demande »
    "faits utiles a l'examen de la demande": "facts",
    "faits utiles a l'examen de la cause": "facts",
    "les faits et les procedures anterieures": "facts",
    # Belgian cours du travail: « I.- INDICATIONS DE PROCEDURE », « II.- FAITS ET ANTÉCÉDENTS
    # PERTINENTS (RAPPEL) », « III.- JUGEMENT CONTESTÉ », « IV.- OBJET DE L'APPEL … »
    "indications de procedure": "procedure", "antecedents pertinents": "facts",
    "faits et antecedents pertinents": "facts", "le rappel des faits pertinents": "facts",
    "jugement conteste": "procedure", "jugement dont appel": "procedure",
    "le jugement dont appel": "procedure", "les appels": "procedure",
    "l'avis du ministere public": "procedure",
    "objet de l'appel": "claims", "objet de l'appel et retroactes en degre d'appel": "claims",
    "appel et demandes des parties en degre d'appel": "claims",
    "decision de la cour - dispositif de l'arret": "operative",
    # Belgian Conseil d'État: « I. Objet de la requête », what the applicant asks it to annul
    "objet de la requete": "claims", "objet du recours": "claims",
}
# Sub-headings whose kind differs from their parent's.
SUB_KINDS: tuple[tuple[str, SectionKind], ...] = (
    ("enonce du moyen", "claims"), ("enonce des moyens", "claims"),
    ("reponse de la cour", "reasons"), ("sur les faits", "facts"),
    ("sur la procedure", "procedure"),
    # the Belgian Conseil d'État: « V.1. Thèses des parties », « V.2. Appréciation »
    ("theses des parties", "claims"), ("these des parties", "claims"),
    ("these de la partie", "claims"), ("theses de la partie", "claims"),
    ("appreciation", "reasons"), ("l'appreciation", "reasons"),
)
# « v.1.1. », « b. » (folded)
_SECTION_NUMBER = re.compile(r"^(?:[ivx]{1,5}(?:\.\d{1,2})+\.?|[a-h]\.)\s*")
_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10}


def roman_number(title: str) -> int | None:
    """The value of the roman numeral that numbers `title` (« IV. Recevabilité » → 4)."""
    match = re.match(r"^([IVX]{1,5})[.)](?:\s*[-–])?\s", title)  # « V. », « V.- »
    return roman_value(match.group(1)) if match else None


def roman_value(numeral: str) -> int:
    """« IV » → 4."""
    values = [_ROMAN_DIGITS[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))

# « - A - » (the parties' arguments) and « - B - » (the Court's reasons) divide « En droit » in
# rulings of the Belgian Cour constitutionnelle.
PART_MARK = re.compile(r"^[-–]\s*(?P<part>[AB])\s*[-–]$")
_PART_KINDS: dict[str, SectionKind] = {"A": "claims", "B": "reasons"}

_TRAILING = re.compile(r"[\s:.,;–-]+$")
_SUB_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("roman-decimal2", re.compile(r"^[IVX]{1,5}\.\d{1,2}\.\d{1,2}\.?\s+\S")),  # « V.1.1. »
    ("roman-decimal", re.compile(r"^[IVX]{1,5}\.\d{1,2}\.?\s+\S")),  # « V.1. Thèses »
    ("roman", re.compile(r"^[IVX]{1,5}[.)]\s*(?:[-–]\s*)?\S")),
    ("upper", re.compile(r"^[A-H][.)]\s+\S")),
    ("decimal", re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+\S")),
    ("arabic", re.compile(r"^\d{1,2}[.)]\s+\S")),
    ("lower", re.compile(r"^[a-h]\)\s+\S")),
    ("dash", re.compile(r"^[-–•]\s*(?:Quant|Sur|En ce qui concerne|S'agissant|S’agissant)\b")),
    ("quant-demande", re.compile(r"^Quant (?:à la|aux) demandes?\b")),
    ("topic", re.compile(r"^(?:Quant|Sur|Et sur|Mais sur|En ce qui concerne|S'agissant|S’agissant"
                         r"|Concernant)\b")),
)


# « 1. LES UTILISATEURS ......... 13 »: a line of a table of contents names a heading, it is none
TABLE_OF_CONTENTS_LINE = re.compile(r"\.{5,}\s*\d+\s*$|\.{8,}\s*$")


_SENTENCE_INSIDE = re.compile(r"[a-zà-ÿ0-9]{2}\. [A-ZÀ-Ý0-9]")


@dataclass(frozen=True)
class Heading:
    """A paragraph recognised as a heading: top-level (`style == "top"`) or a sub-heading."""

    title: str
    style: str
    kind: SectionKind | None  # None: inherit the parent's kind


def _folded_title(text: str) -> str:
    return _TRAILING.sub("", fold(text).replace("’", "'")).strip()


# « PAR CES MOTIFS, et sans qu'il y ait lieu de statuer sur les autres griefs du pourvoi, la
# Cour : »: the long opening of a French cassation ruling's operative part
_LONG_OPERATIVE = re.compile(r"par ces motifs\b[^\n]{0,300}:\s*$")
# « P A R C E S M O T I F S », « P a r c e s m o t i f s »: a title typed letter by letter
_LETTER_SPACED = re.compile(r"(?:[a-z] ){4,}[a-z]")


def top_level_kind(text: str) -> SectionKind | None:
    """Kind of a known top-level section title ("PAR CES MOTIFS, la Cour :" included)."""
    if "\n" not in text and _LONG_OPERATIVE.match(fold(text).strip()):
        return "operative"
    if "\n" in text or len(text) > 90:
        return None
    title = re.sub(r"\s+", " ", _folded_title(text))
    if _LETTER_SPACED.fullmatch(title):
        title = title.replace(" ", "")
        if title.startswith("parcesmotifs"):
            return "operative"
        return next((kind for key, kind in TOP_LEVEL.items() if key.replace(" ", "") == title),
                    None)
    title = re.sub(r"^[ivx]+\s*[.)–-]+\s*", "", title)  # "I. La procédure", « II.- Faits »
    title = re.sub(r"\s*\([^)]*\)$", "", title)  # « … PERTINENTS (RAPPEL) »
    title = title.replace("–", "-")
    title = title.replace(",", "")
    if title.startswith("par ces motifs"):
        return "operative"
    return TOP_LEVEL.get(title)


def sub_kind(text: str) -> SectionKind | None:
    title = _SECTION_NUMBER.sub("", _folded_title(text))
    for prefix, kind in SUB_KINDS:
        if title.startswith(prefix):
            return kind
    if re.match(r"^(?:et |mais )?sur (?:le|les|la|l')\s*(?:\w+ )?"
                r"(?:premier |second |unique )?moyens?\b", title):
        return "reasons"
    return None


# The public prosecutor's opinion published after a ruling (the Luxembourg Cour de cassation
# appends « Conclusions du Parquet général dans l'affaire de cassation ... »): the rest of the
# document, and not the court's words.
_OPINION = re.compile(
    r"^Conclusions\s+(?:du\s+Parquet\s+g[ée]n[ée]ral|de\s+l['’]avocat\s+g[ée]n[ée]ral"
    r"|du\s+minist[èe]re\s+public)\b[^\n]{0,120}", re.IGNORECASE)


def opinion_heading(text: str) -> Heading | None:
    """The heading of an appended opinion, from the first line of paragraph `text`."""
    match = _OPINION.match(text)
    return Heading(match.group().rstrip(), "top", "opinion") if match else None


def classify(text: str, *, in_body: bool, is_last: bool) -> Heading | None:
    """The heading that paragraph `text` is, or None when it is ordinary text.

    `in_body`: a top-level section has already started (sub-headings only count there,
    except "Sur le ... moyen" headings of older French cassation rulings)."""
    if is_last or "\n" in text or TABLE_OF_CONTENTS_LINE.search(text):
        return None
    kind = top_level_kind(text)
    if kind is not None:
        return Heading(text, "top", kind)
    if len(text) > 160:
        return None
    part = PART_MARK.match(text)
    if part and in_body:
        return Heading(text, "part", _PART_KINDS[part.group("part")])
    if text[-1] in ".;," or text.startswith(("|", "«", "\"", "(")):
        return None
    if text.endswith(":") and not re.match(r"^(?:Et |Mais )?Sur\b", text):
        return None
    for style, pattern in _SUB_STYLES:
        if pattern.match(text):
            if style in ("arabic", "decimal", "roman", "upper", "lower") and (
                    len(text) > 120 or _SENTENCE_INSIDE.search(text)):
                return None  # « 73. Le paragraphe … a été cité au point 54. 2.4 Examen du grief »
            kind2 = sub_kind(text)
            if not in_body and kind2 is None:
                return None
            return Heading(text, style, kind2)
    if in_body and _plain_heading(text):
        letters = [c for c in text if c.isalpha()]
        style = "caps" if all(c.isupper() for c in letters) else "plain"
        return Heading(text, style, sub_kind(text))
    return None


def _plain_heading(text: str) -> bool:
    """A short title line: "Indemnité de procédure", "Exécution provisoire", "SUR CE"."""
    words = text.split()
    if not (1 <= len(words) <= 10) or len(text) > 80:
        return False
    if not text[0].isupper() or text[-1] in ")]»\"”":
        return False
    if re.search(r"\d{3,}|[\[\]{}@|/]", text):
        return False
    return sum(c.isalpha() for c in text) >= 0.7 * len(text.replace(" ", ""))


# Opening words of the unheaded procedural narrative that follows the header of many
# judgments ("Par acte du ..., M. X a assigné ...", "Attendu, selon l'arrêt attaqué, que ...").
# "Vu ..." lines continue the current kind but start nothing: Luxembourg headers list them.
_CUE_PATTERNS: tuple[tuple[str, SectionKind], ...] = (
    (r"^Attendu\s*,?\s*selon\s+l['’]arr[êe]t\s+attaqu[ée]", "facts"),
    (r"^Attendu\s+qu[e'’].{0,300}?\bfai(?:t|sait)\s+grief\b", "claims"),
    (r"^(?:Mais\s+)?attendu\s+qu[e'’]", "reasons"),
    (r"^(?:\d{1,3}\.\s*)?considérant\s+qu[e'’]", "reasons"),  # older French public-law rulings
    (r"^(?:Aux\s+termes\s+de|Dans)\s+(?:ses|leurs|son)\s+(?:(?:dernières|ultimes)\s+)?"
     r"(?:conclusions|écritures|réquisitions|mémoire)\b", "claims"),
    (r"^Par\s+(?:(?:dernières|ultimes)\s+)?(?:conclusions|écritures)\b", "claims"),
    (r"^Par\s+(?:une?\s+|deux\s+)?(?:acte|exploit|assignation|jugement|ordonnance|déclaration"
     r"|arrêt|requête|lettre\s+recommandée)\b", "procedure"),
    (r"^Suivant\s+(?:acte|exploit|assignation|déclaration|requête|jugement|ordonnance"
     r"|arrêt)\b", "procedure"),
    (r"^L['’]ordonnance\s+de\s+cl[ôo]ture\b", "procedure"),
)
_NARRATIVE_CUES = tuple((re.compile(p, re.IGNORECASE), kind) for p, kind in _CUE_PATTERNS)


def narrative_kind(paragraph: str) -> SectionKind | None:
    """Kind of an unheaded paragraph that opens a stretch of procedural narrative, claims,
    facts or old-style reasons ("Attendu que ..."), or None when it opens none."""
    for pattern, kind in _NARRATIVE_CUES:
        if pattern.match(paragraph):
            return kind
    return None
