"""Cut a judgment into retrievable chunks that follow its structure.

A chunk holds whole paragraphs of one (deepest) section, merged up to about `max_chars`; it never
crosses a section boundary; a heading travels with the paragraph that follows it; a paragraph
longer than the limit is cut at sentence ends ('. ' before an uppercase letter), else at '; ',
else at whitespace. A piece under a fifth of `max_chars` (« 10. Le moyen n'est donc pas
fondé. », a short paragraph before a long one) joins its neighbour in the same section, the
chunk growing up to `max_chars` + a quarter. One exception to the section boundary: a short
operative part (under a quarter of `max_chars`) joins the chunk before it, so that a ruling
such as « Article unique : l'opération est autorisée » travels with the words it rules on;
that chunk keeps the section where it starts, so its citation stays true.
`chunk.text == judgment.text[chunk.char_start:chunk.char_end]` always.
"""

from __future__ import annotations

import re

from store.records import Chunk, Judgment, Section

_SENTENCE_END = re.compile(r"[.!?»][\s]+(?=[A-ZÀ-Ý«\"(0-9])")
_CLAUSE_END = re.compile(r";\s+")
_SPACE = re.compile(r"\s+")


def chunk_judgment(judgment: Judgment, max_chars: int = 1000) -> list[Chunk]:
    """Chunks of `judgment` in reading order, ids f"{judgment.id}:{ordinal:04d}"."""
    text = judgment.text
    units = _units(judgment)  # (start, end, section) of headings and paragraphs
    spans: list[tuple[int, int, Section | None]] = []
    headings_only = False  # the last span holds only headings so far
    for start, end, section in units:
        is_heading = section is not None and start == section.heading_start < section.heading_end
        first_limit = max_chars
        if spans and headings_only and max_chars - (start - spans[-1][0]) >= max_chars // 4:
            first_limit = max_chars - (start - spans[-1][0])  # room for the pending heading
        for piece_start, piece_end in _cut(text, start, end, max_chars, first_limit):
            last = spans[-1] if spans else None
            same = last is not None and last[2] == section
            # a heading goes with what follows, also into its first sub-section
            nested = (last is not None and headings_only and last[2] is not None
                      and section is not None and section.path[:len(last[2].path)] == last[2].path)
            if (last is not None and (same or nested) and piece_end - last[0] <= max_chars
                    and _joinable(text, last, piece_start)):
                spans[-1] = (last[0], piece_end, section)
                headings_only = headings_only and is_heading
            else:
                spans.append((piece_start, piece_end, section))
                headings_only = is_heading
    spans = _join_tiny(text, spans, max_chars)
    spans = _join_short_operative(text, spans, max_chars)
    chunks = []
    for ordinal, (start, end, section) in enumerate(spans):
        inside = [p for p in judgment.paragraphs if p.char_start < end and p.char_end > start]
        numbers = [p.number for p in inside]
        labelled = bool(inside) and all(p.label for p in inside)
        pages = [page for p in inside for page in (p.page, p.page_end) if page is not None]
        chunks.append(Chunk(
            id=f"{judgment.id}:{ordinal:04d}",
            judgment_id=judgment.id,
            ordinal=ordinal,
            text=text[start:end],
            char_start=start,
            char_end=end,
            section_path=section.path if section else (),
            section_kind=section.kind if section else "other",
            paragraph_start=min(numbers) if numbers else None,
            paragraph_end=max(numbers) if numbers else None,
            page_start=min(pages) if pages else None,
            page_end=max(pages) if pages else None,
            paragraph_label_start=inside[0].label if labelled else "",
            paragraph_label_end=inside[-1].label if labelled else "",
        ))
    return chunks


def _join_short_operative(text: str, spans: list[tuple[int, int, Section | None]],
                          max_chars: int) -> list[tuple[int, int, Section | None]]:
    """`spans` with each whole operative part shorter than max_chars // 4 joined to the span
    before it, when that one is of another section and the two fit in max_chars."""
    joined: list[tuple[int, int, Section | None]] = []
    for start, end, section in spans:
        last = joined[-1] if joined else None
        short = (section is not None and section.kind == "operative"
                 and section.char_start == start
                 and section.char_end - section.char_start < max_chars // 4)
        if (short and last is not None and last[2] is not None and last[2].kind != "operative"
                and end - last[0] <= max_chars and _joinable(text, last, start)):
            joined[-1] = (last[0], end, last[2])  # cited, like every chunk, where it starts
        else:
            joined.append((start, end, section))
    return joined


def _join_tiny(text: str, spans: list[tuple[int, int, Section | None]],
               max_chars: int) -> list[tuple[int, int, Section | None]]:
    """`spans` with each span under max_chars // 5 (too short to be found or read alone)
    joined to a neighbour of its own section, up to max_chars + max_chars // 4: to the span
    before it when it ends its section, else to the span after it."""
    tiny, room = max_chars // 5, max_chars + max_chars // 4
    out = list(spans)
    i = 0
    while i < len(out):
        start, end, section = out[i]
        before = out[i - 1] if i else None
        after = out[i + 1] if i + 1 < len(out) and out[i + 1][2] == section else None
        if end - start >= tiny:
            i += 1
        elif (before is not None and before[2] == section and end - before[0] <= room
                and _joinable(text, before, start)
                and (after is None or after[1] - start > room)):
            out[i - 1 : i + 1] = [(before[0], end, section)]
        elif after is not None and after[1] - start <= room and _joinable(text, out[i], after[0]):
            out[i : i + 2] = [(start, after[1], section)]
            i += 1
        else:
            i += 1
    return out


def _joinable(text: str, last: tuple[int, int, Section | None], start: int) -> bool:
    """Only whole units are merged: the gap between them is whitespace."""
    return not text[last[1]:start].strip()


def _deepest(sections: tuple[Section, ...], offset: int) -> Section | None:
    best = None
    for section in sections:
        inside = section.char_start <= offset < max(section.char_end, section.char_start + 1)
        if inside and (best is None or len(section.path) >= len(best.path)):
            best = section
    return best


def _units(judgment: Judgment) -> list[tuple[int, int, Section | None]]:
    """Paragraphs and headings (blank-line separated blocks) with their deepest section."""
    units = []
    pos = 0
    for piece in judgment.text.split("\n\n"):
        if piece.strip():
            start = pos + (len(piece) - len(piece.lstrip()))
            end = pos + len(piece.rstrip())
            units.append((start, end, _deepest(judgment.sections, start)))
        pos += len(piece) + 2
    return units


def _cut(text: str, start: int, end: int, max_chars: int,
         first_limit: int | None = None) -> list[tuple[int, int]]:
    """Split text[start:end] into pieces of at most max_chars (the first one at most
    `first_limit`) at the best boundaries."""
    pieces: list[tuple[int, int]] = []
    while end - start > (max_chars if pieces or first_limit is None else first_limit):
        limit = max_chars if pieces or first_limit is None else first_limit
        window = text[start:start + limit + 1]
        cut = _last_boundary(window, _SENTENCE_END, limit)
        cut = cut or _last_boundary(window, _CLAUSE_END, limit)
        if cut is None:
            spaces = [m.start() for m in _SPACE.finditer(window)]
            at = max((s for s in spaces if 0 < s <= limit), default=limit)
            piece_end = start + at
            next_start = start + at + (len(window[at:]) - len(window[at:].lstrip()))
        else:
            piece_end, next_start = start + cut[0], start + cut[1]
        if piece_end <= start or next_start <= start:
            piece_end = next_start = start + limit
        pieces.append((start, piece_end))
        start = next_start
    if end > start:
        pieces.append((start, end))
    return pieces


def _last_boundary(window: str, pattern: re.Pattern[str], limit: int) -> tuple[int, int] | None:
    """(end of the piece, start of the next) at the last match leaving a piece of >= 1/4."""
    best = None
    for match in pattern.finditer(window):
        piece_end = match.start() + 1
        if limit // 4 <= piece_end <= limit:
            best = (piece_end, match.end())
    return best
