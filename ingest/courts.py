"""One name per court, whatever the source calls it, and the court's country.

Open-data sources spell the same court in many ways ("Conseil d'Etat", "Section du
Contentieux", "CE", source `FR/CouncilState`), and the same name can be two courts
("Cour de cassation" in France, Belgium, Luxembourg, Tunisia). `canonical_court` turns what a
record says into one canonical French name and an ISO 3166 alpha-2 country code:

    canonical_court("Conseil d'Etat") -> ("Conseil d'État", "")
    canonical_court("Section du Contentieux", "", "FR/CE-Fiscal") -> ("Conseil d'État", "FR")
    canonical_court("Belgian Council of State") -> ("Conseil d'État (Belgique)", "BE")
    canonical_court("Cour de cassation", "BE") -> ("Cour de cassation de Belgique", "BE")
    canonical_court("Cour de Cassation", "Luxembourg")
        -> ("Cour de cassation du Grand-Duché de Luxembourg", "LU")
    canonical_court("", "", "FR/CNDA") -> ("Cour nationale du droit d'asile", "FR")

The country comes from, in this order: the `country` argument (a code or a country name),
an ECLI in `hint`, the `_source` prefix in `hint` ("FR/...", "BE/...", "INTL/..." -> ""),
then the court name itself ("... de Belgique", "Belgian ...", "... du Grand-Duché de
Luxembourg"). International courts have no country (""), whatever their seat.
A court name that no table knows is kept as published (whitespace and a leading
"France, " / English gloss "(Commercial Court Rodez)" cleaned), never guessed.

Everything is data: `_NAMES` (name patterns -> name per country), `_PLACED` (courts named
after a city), `_SOURCES` (the court of a source that publishes one court's decisions),
`_CODES` (court codes: ECLI court codes, Judilibre and Entscheidsuche codes). Names already
used elsewhere are kept: "Cour de cassation" (France), "Cour de cassation de Belgique",
"Cour de cassation du Grand-Duché de Luxembourg", "Tribunal d'arrondissement de Luxembourg"
(what `ingest/metadata.py` finds in a text and `ingest/parse.py` abbreviates).
"""

from __future__ import annotations

import re
import unicodedata

# --- countries ------------------------------------------------------------------------------

_COUNTRY_NAMES = {
    "france": "FR", "belgique": "BE", "belgium": "BE", "luxembourg": "LU", "monaco": "MC",
    "cote d'ivoire": "CI", "ivory coast": "CI", "tunisie": "TN", "tunisia": "TN",
    "suisse": "CH", "switzerland": "CH", "canada": "CA", "allemagne": "DE", "germany": "DE",
    "pays-bas": "NL", "netherlands": "NL", "italie": "IT", "italy": "IT", "espagne": "ES",
    "spain": "ES", "royaume-uni": "GB", "united kingdom": "GB", "senegal": "SN",
    "cameroun": "CM", "maroc": "MA", "algerie": "DZ",
}  # fmt: skip
# `_source` prefixes that are not a country: international bodies have none.
_SOURCE_PREFIX_COUNTRY = {"INTL": "", "INT": "", "EU": "EU"}
# ECLI country parts that are not a country (EP: European Patent Office).
_ECLI_NOT_COUNTRY = frozenset({"EP", "CE", "XX"})

# --- courts ---------------------------------------------------------------------------------

# Folded name pattern (lower case, no accents, straight apostrophes) -> canonical name per
# country ("" = country unknown); a country missing from the map gets "<name> (<country>)".
# `implies`: the country the pattern itself names (e.g. "belgian council of state").
# `international`: the court has no country.
_NAMES: tuple[tuple[str, dict[str, str], str, bool], ...] = (
    (r"conseil d'etat|council of state|raad van state|section du contentieux",
     {"": "Conseil d'État", "FR": "Conseil d'État", "BE": "Conseil d'État (Belgique)",
      "LU": "Conseil d'État (Luxembourg)"}, "", False),
    (r"cour de cassation|court of cassation|hof van cassatie",
     {"": "Cour de cassation", "FR": "Cour de cassation", "BE": "Cour de cassation de Belgique",
      "LU": "Cour de cassation du Grand-Duché de Luxembourg",
      "TN": "Cour de cassation de Tunisie"}, "", False),
    (r"cour constitutionnelle|constitutional court|grondwettelijk hof|cour d'arbitrage",
     {"": "Cour constitutionnelle", "BE": "Cour constitutionnelle"}, "", False),
    (r"conseil constitutionnel", {"": "Conseil constitutionnel", "FR": "Conseil constitutionnel"},
     "FR", False),
    (r"cour superieure de justice|csj|cour d'appel",
     {"LU": "Cour d'appel du Grand-Duché de Luxembourg"}, "", False),
    (r"tribunal administratif", {"LU": "Tribunal administratif"}, "", False),
    (r"cour administrative", {"LU": "Cour administrative"}, "", False),
    (r"cour supreme", {"": "Cour suprême", "CI": "Cour suprême de Côte d'Ivoire"}, "", False),
    (r"tribunal supreme", {"MC": "Tribunal suprême de Monaco"}, "", False),
    (r"tribunal (?:de )?premiere instance", {"MC": "Tribunal de première instance de Monaco"}, "",
     False),
    (r"cour nationale du droit d'asile|cnda",
     {"": "Cour nationale du droit d'asile", "FR": "Cour nationale du droit d'asile"}, "FR",
     False),
    (r"cour des comptes", {"": "Cour des comptes", "FR": "Cour des comptes"}, "", False),
    (r"cour commune de justice et d'arbitrage(?: \(ccja\))?|ccja",
     {"": "Cour commune de justice et d'arbitrage (OHADA)"}, "", True),
    (r"cour de justice benelux|benelux court of justice|benelux court|benelux-gerechtshof",
     {"": "Cour de justice Benelux"}, "", True),
    (r"international criminal court|cour penale internationale",
     {"": "Cour pénale internationale"}, "", True),
    (r"international centre for settlement of investment disputes|icsid|cirdi",
     {"": "Centre international pour le règlement des différends relatifs aux "
          "investissements"}, "", True),
    (r"court of arbitration for sport|tribunal arbitral du sport",
     {"": "Tribunal arbitral du sport"}, "", True),
    (r"united nations appeals tribunal|tribunal d'appel des nations unies|unat",
     {"": "Tribunal d'appel des Nations Unies"}, "", True),
    (r"cour europeenne des droits de l'homme|european court of human rights|cedh|ecthr|echr",
     {"": "Cour européenne des droits de l'homme"}, "", True),
)  # fmt: skip

# Courts named after their seat: folded prefix -> canonical name ("{de}" = "de X"/"d'X") and
# the country the kind of court implies ("" when several countries have it).
_PLACED: tuple[tuple[str, str, str], ...] = (
    (r"cour administrative d'appel", "Cour administrative d'appel {de}", "FR"),
    (r"cour d'appel", "Cour d'appel {de}", ""),
    (r"tribunal administratif", "Tribunal administratif {de}", ""),
    (r"tribunal judiciaire", "Tribunal judiciaire {de}", "FR"),
    (r"tribunal de grande instance", "Tribunal de grande instance {de}", "FR"),
    (r"tribunal d'instance", "Tribunal d'instance {de}", "FR"),
    (r"tribunal de commerce", "Tribunal de commerce {de}", ""),
    (r"tribunal de l'entreprise", "Tribunal de l'entreprise {de}", "BE"),
    (r"tribunal d'arrondissement(?: de et a)?", "Tribunal d'arrondissement {de}", ""),
    (r"tribunal de premiere instance(?: francophone)?", "Tribunal de première instance {de}",
     ""),
    (r"cour du travail", "Cour du travail {de}", "BE"),
    (r"tribunal du travail", "Tribunal du travail {de}", ""),
    (r"justice de paix", "Justice de paix {de}", ""),
    (r"conseil de prud'hommes", "Conseil de prud'hommes {de}", "FR"),
)
# Seats that name their country (Luxembourg's two judicial districts).
_SEAT_COUNTRY = {"Luxembourg": "LU", "Diekirch": "LU"}

# A source that publishes one court's (or authority's) decisions: its court when the record
# names none. Sources that mix courts are absent (their records name the court).
_SOURCES = {
    "FR/CASS": "Cour de cassation",
    "FR/Judilibre": "Cour de cassation",
    "FR/CE-Fiscal": "Conseil d'État",
    "FR/ConseilConstitutionnel": "Conseil constitutionnel",
    "FR/CNDA": "Cour nationale du droit d'asile",
    "FR/CdesC": "Cour des comptes",
    "FR/ADLC": "Autorité de la concurrence",
    "FR/AMF": "Commission des sanctions de l'AMF",
    "FR/AMF_Sanctions": "Commission des sanctions de l'AMF",
    "FR/CRE": "Comité de règlement des différends et des sanctions de la CRE",
    "FR/DefenseurDesDroits": "Défenseur des droits",
    "FR/DefenseurDroits": "Défenseur des droits",
    "BE/APD": "Autorité de protection des données",
    "BE/ConseilEtat": "Conseil d'État (Belgique)",
    "BE/CourConstitutionnelle": "Cour constitutionnelle",
    "BE/CASS": "Cour de cassation de Belgique",
    "BE/CourCassation-Fiscal": "Cour de cassation de Belgique",
    "LU/SupremeCourt": "Cour de cassation du Grand-Duché de Luxembourg",
    "LU/TribAdmin-TaxDecisions": "Tribunal administratif",
    "TN/CourDeCassation": "Cour de cassation de Tunisie",
    "CI/CourSupreme": "Cour suprême de Côte d'Ivoire",
    "MC/LegiMonaco": "",
    "EU/EPO": "Chambres de recours de l'Office européen des brevets",
    "EU/EUIPO": "Office de l'Union européenne pour la propriété intellectuelle",
    "INTL/BeneluxCourt": "Cour de justice Benelux",
    "INTL/UNAT": "Tribunal d'appel des Nations Unies",
    "INTL/CAS-Sports": "Tribunal arbitral du sport",
    "INTL/OHADA-CCJA": "Cour commune de justice et d'arbitrage (OHADA)",
}
# Names that are a body of no country even when the source has one.
_NO_COUNTRY = frozenset({
    "Chambres de recours de l'Office européen des brevets",
    "Office de l'Union européenne pour la propriété intellectuelle",
})  # fmt: skip

# Court codes (ECLI court part "COUNTRY:CODE", Judilibre `jurisdiction`, Entscheidsuche
# `hierarchy`, open-data `court_code`) -> (court, country).
_CODES = {
    "FR:CCASS": ("Cour de cassation", "FR"),
    "FR:CC": ("Conseil constitutionnel", "FR"),
    "FR:CECHR": ("Conseil d'État", "FR"),
    "FR:CECHS": ("Conseil d'État", "FR"),
    "FR:CESEC": ("Conseil d'État", "FR"),
    "FR:CEASS": ("Conseil d'État", "FR"),
    "FR:CEORD": ("Conseil d'État", "FR"),
    "FR:CESJS": ("Conseil d'État", "FR"),
    "BE:GHCC": ("Cour constitutionnelle", "BE"),
    "BE:CASS": ("Cour de cassation de Belgique", "BE"),
    "BE:RVSCE": ("Conseil d'État (Belgique)", "BE"),
    "BE:CTBRL": ("Cour du travail de Bruxelles", "BE"),
    "BE:CTLIE": ("Cour du travail de Liège", "BE"),
    "BE:CTMON": ("Cour du travail de Mons", "BE"),
    "BE:TTBRL": ("Tribunal du travail de Bruxelles", "BE"),
    "LU:TADM": ("Tribunal administratif", "LU"),
    "LU:CADM": ("Cour administrative", "LU"),
    "CH:CH_BVGE": ("Tribunal administratif fédéral", "CH"),
    "CH:CH_BGER": ("Tribunal fédéral", "CH"),
    "CH:GE_CJ": ("Cour de justice de Genève", "CH"),
    "CH:GE_TPI": ("Tribunal de première instance de Genève", "CH"),
}

_CODE_ALONE = {"CE": ("Conseil d'État", "FR"), "CC": ("Cour de cassation", "FR")}


def fold(text: str) -> str:
    """Lower case, accents removed, typographic apostrophes and dashes made plain."""
    text = text.replace("’", "'").replace("`", "'").replace("\u00a0", " ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().lower()


def country_code(value: str) -> str:
    """'FR' for 'FR', 'fr', 'France'; 'LU' for 'Luxembourg'; '' for anything else."""
    value = value.strip()
    if re.fullmatch(r"[A-Za-z]{2}", value):
        return value.upper()
    return _COUNTRY_NAMES.get(fold(value), "")


def ecli_country(ecli: str) -> str:
    """The country part of an ECLI ('ECLI:BE:GHCC:2025:119' -> 'BE'), '' when none."""
    match = re.match(r"\s*ECLI:([A-Z]{2}):", ecli, re.IGNORECASE)
    if not match or match.group(1).upper() in _ECLI_NOT_COUNTRY:
        return ""
    return match.group(1).upper()


def source_country(source: str) -> str | None:
    """The country of a `_source` ('FR/CouncilState' -> 'FR', 'INTL/RIAA' -> ''); None when
    `source` is not of that form."""
    match = re.fullmatch(r"([A-Z]{2,4})/[\w.-]+", source.strip())
    if not match:
        return None
    prefix = match.group(1)
    if prefix in _SOURCE_PREFIX_COUNTRY:
        return _SOURCE_PREFIX_COUNTRY[prefix]
    return prefix if len(prefix) == 2 else ""


def canonical_court(raw_court: str, country: str = "", hint: str = "") -> tuple[str, str]:
    """(canonical court name, country code) for a court as a record names it.

    `raw_court`: the record's court field as published (may be "" or a code such as "cc").
    `country`: a country code or name when the record gives one ("FR", "Luxembourg").
    `hint`: other evidence, space-separated: the record's `_source` ("FR/CouncilState"), its
    ECLI, a court code ("CTBRL", "GE_CJ"). Returns ("", country) when nothing names a court.
    """
    source = ""
    eclis: list[str] = []
    codes: list[str] = []
    for token in hint.split():
        if token.upper().startswith("ECLI:"):
            eclis.append(token)
        elif source_country(token) is not None and not source:
            source = token
        else:
            codes.append(token)
    found = country_code(country)
    if not found:
        found = next((c for c in (ecli_country(e) for e in eclis) if c), "")
    if not found and source:
        found = source_country(source) or ""

    name, named_country, international = _court_name(raw_court, found)
    if not name:
        for ecli in eclis:
            parts = ecli.upper().split(":")
            if len(parts) > 2 and f"{parts[1]}:{parts[2]}" in _CODES:
                name, named_country = _CODES[f"{parts[1]}:{parts[2]}"]
                break
    if not name:
        for code in codes:
            key = f"{found or 'CH'}:{code}" if "_" in code else f"{found}:{code.upper()}"
            if key in _CODES:
                name, named_country = _CODES[key]
                break
    if not name and source in _SOURCES:
        name = _SOURCES[source]
        if name:
            return _court_name(name, found)[0], "" if name in _NO_COUNTRY else found
    if international:
        return name, ""
    return name, found or named_country


def _court_name(raw: str, country: str) -> tuple[str, str, bool]:
    """(name, country the name implies, international) for a raw court name."""
    text = re.sub(r"\s+", " ", raw.replace("’", "'")).strip(" ,;|")
    if not text:
        return "", "", False
    implied = ""
    # "France, Cour d'appel de Paris (Court of Appeal of Paris)", "Canada, Cour du Québec"
    lead = re.match(r"([^,]+),\s*(.+)", text)
    if lead and country_code(lead.group(1)):
        implied = country_code(lead.group(1))
        text = lead.group(2)
    text = re.sub(r"\s*\((?:[^()]*\b(?:Court|Tribunal of|of)\b[^()]*)\)\s*$", "", text)
    text = split_court(text)[0]
    folded = fold(text)
    if "-" in folded and " " not in folded:  # slugs: "tribunal-premiere-instance"
        folded = folded.replace("-", " ")
    for marker, code in (("belgian ", "BE"), ("french ", "FR"), ("luxembourg ", "LU")):
        if folded.startswith(marker):
            implied, folded = code, folded[len(marker):]
    for suffix, code in ((" de belgique", "BE"), (" du grand-duche de luxembourg", "LU"),
                         (" du grand duche de luxembourg", "LU"), (" de tunisie", "TN"),
                         (" de cote d'ivoire", "CI"), (" de monaco", "MC")):
        if folded.endswith(suffix):
            implied, folded = code, folded[: -len(suffix)]
    where = country or implied
    if folded in _CODE_ALONE_FOLDED and where in ("", "FR"):  # "CE", Judilibre "cc"
        return _CODE_ALONE_FOLDED[folded][0], "FR", False
    for pattern, names, implies, international in _NAMES:
        if not re.fullmatch(pattern, folded):
            continue
        if international:
            return names[""], "", True
        where = where or implies
        if where in names:
            return names[where], implies or implied, international
        if where and "" in names:
            return f"{names['']} ({where})", implies or implied, international
        if not where and "" in names:
            return names[""], implies or implied, international
    for pattern, template, kind_country in _PLACED:
        match = re.match(pattern + r"(?: de | d'| du | des | )", folded + " ")
        if not match:
            continue
        rest = text[min(match.end(), len(text)):].strip()  # fold keeps one char per char
        rest = re.sub(r"^(?:de et à |de |d'|du |des )", "", rest, flags=re.IGNORECASE)
        city = _city(rest)
        if city:
            implied = implied or kind_country or _SEAT_COUNTRY.get(city, "")
            return template.format(de=_de(city)), implied, False
    return text[:1].upper() + text[1:], implied, False


_CODE_ALONE_FOLDED = {k.lower(): v for k, v in _CODE_ALONE.items()}
_CITY = re.compile(r"[A-ZÀ-Ý][\w'-]*(?:[- ](?:(?:sur|en|lès|les|de|la|le|du|des|aux?)[- ])*"
                   r"[A-ZÀ-Ý][\w'-]*)*")


def _city(rest: str) -> str:
    match = _CITY.match(rest)
    return match.group(0).strip() if match else ""


def _de(city: str) -> str:
    return f"d'{city}" if fold(city[:1]) in "aeiouyh" else f"de {city}"


def split_court(raw: str) -> tuple[str, str]:
    """A court field that carries the chamber split into (court, chamber):
    'Tribunal administratif - 5e chambre' -> ('Tribunal administratif', '5e chambre');
    'CSJ/04. Chambre' -> ('CSJ', '4e chambre'); 'Tribunal administratif - Cour - Chambre ?'
    -> ('Cour administrative', ''); a court without one -> (raw, '')."""
    text = re.sub(r"\s+", " ", raw).strip()
    parts = [p.strip() for p in re.split(r"\s+-\s+|/", text) if p.strip()]
    if len(parts) < 2:
        return text, ""
    court, rest = parts[0], parts[1:]
    if fold(court) == "tribunal administratif" and rest and fold(rest[0]) in ("cour", "tribunal"):
        if fold(rest[0]) == "cour":
            court = "Cour administrative"
        rest = rest[1:]
    place = re.match(r"(.*?\S)\s+(commerce|civil|p[ée]nal|travail|r[ée]f[ée]r[ée])$", court,
                     re.IGNORECASE)
    if place:  # "Tribunal d'arrondissement Luxembourg commerce/15. Chambre"
        court = place.group(1)
    chamber = canonical_chamber(" ".join(rest))
    if place and chamber:
        chamber = f"{chamber} ({place.group(2).lower()})"
    return court, chamber


# Cour de cassation chambers as open data codes them -> as `ingest/metadata.py` writes them.
_CASS_CHAMBERS = {
    "chambre_civile_1": "première chambre civile", "civ1": "première chambre civile",
    "chambre_civile_2": "deuxième chambre civile", "civ2": "deuxième chambre civile",
    "chambre_civile_3": "troisième chambre civile", "civ3": "troisième chambre civile",
    "chambre_commerciale": "chambre commerciale, financière et économique",
    "comm": "chambre commerciale, financière et économique",
    "chambre_sociale": "chambre sociale", "soc": "chambre sociale",
    "chambre_criminelle": "chambre criminelle", "cr": "chambre criminelle",
    "crim": "chambre criminelle",
    "assemblee_pleniere": "assemblée plénière", "pl": "assemblée plénière",
    "chambre_mixte": "chambre mixte", "mi": "chambre mixte",
    "premiere_presidence": "première présidence", "pp": "première présidence",
}  # fmt: skip


def canonical_chamber(raw: str) -> str:
    """A chamber in one spelling: Cour de cassation codes ('CHAMBRE_CIVILE_1', Judilibre
    'civ1') -> 'première chambre civile'; numbered chambers ('04. Chambre', 'Chambre 4',
    '4', '1e chambre') -> '4e chambre' / '1re chambre'; an unknown one ('?', 'Chambre ?') -> '';
    anything else as published, ordinals in one typography ('6ème' -> '6e', '1ère' -> '1re')."""
    text = re.sub(r"\s+", " ", raw).strip(" -,;")
    if not text or fold(text).rstrip(" ?") in ("", "chambre"):
        return ""
    key = fold(text).replace(" ", "_")
    if key in _CASS_CHAMBERS:
        return _CASS_CHAMBERS[key]
    number = re.fullmatch(r"(?:chambre\s*)?0*(\d{1,2})(?:\.|e|re|er|ere|eme|ème)?"
                          r"(?:\s*chambre)?", fold(text))
    if number:
        n = int(number.group(1))
        return f"{n}{'re' if n == 1 else 'e'} chambre"
    text = re.sub(r"\b(\d{1,2}|[IVXL]{1,7})\s?(?:ème|eme|è)(?!\w)", r"\1e", text)
    text = re.sub(r"\b1\s?(?:ère|ere)(?!\w)", "1re", text)
    return text.replace(" ?", "").strip()
