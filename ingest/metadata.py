"""Metadata found in the text of a judgment: court, chamber, date, numbers, matter, parties.

Each finder returns "" when the text does not state the field; nothing is guessed from the file
name. Dates come from the phrases that date the decision itself ("Audience publique du ...",
"ARRÊT DU ...", "N° 4/11 du 13.1.2011"), never from the dates of earlier decisions it cites.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from ingest.dates import DATE_PATTERN, DATE_RE, MONTHS, fold, to_iso, words_to_number
from ingest.ecli import NO_COUNTRY, Ecli, own_ecli

_APOS = "['’]"
_PARTICLES = {"sur", "en", "le", "la", "les", "de", "du", "des", "lès", "lez", "et", "aux", "au"}
_CITY_STOP = {"CHAMBRE", "SECTION", "POLE", "PÔLE", "RG", "N°", "NO", "AU", "ARRET", "ARRÊT",
              "REPUBLIQUE", "RÉPUBLIQUE", "EN", "DATE", "DU", "LE", "LA", "DE", "SUR"}


def _title_city(city: str) -> str:
    """'LA ROCHE-SUR-YON' -> 'La Roche-sur-Yon'; mixed case is kept as written."""
    if city != city.upper():
        return city
    words = re.split(r"([ -])", city.lower())
    out = []
    for i, word in enumerate(words):
        if word in (" ", "-") or (i > 0 and word in _PARTICLES):
            out.append(word)
        else:
            out.append(word[:1].upper() + word[1:])
    return "".join(out)


def _city(rest: str) -> str:
    """The place name at the start of `rest` (same line), e.g. 'VERSAILLES, 12ème chambre'."""
    rest = rest.split("\n", 1)[0]
    tokens = rest.split(" ")
    if not tokens or not tokens[0][:1].isupper():
        return ""
    first = tokens[0]
    parts = [first]
    caps = first.upper() == first and sum(c.isalpha() for c in first) >= 2
    i = 1
    while caps and i < len(tokens) and not re.search(r"[,.;:()]$", parts[-1]):
        token = tokens[i]
        bare = token.rstrip(",.;:)")
        if not re.fullmatch(r"[A-ZÀ-Ý][A-ZÀ-Ý'’-]*[A-ZÀ-Ý]", bare) or bare in _CITY_STOP:
            if bare.lower() in _PARTICLES and i + 1 < len(tokens) and tokens[i + 1][:1].isupper() \
                    and tokens[i + 1].rstrip(",.;:)").upper() == tokens[i + 1].rstrip(",.;:)") \
                    and tokens[i + 1].rstrip(",.;:)") not in _CITY_STOP:
                parts.append(token)
                i += 1
                continue
            break
        parts.append(token)
        i += 1
    city = " ".join(parts)
    city = re.sub(r"[\s,.;:()–-]+$", "", city)
    return _title_city(city) if city else ""


def _de(city: str) -> str:
    return f"d'{city}" if fold(city[:1]) in "aeiouyh" else f"de {city}"


_COURTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), name)
    for pattern, name in (
        (r"(?i:cour\s+de\s+cassation\s+du\s+grand[-\s]duch[ée]\s+de\s*luxembourg)",
         "Cour de cassation du Grand-Duché de Luxembourg"),
        (r"(?i:cour\s+d['’]appel\s+du\s+grand[-\s]duch[ée]\s+de\s*luxembourg)",
         "Cour d'appel du Grand-Duché de Luxembourg"),
        (r"(?i:tribunal\s+administratif\s+du\s+grand[-\s]duch[ée]\s+de\s*luxembourg)",
         "Tribunal administratif"),
        (r"(?i:cour\s+administrative\s+du\s+grand[-\s]duch[ée]\s+de\s*luxembourg)",
         "Cour administrative"),
        (r"(?i:cour\s+de\s+cassation\s+de\s+belgique)", "Cour de cassation de Belgique"),
        (r"(?i:cour\s+de\s+cassation)\b", "Cour de cassation"),
        (r"(?i:cour\s+administrative\s+d['’]appel\s+(?:de\s+|d['’]\s*))(?P<city>\S)",
         "Cour administrative d'appel {de}"),
        (r"(?i:cour\s+d['’]appel\s+(?:de\s+|d['’]\s*))(?P<city>\S)", "Cour d'appel {de}"),
        (r"(?i:tribunal\s+d['’]arrondissement\s+(?:de\s+et\s+à\s+|de\s+))(?P<city>\S)",
         "Tribunal d'arrondissement {de}"),
        (r"(?i:tribunal\s+de\s+commerce\s+(?:de\s+|d['’]\s*))(?P<city>\S)",
         "Tribunal de commerce {de}"),
        (r"(?i:tribunal\s+judiciaire\s+(?:de\s+|d['’]\s*))(?P<city>\S)",
         "Tribunal judiciaire {de}"),
        (r"(?i:tribunal\s+de\s+grande\s+instance\s+(?:de\s+|d['’]\s*))(?P<city>\S)",
         "Tribunal de grande instance {de}"),
        (r"(?i:tribunal\s+d['’]instance\s+(?:de\s+|d['’]\s*))(?P<city>\S)",
         "Tribunal d'instance {de}"),
        (r"(?i:tribunal\s+administratif\s+(?:de\s+|d['’]\s*))(?P<city>\S)",
         "Tribunal administratif {de}"),
        (r"(?i:conseil\s+de\s+prud['’]hommes\s+(?:de\s+|d['’]\s*))(?P<city>\S)",
         "Conseil de prud'hommes {de}"),
        (r"(?i:justice\s+de\s+paix\s+(?:de\s+|d['’]\s*))(?P<city>\S)", "Justice de paix {de}"),
        (r"(?i:cour\s+du\s+travail\s+(?:de\s+|d['’]\s*))(?P<city>\S)", "Cour du travail {de}"),
        (r"(?i:tribunal\s+du\s+travail\s+(?:francophone\s+|n[ée]erlandophone\s+)?"
         r"(?:de\s+|d['’]\s*))(?P<city>\S)", "Tribunal du travail {de}"),
        (r"(?i:tribunal\s+de\s+premi[èe]re\s+instance\s+(?:francophone\s+|n[ée]erlandophone\s+)?"
         r"(?:de\s+|d['’]\s*))(?P<city>\S)", "Tribunal de première instance {de}"),
        (r"(?i:tribunal\s+de\s+l['’]entreprise\s+(?:francophone\s+|n[ée]erlandophone\s+)?"
         r"(?:de\s+|d['’]\s*))(?P<city>\S)", "Tribunal de l'entreprise {de}"),
        (r"(?i:conseil\s+constitutionnel)\b", "Conseil constitutionnel"),
        (r"(?i:cour\s+nationale\s+du\s+droit\s+d['’]\s*asile)\b",
         "Cour nationale du droit d'asile"),
        (r"(?i:cour\s+de\s+justice\s+benelux)\b", "Cour de justice Benelux"),
        (r"(?i:cour\s+des\s+comptes)\b", "Cour des comptes"),
        (r"(?i:cour\s+supr[êe]me)\b", "Cour suprême"),
        (r"(?i:conseil\s+d['’][ée]tat)\b", "Conseil d'État"),
        (r"(?i:cour\s+constitutionnelle)\b", "Cour constitutionnelle"),
        (r"(?i:cour\s+administrative)\b", "Cour administrative"),
    )
)
# Words just before a court name that show it is another court (the one appealed from, a
# judge's title...), e.g. "arrêt rendu le ... par la cour d'appel de Riom".
_OTHER_COURT = re.compile(
    r"(?:rendu|attaqu|d[ée]f[ée]r|d[ée]cision|jugement|appel\s+d|conseill|avocat|greffi|arr[êe]t\s+n°"
    r"|pr[ée]sident|procureur|pr[èe]s\s+l|membre|magistrat|juge|renvoi|devant|ordonnance"
    r"|arr[êe]t\s+du|l['’]arr[êe]t|du\s*$|des\s*$|aux?\s*$|à\s+la\s*$|\ben\s*$)",
    re.IGNORECASE,
)
_CA_ABBREV = re.compile(r"^CA\s+(?P<city>[A-ZÀ-Ý][\wÀ-ÿ'’-]*(?: [A-ZÀ-Ý][\wÀ-ÿ'’-]*)?),",
                        re.MULTILINE)
_CASS_ABBREV = re.compile(r"^Cass\.?\s*(?P<ch>com|civ|soc|crim)\b", re.MULTILINE)


@lru_cache(maxsize=8)
def _own_ecli(text: str) -> Ecli | None:
    return own_ecli(text)


def find_ecli(text: str, header_end: int = 0) -> str:
    """The judgment's own ECLI as the text states it ("ECLI:BE:RVSCE:2026:ARR.265.501"), ""
    when it states none (ECLIs it cites do not count)."""
    ecli = _own_ecli(text)
    return str(ecli) if ecli else ""


# A docket number in the court's own register names the court (Luxembourg): "Numéro
# CAL-2024-00067 du rôle", "Numéro CAS-2025-00126 du registre".
_REGISTER_COURTS = {
    "CAL": "Cour d'appel du Grand-Duché de Luxembourg",
    "CAS": "Cour de cassation du Grand-Duché de Luxembourg",
    "TAL": "Tribunal d'arrondissement de Luxembourg",
    "TAD": "Tribunal d'arrondissement de Diekirch",
}
_REGISTER = re.compile(
    r"(?:Num[ée]ro|N°)\s*(?P<code>CAL|CAS|TAL|TAD)-\d{4}-\d{3,6}\s*du\s+(?:r[ôo]le|registre)")
# The court where the case was registered is the one that decides it.
_REGISTERED_AT = re.compile(
    r"(?i:enregistr[^.;]{0,150}?secr[ée]tariat\s+du\s+contentieux\s+du\s+conseil\s+d['’]\s*[ée]tat)")
# Words just before the court named in a closing formula that show it is another court:
# "Renvoie la cause devant la cour du travail de Mons. Ainsi jugé par la Cour de cassation".
_OTHER_IN_CLOSING = re.compile(r"(?i:devant|renvo|rendu|attaqu|d[ée]cision|jugement)[^.;]{0,20}$")


def find_court(text: str, header_end: int) -> str:
    """The deciding court, named as a court name in full: the court of the judgment's own
    ECLI; else the court whose register numbers the case ("Numéro CAL-2024-00067 du rôle");
    else the first mention in the header that is not the court appealed from; else the
    court where the case was registered ("au secrétariat du contentieux du Conseil d'État");
    else the court that signs the ruling ("Ainsi jugé ... par le Tribunal ...", "PAR CES
    MOTIFS, le Tribunal d'arrondissement ..."). A name several countries share ("Cour de
    cassation", "Conseil d'État") is completed with the country when `find_country` is
    certain of it ("Cour de cassation de Belgique")."""
    court = _find_court(text, header_end)
    return qualify_court(court, find_country(text, header_end, court))


def _find_court(text: str, header_end: int) -> str:
    ecli = _own_ecli(text)
    if ecli and ecli.court:
        return ecli.court
    header = text[:header_end]
    register = _REGISTER.search(header)
    if register:
        return _REGISTER_COURTS[register.group("code")]
    match = _CA_ABBREV.search(header[:300])
    if match:
        return f"Cour d'appel {_de(_city(match.group('city')))}"
    if _CASS_ABBREV.search(header[:300]):
        return "Cour de cassation"
    if _REGISTERED_AT.search(header):
        return "Conseil d'État"
    found = _first_court(header, 0)
    if found:
        return found
    for signing in re.finditer(
        r"(?i:ainsi\s+(?:fait|jugé|prononcé)|par ces motifs)[^\n]{0,400}?"
        r"(?:\n\n)?(?i:par\s+l[ea]|l[ea])\s+(?=(?i:cour|tribunal|conseil))", text
    ):
        if _OTHER_IN_CLOSING.search(text[max(0, signing.end() - 40):signing.end() - 3]):
            continue
        found = _first_court(text[signing.end():signing.end() + 200], 0, strict=False,
                             at_start=True)
        if found:
            return found
    return ""


# Names several countries give a court, completed with the country (as ingest/courts.py
# names them).
_QUALIFIED = {
    ("Cour de cassation", "BE"): "Cour de cassation de Belgique",
    ("Cour de cassation", "LU"): "Cour de cassation du Grand-Duché de Luxembourg",
    ("Conseil d'État", "BE"): "Conseil d'État (Belgique)",
    ("Conseil d'État", "LU"): "Conseil d'État (Luxembourg)",
    ("Cour de cassation", "TN"): "Cour de cassation de Tunisie",
    ("Cour suprême", "CI"): "Cour suprême de Côte d'Ivoire",
}


def qualify_court(court: str, country: str) -> str:
    """'Cour de cassation' + 'BE' -> 'Cour de cassation de Belgique'; other names as given."""
    return _QUALIFIED.get((court, country), court)


# Courts of one country only, by their name.
_COURT_COUNTRY: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), country) for pattern, country in (
        (r"de Belgique$|\(Belgique\)$", "BE"),
        (r"Grand-Duché de Luxembourg$|\(Luxembourg\)$", "LU"),
        (r"^(?:Cour du travail|Tribunal de l'entreprise) ", "BE"),
        (r"^(?:Tribunal d'arrondissement) ", "LU"),
        (r"^(?:Conseil constitutionnel|Cour nationale du droit d'asile|Cour des comptes)$"
         r"|^(?:Cour administrative d'appel|Tribunal judiciaire|Tribunal de grande instance"
         r"|Tribunal d'instance|Conseil de prud'hommes) ", "FR"),
        (r"^(?:Cour d'appel|Tribunal de première instance|Tribunal du travail) "
         r"(?:de Bruxelles|de Liège|de Mons|d'Anvers|de Gand)$", "BE"),
    )
)
# What a judgment of one legal system writes and another does not, searched in the header and
# the closing lines: distinct markers are counted per country.
_COUNTRY_MARKERS: dict[str, tuple[re.Pattern[str], ...]] = {
    country: tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    for country, patterns in {
        "FR": (
            r"au\s+nom\s+du\s+peuple\s+fran[çc]ais",
            r"r\s?[ée]\s?p\s?u\s?b\s?l\s?i\s?q\s?u\s?e\s+f\s?r\s?a\s?n\s?[çc]\s?a\s?i\s?s\s?e",
            r"code\s+de\s+justice\s+administrative",
            r"secr[ée]tariat\s+du\s+contentieux\s+du\s+conseil\s+d['’]\s*[ée]tat",
            # French code articles "L. 640-1", "R 641-6" of the Code de commerce (the
            # Luxembourg and former Belgian codes de commerce number plainly), and codes only
            # France has
            r"\b[LR]\.?\s?\d{3}-\d{1,3}(?:-\d+)?\b[^.;]{0,40}?\bdu\s+code\s+de\s+commerce",
            r"code\s+(?:mon[ée]taire\s+et\s+financier|g[ée]n[ée]ral\s+des\s+imp[ôo]ts"
            r"|de\s+l['’]entr[ée]e\s+et\s+du\s+s[ée]jour|des\s+proc[ée]dures\s+civiles"
            r"|de\s+la\s+sant[ée]\s+publique|de\s+l['’]action\s+sociale\s+et\s+des\s+familles)",
        ),
        "BE": (
            r"(?<![\w.])[CDFHPS]\.\d{2}\.\d{4}\.[FND](?![\w.])",
            r"banque[-\s]carrefour\s+des\s+entreprises",
            r"moniteur\s+belge",
            r"[ée]tat\s+belge",
            r"(?<![\w'’])code\s+judiciaire",
            r"royaume\s+de\s+belgique",
            r"cour\s+du\s+travail",
            r"tribunal\s+de\s+l['’]entreprise",
            r"(?:franco|n[ée]erlando)phone\s+de\s+bruxelles",
            r"lois\s+coordonn[ée]es\s+sur\s+le\s+conseil\s+d['’]\s*[ée]tat",
        ),
        "LU": (
            r"grand[-\s]duch[ée]\s+de\s*luxembourg",
            r"(?<![\w-])L-(?:\d{4}|ADRESSE)",
            r"registre\s+de\s+commerce\s+et\s+des\s+soci[ée]t[ée]s\s+de\s+luxembourg",
            r"(?<![\w-])(?:TAL|CAL|CAS|TAD)-\d{4}-\d{3,6}",
            r"procureur\s+g[ée]n[ée]ral\s+d['’]\s*[ée]tat",
            r"cour\s+sup[ée]rieure\s+de\s+justice",
            r"\d{4}TA[LD]CH\d",
        ),
        "TN": (r"r[ée]publique\s+tunisienne",),
        "CI": (r"r[ée]publique\s+de\s+c[ôo]te\s+d['’]\s*ivoire",),
        "MC": (r"principaut[ée]\s+de\s+monaco",),
    }.items()
}


def find_country(text: str, header_end: int, court: str = "") -> str:
    """ISO code of the court's country ("FR", "BE", "LU"), "" unless the court's name, the
    judgment's own ECLI or the text's legal-system markers make it certain: markers of one
    country only, or at least two and three times as many as any other country's."""
    for pattern, country in _COURT_COUNTRY:
        if pattern.search(court):
            return country
    ecli = _own_ecli(text)
    if ecli and ecli.country not in NO_COUNTRY:
        return ecli.country
    scope = text[:header_end] + "\n" + text[max(header_end, len(text) - 1500):]
    counts = {country: sum(1 for marker in markers if marker.search(scope))
              for country, markers in _COUNTRY_MARKERS.items()}
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top and (second == 0 or (top >= 2 and top >= 3 * second)):
        return best
    return ""


def _first_court(text: str, start: int, strict: bool = True, at_start: bool = False) -> str:
    best: tuple[int, int, str] | None = None
    for pattern, name in _COURTS:
        for match in pattern.finditer(text, start):
            if at_start and match.start() != start:
                break
            before = text[max(0, match.start() - 60):match.start()]
            before = before.rsplit("\n\n", 1)[-1]
            if strict and _OTHER_COURT.search(before):
                continue
            if "{de}" in name:
                city = _city(text[match.start("city"):])
                if not city:
                    continue
                name = name.replace("{de}", _de(city))
            if best is None or match.start() < best[0] or (
                match.start() == best[0] and match.end() - match.start() > best[1]
            ):
                best = (match.start(), match.end() - match.start(), name)
            break
    return best[2] if best else ""


_ROMAN_CHAMBER = re.compile(r"\(\s*([IVXLl]{1,7})\s*(?:e|è|ème|eme|re)\s+chambre\s*\)")
_JUGEMENT_HEAD = re.compile(
    r"^Jugement\s+(?P<matter>[a-zé]+)\s+(?:(?P<roman>[IVXL]{1,7})\s+)?(?:no|n°|N°|No)\s*\.?\s*"
    r"(?P<number>\d[\w/.-]*)",
    re.MULTILINE,
)
_CASS_CHAMBER = re.compile(
    r"(?i:(?P<ord>premi[eè]re|deuxi[eè]me|troisi[eè]me|1re|2e|3e)\s+)?(?i:chambre)\s+"
    r"(?P<ch>(?i:commerciale(?:\s*,\s*financi[eè]re\s+et\s+[ée]conomique)?|civile|sociale"
    r"|criminelle|mixte))"
)
_CA_CHAMBER = re.compile(
    r"^(?:(?:\d{1,2}\s?(?:e|ème|è|eme|re|er)|premi[eè]re|deuxi[eè]me|troisi[eè]me|quatri[eè]me"
    r"|cinqui[eè]me|sixi[eè]me|septi[eè]me|huiti[eè]me|neuvi[eè]me|dixi[eè]me)\s+chambre\b"
    r"|chambre\b|p[ôo]le\s+\d)",
    re.IGNORECASE,
)


def _sentence_case(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return text[:1] + text[1:].lower()
    return text


_CHAMBER_WORDS = ("chambre", "section", "civile", "commerciale", "sociale", "criminelle",
                  "correctionnelle", "financière", "économique", "mixte", "détachée")
_POLE = re.compile(r"^P[ôo]le\s*(\d{1,2})\s*[-,]?\s*(?:chambre|ch\.)\s*(\d{1,2})$", re.IGNORECASE)


def normalize_chamber(chamber: str) -> str:
    """The chamber in one typography, the court's wording kept: dashes as '-', '12ème' ->
    '12e', '1ère' -> '1re', 'Chambre'/'Civile' after the first word in lower case, one space;
    Paris poles as 'Pôle 5 - Chambre 11' ('Pôle 5 ch. 11', 'Pôle 5 – Chambre 11')."""
    text = re.sub(r"\s*[–—‑]\s*", " - ", chamber)
    text = re.sub(r"\s+", " ", text).strip(" ,;")
    text = re.sub(r"\b(\d{1,2}|[IVXL]{1,7})\s?(?:ème|eme|è)\b", r"\1e", text)
    text = re.sub(r"\b1\s?(?:ère|ere)\b", "1re", text)
    pole = _POLE.match(text)
    if pole:
        return f"Pôle {pole.group(1)} - Chambre {pole.group(2)}"
    words = text.split(" ")
    return " ".join([words[0]] + [w.lower() if w.lower() in _CHAMBER_WORDS else w
                                  for w in words[1:]])


def find_chamber(text: str, header_end: int, court: str) -> str:
    """'XIe chambre', 'chambre commerciale, financière et économique', '3e chambre A'...,
    written as `normalize_chamber` gives it."""
    return normalize_chamber(_find_chamber(text, header_end, court))


def _find_chamber(text: str, header_end: int, court: str) -> str:
    header = text[:header_end]
    match = _ROMAN_CHAMBER.search(header)
    if match:
        return f"{match.group(1).replace('l', 'I')}e chambre"
    match = _JUGEMENT_HEAD.search(header)
    if match and match.group("roman"):
        return f"{match.group('roman')}e chambre"
    if court.startswith("Cour de cassation") and court != "Cour de cassation du Grand-Duché de " \
            "Luxembourg":
        match = _CASS_CHAMBER.search(header)
        if match:
            chamber = fold(match.group("ch"))
            if chamber.startswith("commerciale,"):
                chamber = "commerciale, financière et économique"
            ordinal = fold(match.group("ord") or "")
            ordinal = {"premiere": "première", "deuxieme": "deuxième", "troisieme": "troisième",
                       "1re": "première", "2e": "deuxième", "3e": "troisième"}.get(ordinal, "")
            return f"{ordinal + ' ' if ordinal else ''}chambre {chamber}"
        if re.search(r"^COMM\.?$", header[:200], re.MULTILINE):
            return "chambre commerciale"
        return ""
    match = re.search(r"^CA\s+[^,\n]+,\s*(?P<ch>[^,\n]*(?:ch\.|chambre|[Pp]ôle)[^,\n]*),", header)
    if match:
        return match.group("ch").strip()
    if "Luxembourg" in court:
        return ""
    for line in header.split("\n")[:80]:
        line = line.strip()
        if len(line) <= 60 and _CA_CHAMBER.match(line) and not re.search(r"[,;]|conseil", line):
            return _sentence_case(line)
    match = re.search(r"(?i:cour d['’]appel de )\S+,\s*(\d{1,2}\s?(?:e|ème)\s+chambre[^,\n]*),",
                      header)
    if match:
        return match.group(1).strip()
    return ""


_DATE = f"(?:{DATE_PATTERN})"
_WEEKDAY_OPT = r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s*,?\s*)?"
_UNTIL_BLANK = r"(?:(?!\n\n)[\s\S])"  # any character but a blank line
_SENTENCE_START = r"(?:^|(?<=[.;:]\s))"
# (rule, where it is searched: the header only or the whole text), most trusted first.
_DATE_RULES: tuple[tuple[re.Pattern[str], bool], ...] = tuple(
    (re.compile(p, re.IGNORECASE | re.MULTILINE), whole_text)
    for p, whole_text in (
        # Belgian labour courts: "Date du prononcé 11 avril 2025", "Date du prononcé : 22/04/2025"
        (rf"date\s+du\s+prononc[ée]\s*:?\s*{_WEEKDAY_OPT}(?P<date>{_DATE})", False),
        # "ARRÊT DU 23 Mars 2023", "JUGEMENT du mercredi 23 novembre 2022", "ARRÊT N° /2024 DU 5
        # FÉVRIER 2024", "ARRÊT DE LA COUR DE CASSATION, ..., DU 18 NOVEMBRE 2020" (a title: a
        # capital first letter, not a wrapped line of prose starting with "jugement du")
        (r"^(?-i:ARR[ÊE]T|Arr[êe]t|JUGEMENT|Jugement|ORDONNANCE|Ordonnance|D[ÉE]CISION|Décision"
         r"|AVIS|Avis)\b"
         r"(?:(?!rendu|attaqu|d[ée]f[ée]r|\n)[^\n]){0,150}?"
         rf"\bdu\s*:?\s*{_WEEKDAY_OPT}(?P<date>{_DATE})", False),
        (r"^(?-i:DU)\s+(?P<date>" + _DATE + ")", False),
        # "Arrêt n° 59/26 chap\ndu 2 avril 2026"
        (r"^(?-i:ARR[ÊE]T|Arr[êe]t)\s+n°[^\n]{0,30}\n\s*du\s+"
         rf"{_WEEKDAY_OPT}(?P<date>{_DATE})", False),
        # Luxembourg cassation: "N° 4 / 11. du 13.1.2011.", "N° 29/ 2026pénal\ndu 29.01.2026";
        # Belgian Conseil d'État: "n° 265.501 du 21 janvier 2026" (OCR: "no 265.501")
        # old Belgian Cour d'arbitrage: "No 41/90 Arrêt du 21 décembre 1990"
        (rf"^N[°o]\s*\d+\s*/\s*\d+[^\n]{{0,12}}?\s*du\s+(?P<date>{_DATE})", False),
        # "Cour de cassation Arrêt n°41705-2016 du 12 juin 2017", "Cour de Cassation n°54804-2017
        # du 8 décembre 2017"
        (r"^(?:[^\n]{0,40}?\b(?-i:Arr[êe]t|ARR[ÊE]T|Jugement|Décision|Cour)\b[^\n]{0,30}?)\s*n°\s*"
         rf"\d[\w./-]*\s+du\s+{_WEEKDAY_OPT}(?P<date>{_DATE})", False),
        # "DATE : 28 juin 2022", "Date de la décision : ..."
        (rf"^date(?:\s+de\s+la\s+d[ée]cision)?\s*:\s*{_WEEKDAY_OPT}(?P<date>{_DATE})", False),
        (rf"^n[°o]\s*\d{{1,3}}(?:\.\d{{3}})+\s+du\s+(?P<date>{_DATE})", False),
        # CNDA, administrative courts: "Lecture du 20 février 2026"
        (rf"^lecture\s+du\s+{_WEEKDAY_OPT}(?P<date>{_DATE})", False),
        # "Audience publique du vendredi, vingt-quatre janvier deux mille vingt-cinq."
        (r"(?:^|du registre\.?\s+)audience\s+publique\b[^\n]{0,160}?\bdu\s+"
         rf"{_WEEKDAY_OPT}(?P<date>{_DATE})", False),
        # the closing formula: "prononcé en audience publique du huit décembre deux mille
        # vingt-cinq", "Et prononcé, en langue française à l'audience publique de la chambre
        # 2-B de la Cour du travail de Liège, ..., le 02 septembre 2022", "et lu à l'audience
        # publique du 27 mars 2026", "prononcé publiquement le ...", "Rendu public par mise à
        # disposition au greffe, le 2 mars 2026", "Rendu le 3 avril 2026.", "Fait à Paris,
        # le 11 mars 2026", "Délibéré par le Conseil constitutionnel dans sa séance du ..."
        # "Ainsi prononcé en langue française et en langue néerlandaise, conformément à
        # l'article 65 de la loi spéciale ..., à l'audience publique du 21 décembre 1990."
        (r"prononc[ée]e?s?\b,?(?:\s+en\s+(?:langue\s+)?\w+(?:\s*(?:,|et)\s+(?:en\s+)?"
         r"(?:langue\s+)?\w+){0,3})?(?:\s*,?\s*conform[ée]ment\s+à\s+[^.;]{0,200}?,)?"
         r"\s*,?\s+(?:(?:à|en|lors\s+de)\s+"
         r"(?:l['’]\s*)?audience\s+publique|publiquement|par\s+mise\s+à\s+disposition)"
         rf"{_UNTIL_BLANK}{{0,300}}?\b(?:le|du)\s+{_WEEKDAY_OPT}(?P<date>{_DATE})", True),
        # "La Cour ... a rendu en son audience publique ordinaire du vingt-deux mars deux mil
        # dix-sept"
        (r"\ben\s+son\s+audience(?:\s+publique)?(?:\s+(?:ordinaire|extraordinaire))?\s+du\s+"
         rf"{_WEEKDAY_OPT}(?P<date>{_DATE})", True),
        (r"\blu\s+(?:à|en)\s+l['’]\s*audience\s+publique\s+(?:extraordinaire\s+)?du\s+"
         rf"{_WEEKDAY_OPT}(?P<date>{_DATE})", True),
        (rf"{_SENTENCE_START}(?-i:Rendu)\s+(?:public\s+)?(?:par\s+mise\s+à\s+disposition\s+"
         rf"(?:au\s+greffe\s*)?,?\s*)?le\s+{_WEEKDAY_OPT}(?P<date>{_DATE})", True),
        (rf"{_SENTENCE_START}(?-i:Fait)\s+(?:et\s+\w+\s+)?(?:à|en)\s+[^\n]{{1,80}}?,\s*le\s+"
         rf"{_WEEKDAY_OPT}(?P<date>{_DATE})", True),
        (r"délibéré\s+par\s+le\s+conseil\s+constitutionnel\s+dans\s+sa\s+séance\s+du\s+"
         rf"{_WEEKDAY_OPT}(?P<date>{_DATE})", True),
        # citation lines: "CA Orléans, ch. civ., 20 janvier 2026, n° 23/01807", "25 octobre 1994,
        # pourvoi 93-10.184", a line holding only a date
        (rf"^(?:CA|Cass\.?|T\.\s?com\.?)\s[^\n]*?,\s*(?P<date>{_DATE})", False),
        (rf"^(?P<date>{_DATE})\s*(?:,\s*pourvoi\b|$)", False),
        # "LE NEUF OCTOBRE DEUX MILLE TROIS,"
        (rf"^(?:le\s+)?(?P<date>{_DATE})\s*,?$", False),
        # "Date de mise à disposition : 23 Mars 2023", "Ainsi jugé et prononcé le ..."
        (rf"date de mise à disposition\s*:\s*(?P<date>{_DATE})", True),
        # ... but not "le jugement entrepris prononcé le 12 octobre 2023 par le tribunal"
        (r"(?:ainsi\s+(?:fait|jugé)|(?<!entrepris\s)(?<!attaqué\s)(?<!attaquée\s)prononcé)"
         rf"(?:(?!\s+par\s+l[ea]\s+(?:tribunal|cour))[^\n]){{0,80}}?\ble\s+{_WEEKDAY_OPT}"
         rf"(?P<date>{_DATE})(?!\s+par\s+l[ea]\s+(?:tribunal|cour))", True),
    )
)


def find_date(text: str, header_end: int) -> str:
    """ISO date of the decision, "" when the text does not state it: the date of the
    judgment's own ECLI when it carries one, else the first rule of `_DATE_RULES` that finds a
    real date."""
    ecli = _own_ecli(text)
    if ecli and ecli.date:
        return ecli.date
    header = text[:header_end]
    for rule, whole_text in _DATE_RULES:
        for match in rule.finditer(text if whole_text else header):
            sub = DATE_RE.search(match.group("date"))
            iso = to_iso(sub) if sub else ""
            if iso:
                return iso
    return _glued_hearing_date(header)


# Text extracted from some PDFs glues the words of a date in letters: "Audience publique
# extraordinaire duvingt-septmars deux mille vingt-six".
_NUMBER_WORD = (r"(?:premier|quatorze|quarante|cinquante|soixante|trente|quatre|treize|quinze"
                r"|seize|douze|onze|vingt(?:s(?!ix|ept|eize))?|cent(?:s(?!ix|ept|eize))?|mille|mil"
                r"|deux|trois|cinq|sept|huit|neuf|dix"
                r"|six|une?|et)")
_GLUED_DATE = re.compile(
    rf"^(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)?(?P<d>{_NUMBER_WORD}+?)"
    r"(?P<m>janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre"
    rf"|decembre)(?P<y>{_NUMBER_WORD}+)$")
_HEARING = re.compile(r"(?im:^audience\s*publique\b[^\n]{0,60}?du)(?P<rest>[^\n]{5,80})")


def _glued_hearing_date(header: str) -> str:
    for hearing in _HEARING.finditer(header):
        rest = fold(hearing.group("rest")).split(".")[0]
        glued = _GLUED_DATE.match(re.sub(r"[\s,-]+", "", rest))
        if not glued:
            continue
        day = words_to_number(" ".join(re.findall(_NUMBER_WORD, glued.group("d"))))
        year = words_to_number(" ".join(re.findall(_NUMBER_WORD, glued.group("y"))))
        month = MONTHS[glued.group("m")]
        if day and year and 1800 <= year <= 2100:
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                continue
    return ""


_LU_JUDGMENT_NUMBER = re.compile(  # as a title: a judgment it cites is not its own
    r"^(?:(?:Jugement|JUGEMENT)\s+[a-zé]+\s+|N[°o]\.?\s*)"
    r"(?P<number>(?:19|20)\d{2}TA[LD][A-Z]{2,6}\d{0,2}/\d{3,6})(?![\w/])", re.MULTILINE)


def find_decision_number(text: str, header_end: int) -> tuple[str, str]:
    """(decision number, matter) e.g. ("2025TALCH11/00011", "civil"), ("740 FS-P+B", ""),
    ("265.501", "") (Belgian Conseil d'État), ("45/2025", "") (Cour constitutionnelle)."""
    header = text[:header_end]
    match = _JUGEMENT_HEAD.search(header)
    if match:
        matter = match.group("matter").lower()
        return match.group("number").rstrip(".,;"), matter if matter in _MATTERS else ""
    ecli = _own_ecli(text)
    if ecli and ecli.number:
        return ecli.number, ""
    match = re.search(r"^N°\s*(\d{1,4})\s*/\s*(\d{2,4})(?!\d)", header, re.MULTILINE)
    if match:
        return f"{match.group(1)}/{match.group(2)}", ""
    # Belgian Conseil d'État: "n° 265.501 du 21 janvier 2026" (OCR: "no 265.501 du")
    match = re.search(r"^n[°o]\s*(\d{1,3}(?:\.\d{3})+)\s+du\s", header, re.MULTILINE)
    if match:
        return match.group(1), ""
    match = re.search(r"\bArr[êe]t\s+[nN]°\s*(\d+(?:[/-]\d{2,4}(?!\d))?"
                      r"(?:\s+[A-Z]{1,3}(?:-[A-Z]+(?:\+[A-Z]+)*)?)?)\b", header)
    if match:
        return match.group(1).strip(), ""
    # "Décision 29/2026 du 13 février 2026", "Avis n° 25-A-17 du 26 décembre 2025", "Cour de
    # Cassation n°54804-2017 du 8 décembre 2017"
    match = re.search(r"^(?:[^\n]{0,40}?\bCour\b[^\n]{0,30}?|D[ée]cision|D[ÉE]CISION|Avis|AVIS)"
                      r"\s+(?:n°\s*)?(\d[\w./-]*\w)\s+du\s", header, re.MULTILINE)
    if match:
        return match.group(1), ""
    match = re.search(r"^N°\s*(\d+)\s+ARR[ÊE]T\s+N°", header, re.MULTILINE)
    if match:
        return match.group(1), ""
    match = re.search(r"^ARR[ÊE]T\s+N°\s*(\d[\d/-]*)", header, re.MULTILINE)
    if match:
        return match.group(1), ""
    # a header line holding only the number: "N° 23028255" (CNDA), "N° 470123" (Conseil
    # d'État), "N° 25MA00101" (cour administrative d'appel)
    match = re.search(r"^[ \t]*N°\s*:?\s*(\d{2}[0-9A-Z]{3,}|\d[\d./-]{3,}\d)[ \t]*$", header,
                      re.MULTILINE)
    if match:
        return match.group(1), ""
    # ... or several: "Nos 470123, 470456", "N°s 23PA01234 et 23PA01235" (joined cases)
    one = r"(?:\d{2}[0-9A-Z]{3,}|\d[\d./-]{3,}\d)"
    match = re.search(rf"^[ \t]*N(?:°s|os|°)\s*:?\s*({one}(?:\s*(?:,|et)\s*{one})+)[ \t]*$",
                      header, re.MULTILINE)
    if match:
        return match.group(1), ""
    # Luxembourg tribunal numbers are one token: "Jugement commercial 2024TALCH02/00123",
    # "N° 2024TALCH15/00067 (XVe chambre)", "No 2023TALREF/00456"
    match = _LU_JUDGMENT_NUMBER.search(header)
    if match:
        return match.group("number"), ""
    return "", ""


_MATTERS = {"civil": "civil", "commercial": "commercial", "correctionnel": "pénal",
            "criminel": "pénal", "administratif": "administratif", "social": "social"}


def find_matter(text: str, header_end: int, operative_start: int | None) -> str:
    """'civil', 'commercial', ... when the judgment states it."""
    _, matter = find_decision_number(text, header_end)
    if matter:
        return _MATTERS[matter]
    if operative_start is not None:
        opening = text[operative_start:operative_start + 400]
        match = re.search(r"si[ée]geant en mati[èe]re (civile|commerciale|sociale|de bail à loyer"
                          r"|de droit du travail)", opening)
        if match:
            return {"civile": "civil", "commerciale": "commercial", "sociale": "social",
                    "de bail à loyer": "bail à loyer",
                    "de droit du travail": "droit du travail"}[match.group(1)]
    return ""


def find_docket(text: str, header_end: int) -> str:
    """'TAL-2021-06580', 'RG 20/00024', 'pourvoi n° 19-19.463', 'CAS-2020-00054',
    'S.19.0064.F' (Belgian Cour de cassation), '53864' (Luxembourg administrative courts,
    "N° 53864 du rôle"), 'n° 93-1599' ("enregistrée sous le numéro 93-1599")..."""
    header = text[:header_end]
    for role in re.finditer(
            r"(?:Num[ée]ros?|num[ée]ros?|N°)\s*([A-Z0-9][^\n]{0,39}?)\s*du\s+r[ôo]le", header):
        if re.search(r"\d", role.group(1)):
            return role.group(1).strip()
    for register in re.finditer(r"Num[ée]ro\s+([A-Z0-9][^\n]{0,29}?)\s*du\s+registre", header):
        number = register.group(1).strip()
        if re.search(r"\d", number):
            return f"n° {number} du registre" if number.isdigit() else number
    # "pourvoi n° 19-19.463", "Pourvois n°\n F 21-25.274\n H 21-25.275\n G 21-25.276", "les
    # pourvois n° 16-12.168 et 16-13.065"
    pourvoi = r"(?:[A-Z]\s+)?\d{2}-\d{2}\.\d{3}(?!\d)"
    match = re.search(rf"pourvois?\s+(?:n°\s*)?{pourvoi}(?:(?:\s*,\s*|\s+et\s+|\s+)(?:n°\s*)?"
                      rf"{pourvoi})*", header, re.IGNORECASE)
    if match:
        numbers = re.findall(r"\d{2}-\d{2}\.\d{3}", match.group(0))
        if len(numbers) == 1:
            return f"pourvoi n° {numbers[0]}"
        listed = ", ".join(numbers[:-1])
        return f"pourvois n° {listed} et {numbers[-1]}"
    # "N° U 23-80.379 F-B", "Affaire n° F 25-40.033" (Cour de cassation)
    match = re.search(r"^[ \t]*(?:N°|Affaire\s+n°)\s*(?:[A-Z]\s+)?(\d{2}-\d{2}\.\d{3})\b", header,
                      re.MULTILINE)
    if match:
        return f"pourvoi n° {match.group(1)}"
    # "Affaire n° 80956", "Affaire N° 43090.2016" alone on their line
    match = re.search(r"^[ \t]*Affaire\s+n°\s*(\d[\d./-]*\d)[ \t]*$", header,
                      re.MULTILINE | re.IGNORECASE)
    if match:
        return f"n° {match.group(1)}"
    # Belgian Cour de cassation role numbers: "N° C.25.0123.F", "n° S.19.0064.F"
    match = re.search(r"(?:N°|n°|NDEG|No\.?)\s*([A-Z]\.\d{2}\.\d{4}\.[FND])\b", header)
    if match:
        return match.group(1)
    # Luxembourg register numbers without "du rôle": "No. TAL-2024-01234", "N° CAL-2023-00456"
    match = re.search(r"(?:N°|No\.?|Num[ée]ros?)\s*:?\s*((?:TAL|CAL|CAS|TAD)-\d{4}-\d{3,6})\b",
                      header)
    if match:
        return match.group(1)
    match = re.search(r"^CA\s[^\n]*,\s*n°\s*(\d[\d/.-]*\d)", header, re.MULTILINE)
    if match:
        return f"n° {match.group(1)}"
    # "Vu, enregistrée sous le numéro 93-1599 au secrétariat ...", "1° Sous le n° 497009, ..."
    match = re.search(r"(?:enregistr[ée]+s?\s+sous\s+le|^[ \t]*1°\s+[Ss]ous\s+le)\s+"
                      r"(?:n°|num[ée]ro)\s*(\d[\d./-]*\d)\b", header, re.MULTILINE)
    if match:
        return f"n° {match.group(1)}"
    match = re.search(
        r"(?:R\.\s?G\.|\bRG\b|\br[ôo]le\b)\s*(?:n°|N°|no|No)?\s*:?\s*(\d[\w./-]*[\w])", header
    )
    if match:
        return f"RG {match.group(1)}"
    return ""


_PSEUDONYM = re.compile(
    r"\b(?:PERSONNE|SOCIETE|SOC|SYNDICAT|ASSOCIATION|ETABLISSEMENT|Soc)\d+\.?\)"
    r"|(?<![\w.])[A-Z]\)(?=[,\s]|$)"
)
_LIST_MARK = re.compile(r"(?:^|\n|,\s|\s)(?:-\s*)?\d{1,2}\s?(?:\.\)|\)|\.)\s")


def _parties(part: str) -> list[str]:
    names: list[str] = []
    for segment in _LIST_MARK.split(part):
        segment = segment.strip()
        if not segment:
            continue
        denom = re.search(r"dénomination\s+«\s*(" + _PSEUDONYM.pattern + r")", segment)
        head = segment.split(",", 1)[0]
        match = _PSEUDONYM.search(head)
        name = denom.group(1) if denom else (match.group(0) if match else "")
        if not name and re.fullmatch(r"[A-Z]{1,2}", head.strip()):
            name = head.strip()
        if name and name not in names:
            names.append(name)
    return names


def _join_names(names: list[str]) -> str:
    if len(names) > 3:
        return f"{names[0]}, {names[1]} et autres"
    return " et ".join(names) if len(names) <= 2 else f"{names[0]}, {names[1]} et {names[2]}"


def find_title(text: str, header_end: int) -> str:
    """Short parties line 'A c/ B' when the header states the parties plainly."""
    header = text[:header_end]
    lines = [ln.strip() for ln in header.split("\n") if ln.strip()]
    for i, line in enumerate(lines[:120]):
        if line in ("C/", "c/") and 0 < i < len(lines) - 1:
            before, after = lines[i - 1], lines[i + 1]
            if len(before) <= 80 and len(after) <= 80 and not before.endswith(":"):
                return f"{before} c/ {after}"
        match = re.fullmatch(r"(?:Société\s+)?(.{3,60}?)\s+[Cc]/\s+(.{3,60})", line)
        if match and not re.search(r"(?i)audience|débattue|arr[êe]t|\d{4}", line):
            return f"{match.group(1)} c/ {match.group(2)}"
    title = _lux_parties(header)
    if title:
        return title
    appellant = _party_after(lines, r"APPELANTE?S?")
    respondent = _party_after(lines, r"INTIM[ÉE]E?S?")
    if appellant and respondent:
        return f"{appellant} c/ {respondent}"
    plaintiff = _party_after(lines, r"Demandeur")
    defendant = _party_after(lines, r"D[ée]fendeur")
    if plaintiff and defendant and plaintiff != defendant:
        return f"{plaintiff} c/ {defendant}"
    return ""


def _party_after(lines: list[str], label: str) -> str:
    for i, line in enumerate(lines[:-1]):
        if re.fullmatch(label + r"\s*:?", line, re.IGNORECASE):
            name = re.split(r",| dont | prise? en | demeurant | domicilié", lines[i + 1])[0].strip()
            return name if 2 <= len(name) <= 60 else ""
    return ""


def _lux_parties(header: str) -> str:
    start = re.search(r"(?:^|\n)(?:ENTRE|Entre)\b\s*:?", header)
    if not start:
        return ""
    end = re.search(r"\n(?:LE TRIBUNAL|LA COUR|Vu\s|_{5,}|-{5,}|={5,})", header[start.end():])
    body = header[start.end(): start.end() + end.start()] if end else header[start.end():]
    split = re.search(r"\n\s*(?:ET|et)\s*:?\s*\n|,\s+et\s*:?\s+(?=\d\s?[.)]|l[ae]\s|l['’]|les\s|"
                      r"[A-Z])", body)
    if not split:
        return ""
    plaintiffs = _parties(body[:split.start()])
    defendants = _parties(body[split.end():])
    if plaintiffs and defendants:
        return f"{_join_names(plaintiffs)} c/ {_join_names(defendants)}"
    return ""
