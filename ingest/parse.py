"""Parse a read document into a Judgment: canonical text, metadata, sections, paragraphs."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING

from ingest import metadata as md
from ingest.canonical import (
    LABEL,
    CanonicalText,
    canonicalize,
    label_key,
    label_run,
    label_text,
    numbering_run,
    opens_prose,
)
from ingest.dates import fold
from ingest.layouts import (
    TABLE_OF_CONTENTS_LINE,
    Heading,
    classify,
    narrative_kind,
    opinion_heading,
    roman_number,
)
from ingest.read import RawDocument
from store.records import Judgment, JudgmentMeta, Paragraph, Section, SectionKind

if TYPE_CHECKING:
    from ingest.open_data import OpenRecord, Zone

HEADER_SCAN = 6000  # characters of the opening searched for metadata when no section starts


@dataclass(frozen=True)
class Block:
    """One paragraph block of the canonical text (blank-line separated)."""

    start: int
    end: int
    text: str


def split_blocks(text: str) -> list[Block]:
    """The blank-line separated blocks of canonical text, with their offsets."""
    blocks = []
    pos = 0
    for piece in text.split("\n\n"):
        if piece:
            blocks.append(Block(pos, pos + len(piece), piece))
        pos += len(piece) + 2
    return blocks


def parse_judgment(raw: RawDocument, source_path: str | None = None) -> Judgment:
    """Build the Judgment of `raw`. Fields the text does not state stay "" and are reported
    in `warnings`; nothing is invented."""
    canonical = canonicalize(raw.text)
    text = canonical.text
    blocks = split_blocks(text)
    headings = _headings(blocks)
    sections = _sections(text, blocks, headings)
    paragraphs = _paragraphs(blocks, headings, sections, canonical,
                             _has_pages(raw) or canonical.pages_counted)

    first_section = next((s.char_start for s in sections if s.kind != "header" and s.path), None)
    header_end = min(first_section, HEADER_SCAN) if first_section else min(len(text), HEADER_SCAN)
    header_end = max(header_end, min(len(text), 1500))
    operative = next((s for s in sections if s.kind == "operative" and len(s.path) == 1), None)

    court = md.find_court(text, header_end)
    decision_number, _ = md.find_decision_number(text, header_end)
    if not court and re.search(r"TALCH\d", decision_number):
        court = "Tribunal d'arrondissement de Luxembourg"
    if not court and re.search(r"TADCH\d", decision_number):
        court = "Tribunal d'arrondissement de Diekirch"
    warnings = list(raw.warnings)
    if not court and _luxembourg_tribunal_layout(text[:header_end]):
        court = "Tribunal d'arrondissement de Luxembourg"
        warnings.append("court inferred from the Luxembourg tribunal layout")
    meta_fields = {
        "court": court,
        "chamber": md.find_chamber(text, header_end, court),
        "date": md.find_date(text, header_end),
        "decision_number": decision_number,
        "docket_number": md.find_docket(text, header_end),
        "matter": md.find_matter(text, header_end, operative.heading_end if operative else None),
        "title": md.find_title(text, header_end),
        "country": md.find_country(text, header_end, court),
        "ecli": md.find_ecli(text, header_end),
    }
    content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    meta = JudgmentMeta(
        id=judgment_id(court, decision_number, meta_fields["docket_number"],
                       _as_read(raw.text)),
        source_path=source_path if source_path is not None else str(raw.path),
        content_hash=content_hash,
        **meta_fields,
    )
    for field, label in (("court", "court"), ("date", "date")):
        if not meta_fields[field]:
            warnings.append(f"{label} not found")
    if not decision_number and not meta_fields["docket_number"]:
        warnings.append("decision number not found")
    if not court and not meta_fields["date"] and not _judgment_vocabulary(text):
        warnings.append("not recognised as a judgment")
    return Judgment(meta=meta, text=text, sections=tuple(sections),
                    paragraphs=tuple(paragraphs), warnings=tuple(warnings))


# --- open-data records ---------------------------------------------------------------------

_FOUND_BY_RECORD = {  # parse warnings that a record field answers
    "court not found": ("court",),
    "date not found": ("date",),
    "decision number not found": ("decision_number", "docket_number"),
    "not recognised as a judgment": ("court", "date"),
}


def judgment_from_record(record: OpenRecord, source_path: str | None = None) -> Judgment:
    """The Judgment of an open-data record (`ingest.open_data`).

    Structure: Judilibre zones give the sections when the record has them (each zone's text
    canonicalised on its own, zones joined by a blank line, one section per zone); else the
    text is parsed as `parse_judgment` does. Metadata: what the text states, overridden by
    every non-empty record field (an empty field never erases a parsed value; the record's
    court brings its country, "" for an international court). Two
    exceptions, both reported in the warnings: a record date on 1 January when the text
    states another date (sources write YYYY-01-01 for "that year"), and a record number that
    the text gives with its year ("20" -> "20/2026"). Id: court + number as `judgment_id`
    (the same decision from two sources collapses), "sha-..." when no court is known (a bare
    number names nothing). `content_hash` covers the text and the record's metadata, so a
    corrected record field is an update. The summary stays in
    `meta.summary`, never in the text."""
    source = source_path if source_path is not None else record.source
    text = record.text
    zone_sections: list[Section] = []
    if record.zones:
        text, zone_sections = _zoned_text(record.text, record.zones)
    raw = RawDocument(path=record.path, format=record.format, text=text,
                      warnings=record.warnings)
    parsed = parse_judgment(raw, source)
    warnings = list(parsed.warnings)
    sections, paragraphs = parsed.sections, parsed.paragraphs
    if zone_sections:
        if parsed.text == text:
            sections = tuple(zone_sections)
            canonical = canonicalize(text)
            paragraphs = tuple(_paragraphs(split_blocks(text), {}, zone_sections, canonical,
                                           False))
        else:
            warnings.append("Judilibre zones not used: the text changed when canonicalised")

    fields = {k: v for k, v in asdict(record.meta).items() if v}
    if record.meta.court:  # the record's court comes with its country ("" for international)
        fields["country"] = record.meta.country
    parsed_meta = parsed.meta
    record_date = fields.get("date", "")
    if record_date.endswith("-01-01") and parsed_meta.date and parsed_meta.date != record_date:
        warnings.append(f"record date {record_date} taken as the year only: the text states "
                        f"{parsed_meta.date}")
        fields["date"] = parsed_meta.date
    elif record_date.endswith("-01-01") and not parsed_meta.date:
        warnings.append(f"record date {record_date} may stand for the year only: the text "
                        "states no date")
    for name in ("decision_number", "docket_number"):
        mine, found = fields.get(name, ""), getattr(parsed_meta, name)
        if mine and re.fullmatch(rf"(?:n°\s*)?{re.escape(mine)}/(?:19|20)\d{{2}}", found):
            fields[name] = found.removeprefix("n°").strip()
    meta = replace(parsed_meta, **fields)
    record_fields = json.dumps(asdict(record.meta), sort_keys=True, ensure_ascii=False)
    content_hash = hashlib.sha256(f"{parsed.text}\0{record_fields}".encode()).hexdigest()
    as_read = _as_read(f"{record.text}\0{record_fields}")
    meta = replace(meta, content_hash=content_hash, source_path=source,
                   id=judgment_id(meta.court, meta.decision_number, meta.docket_number,
                                  as_read) if meta.court else f"sha-{as_read[:16]}")
    warnings = [w for w in warnings
                if not any(getattr(meta, f) for f in _FOUND_BY_RECORD.get(w, ()))]
    return Judgment(meta=meta, text=parsed.text, sections=sections, paragraphs=paragraphs,
                    warnings=tuple(warnings))


def _zoned_text(text: str, zones: tuple[Zone, ...]) -> tuple[str, list[Section]]:
    """Canonical text built zone by zone (the text between zones goes with the zone before
    it, the text before the first zone is a header), and one section per zone."""
    pieces: list[tuple[str, SectionKind, str]] = []  # (raw text, kind, title)
    if zones[0].start > 0:
        pieces.append((text[: zones[0].start], "header", ""))
    for i, zone in enumerate(zones):
        end = zones[i + 1].start if i + 1 < len(zones) else len(text)
        pieces.append((text[zone.start:end], zone.kind, zone.title))
    out: list[str] = []
    sections: list[Section] = []
    pos = 0
    for raw_piece, kind, title in pieces:
        piece = canonicalize(raw_piece).text
        if not piece:
            continue
        if out:
            pos += 2
        out.append(piece)
        path = (title,) if title else ()
        sections.append(Section(path=path, kind=kind, char_start=pos, char_end=pos + len(piece),
                                heading_start=pos, heading_end=pos))
        pos += len(piece)
    return "\n\n".join(out), sections


# --- identity -----------------------------------------------------------------------------

_ABBREVIATIONS = (
    ("Tribunal d'arrondissement de Luxembourg", "tal"),
    ("Tribunal d'arrondissement de Diekirch", "tad"),
    ("Cour de cassation du Grand-Duché de Luxembourg", "cass-lu"),
    ("Cour d'appel du Grand-Duché de Luxembourg", "cal"),
    ("Cour de cassation de Belgique", "cass-be"),
    ("Cour de cassation", "cass"),
)
_PREFIXES = (("Cour d'appel ", "ca"), ("Tribunal de commerce ", "tcom"),
             ("Tribunal judiciaire ", "tj"), ("Tribunal de grande instance ", "tgi"),
             ("Cour administrative d'appel ", "caa"), ("Tribunal administratif ", "ta"))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def court_abbreviation(court: str) -> str:
    """'tal', 'cass', 'ca-lyon', 'tcom-la-roche-sur-yon'... ("" for no court)."""
    for name, abbr in _ABBREVIATIONS:
        if court == name:
            return abbr
    for prefix, abbr in _PREFIXES:
        if court.startswith(prefix):
            place = re.sub(r"^(?:de |d'|du )", "", court[len(prefix):])
            return f"{abbr}-{slug(place)}"
    return slug(court)


def _as_read(text: str) -> str:
    """The sha256 of a judgment's text as read from its source, before canonicalisation: the
    "sha-" id of a judgment without a number stays the same when a newer version of the
    reader reads its text differently."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def judgment_id(court: str, decision_number: str, docket: str, source_hash: str) -> str:
    """Court abbreviation + decision number when that number carries its year
    ("2025TALCH11/00011", "4/11"), else + docket number, else "sha-" + the prefix of
    `source_hash` (`_as_read`)."""
    abbr = court_abbreviation(court)
    number = decision_number if "/" in decision_number else ""
    number = number or docket or decision_number
    if number:
        number = re.sub(r"^(?:rg|n|pourvois?-n|pourvoi)-", "", slug(number))
        return f"{abbr}-{number}" if abbr else number
    return f"sha-{source_hash[:16]}"


def _luxembourg_tribunal_layout(header: str) -> bool:
    """'Jugement commercial XV N° 903/2013' + 'Numéros ... du rôle' + Luxembourg parties."""
    return bool(re.search(r"^Jugement (?:civil|commercial)\b", header, re.MULTILINE)
                and re.search(r"du r[ôo]le", header)
                and re.search(r"\bL-\w+ Luxembourg|Registre de Commerce et des Sociétés de "
                              r"Luxembourg", header))


def _judgment_vocabulary(text: str) -> bool:
    folded = fold(text[:20000])
    words = ("jugement", "arret", "tribunal", "attendu", "par ces motifs", "pourvoi", "appelant",
             "intime", "demanderesse", "defenderesse", "audience", "juridiction", "greffier")
    return sum(1 for w in words if w in folded) >= 2


def _has_pages(raw: RawDocument) -> bool:
    return raw.format == "pdf" or "\f" in raw.text


# --- structure ----------------------------------------------------------------------------


def _headings(blocks: list[Block]) -> dict[int, Heading]:
    """Index of block -> heading, for the blocks that are headings. When a top-level title
    is numbered in roman (« III. Faits »), the title numbered next (« IV. Recevabilité », or
    the one after when a title was not read) is top-level too: of the kind its words name,
    else the court's reasons. Only the last operative title opens the operative part: one
    before it is a quoted decision's."""
    found: dict[int, Heading] = {}
    in_body = False
    top_number: int | None = None
    for i, block in enumerate(blocks):
        opinion = opinion_heading(block.text) if in_body else None
        if opinion is not None:
            found[i] = opinion  # it runs to the end: its own titles are not the ruling's
            break
        heading = classify(block.text, in_body=in_body, is_last=i == len(blocks) - 1)
        if heading is None:
            continue
        number = roman_number(heading.title)
        if heading.style == "roman" and top_number and number and \
                top_number < number <= top_number + 2:  # « IV. » then « V. » (or « VI. »)
            heading = Heading(heading.title, "top", heading.kind or "reasons")
        found[i] = heading
        if heading.style == "top":
            in_body = True
            top_number = number
    operative = [i for i, h in found.items() if h.style == "top" and h.kind == "operative"]
    for i in operative[:-1]:  # « PAR CES MOTIFS » of a decision quoted before the court's own
        del found[i]
    return found


_TOPIC_TITLE = re.compile(r"^(?:(?:[IVX]{1,5}|[A-H]|\d{1,2})[.)]\s*)?(?:Quant|Sur|Et sur"
                          r"|En ce qui concerne|S['’]agissant|Concernant)\b")


def _unparented_kind(title: str, before: list[Block]) -> SectionKind:
    """The kind of a sub-heading that no top-level title holds and whose words name none: a
    topic the court takes up (« I. Quant à la compétence du tribunal ») is its reasons;
    else the kind of the unheaded narrative it follows (`narrative_kind` of the last block
    that opens one)."""
    if _TOPIC_TITLE.match(title):
        return "reasons"
    return next((kind for b in reversed(before) for kind in [narrative_kind(b.text)] if kind),
                "other")


def _sections(text: str, blocks: list[Block], headings: dict[int, Heading]) -> list[Section]:
    """Nested sections: a heading's section runs to the next heading of the same or a higher
    level. Text before the first heading is the header (or "other" when nothing follows, or
    only the operative part)."""
    sections: list[Section] = []
    # open: (style, path, kind, start, heading_end)
    stack: list[tuple[str, tuple[str, ...], SectionKind, int, int]] = []

    def close(down_to: int, end: int) -> None:
        while len(stack) > down_to:
            _, path, kind, start, heading_end = stack.pop()
            sections.append(Section(path=path, kind=kind, char_start=start, char_end=end,
                                    heading_start=start, heading_end=heading_end))

    for i, block in enumerate(blocks):
        heading = headings.get(i)
        if heading is None:
            continue
        prev_end = blocks[i - 1].end if i > 0 else 0
        if heading.style == "top" or not stack:
            close(0, prev_end)
            level = 0
        else:
            styles = [entry[0] for entry in stack]
            level = styles.index(heading.style) if heading.style in styles else len(stack)
            close(level, prev_end)
        parent_kind: SectionKind = (stack[-1][2] if stack
                                    else _unparented_kind(heading.title, blocks[:i]))
        parent_path = stack[-1][1] if stack else ()
        kind = heading.kind or parent_kind
        heading_end = block.start + len(heading.title)  # an opinion's title is its first line
        stack.append((heading.style, (*parent_path, heading.title), kind, block.start, heading_end))
    close(0, blocks[-1].end if blocks else 0)

    first = min((s.char_start for s in sections), default=None)
    if blocks and (first is None or first > blocks[0].start):
        end = blocks[-1].end if first is None else max(
            (b.end for b in blocks if b.end <= first), default=0)
        # the operative part's title alone (« Par ces motifs, La Cour »): where the header ends
        # and the reasons begin is not known, as when there is no title at all
        only_operative = all(s.kind == "operative" for s in sections)
        header_kind: SectionKind = "other" if first is None or only_operative else "header"
        sections.extend(_split_opening(blocks, header_kind, end))
    sections.sort(key=lambda s: (s.char_start, len(s.path)))
    return sections


def _split_opening(blocks: list[Block], kind: SectionKind, end: int) -> list[Section]:
    """The unheaded opening [0, end): the header, then — from the first paragraph that opens
    a procedural narrative ("Par acte du ...", "Attendu que ...") — sections without a heading
    (path ()) whose kind changes where a paragraph opens another kind."""
    spans: list[tuple[SectionKind, int]] = [(kind, 0)]
    for block in blocks:
        if block.end > end:
            break
        cue = narrative_kind(block.text)
        if cue is None or cue == spans[-1][0]:
            continue
        if len(spans) == 1:
            if block.start == 0:  # nothing before: no header to tell apart
                spans[0] = (cue, 0)
                continue
            spans[0] = ("header", 0)
        spans.append((cue, block.start))
    sections = []
    for i, (span_kind, start) in enumerate(spans):
        stop = end if i + 1 == len(spans) else spans[i + 1][1] - 2
        sections.append(Section(path=(), kind=span_kind, char_start=start, char_end=stop,
                                heading_start=start, heading_end=start))
    return sections


_OWN_NUMBER = re.compile(r"^(\d{1,4})\.\s")


def _numbered_title(block: str) -> bool:
    """« 1. LES UTILISATEURS », or a line of a table of contents: a title numbered in its
    part, not one of the judgment's numbered paragraphs."""
    line = block.split("\n", 1)[0]
    letters = [c for c in line if c.isalpha()]
    return bool(TABLE_OF_CONTENTS_LINE.search(line)) or (
        len(letters) > 3 and all(c.isupper() for c in letters))


def _paragraphs(blocks: list[Block], headings: dict[int, Heading], sections: list[Section],
                canonical: CanonicalText, has_pages: bool) -> list[Paragraph]:
    """Non-heading blocks, numbered by the judgment's own numbering when it has one, else
    from 1 in reading order. Its own numbering: « 1. », « 2. » ... from 1, a `numbering_run`
    (it may start inside a long header) holding at least 3 and two thirds of the numbered
    blocks after the header, with no second numbering « 1. », « 2. » beside it there, which
    would leave the run in doubt (a lone « 1. » is a list item or a sub-title; a list of
    parties in the header is none), and no lettered labels, which are then the judgment's
    numbering (its « 1. », « 2. » is a list it quotes). Titles numbered in their part
    (« 1. LES UTILISATEURS ») are not numbered paragraphs. Other blocks take the number of
    the numbered paragraph they follow (0 before the first). Each block also gets the
    lettered label it opens or falls under (`_labels`), none in another top-level section."""
    header_end = next((s.char_end for s in sections if s.kind == "header"), 0)
    body = [(i, b) for i, b in enumerate(blocks) if i not in headings]
    numbered = [(i, int(m.group(1)), b.start >= header_end) for i, b in body
                for m in [_OWN_NUMBER.match(b.text)] if m and not _numbered_title(b.text)]
    in_run = set(numbering_run([n for _, n, _ in numbered]))
    run = [(i, n) for k, (i, n, _) in enumerate(numbered) if k in in_run]
    own = [k for k, (*_, after_header) in enumerate(numbered) if after_header]
    run_after_header = sum(1 for k in own if k in in_run)
    outside = [numbered[k][1] for k in own if k not in in_run]
    second_numbering = 1 in outside and 2 in outside[outside.index(1):]
    label_at = _labels(body, header_end)
    self_numbered = (run_after_header >= 3 and 3 * run_after_header >= 2 * len(own)
                     and not second_numbering and not any(label_at.values()))
    own_at = dict(run) if self_numbered else {}
    paragraphs = []
    current = 0
    label, part = "", ""
    for count, (i, block) in enumerate(body, start=1):
        if self_numbered:
            current = own_at.get(i, current)
            number = current
        else:
            number = count
        section = next((s for s in reversed(sections) if s.char_start <= block.start), None)
        top = section.path[0] if section and section.path else ""
        label = label_at.get(i, label if top == part else "")
        part = top
        page = page_end = None
        if has_pages:
            page = canonical.page_at(block.start)
            page_end = canonical.page_at(max(block.start, block.end - 1))
        paragraphs.append(Paragraph(number=number, char_start=block.start, char_end=block.end,
                                    page=page, page_end=page_end, label=label))
    return paragraphs


def _labels(body: list[tuple[int, Block]], header_end: int) -> dict[int, str]:
    """The lettered labels (« A.1 », « B.5.2 ») of the blocks that open with the judgment's
    own lettered numbering (`label_run`: at least 3 in order, at least half of them opening
    prose rather than a numbered title, and opening at least a third of the blocks from the
    first of them on), by block index; a block that opens with a label outside the run (an
    earlier ruling quoted) gets "", so that no paragraph is cited under a label it is not in."""
    opening = [(i, label_key(m), opens_prose(b.text, m)) for i, b in body
               if b.start >= header_end for m in [LABEL.match(b.text)] if m]
    run = [opening[k] for k in label_run([key for _, key, _ in opening])]
    if (len(run) < 3 or 2 * sum(prose for *_, prose in run) < len(run)
            or 3 * len(run) < sum(1 for i, _ in body if i >= run[0][0])):
        return {}
    return {i: "" for i, *_ in opening} | {i: label_text(key) for i, key, _ in run}
