"""Canonical text: the document text that every offset of the project points into.

`canonicalize` normalises whitespace (paragraphs separated by exactly one blank line, runs of
spaces collapsed, line ends stripped, NBSP to space), cleans light markup (`**x**`, `*x*`,
`^{er}`), drops page furniture (lone page numbers, "1/2" page counters) and rejoins paragraphs
that a page break or a stray blank line split in two. Everything else is kept verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class CanonicalText:
    """`page_starts[i]` is the offset in `text` where page i+1 starts (one entry per page)."""

    text: str
    page_starts: tuple[int, ...]

    def page_at(self, offset: int) -> int:
        """1-based page holding `offset`."""
        page = 1
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i + 1
            else:
                break
        return page


_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007\u2009\u200a\u3000\u000b]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_BOLD = re.compile(r"\*\*([^*\n]+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*\w])")
_SUPERSCRIPT = re.compile(r"\^\{([^{}\n]{1,12})\}")
_LONE_PAGE_NUMBER = re.compile(
    r"^(?:-\s*)?\d{1,3}(?:\s*-)?$|^\d{1,3}\s*/\s*\d{1,3}$|^page\s+\d{1,3}(?:\s*(?:/|sur|of)\s*\d{1,3})?$",
    re.IGNORECASE,
)
_GLUED_COUNTER = re.compile(r"^(\d{1,3})/(\d{1,3})(?=[A-ZÀ-Ý])")
_FINAL_PUNCT = ".!?:;,»\"”)]…"


def clean_markup(line: str) -> str:
    """`**x**` and `*x*` to x, `^{er}` to er."""
    line = _BOLD.sub(r"\1", line)
    line = _ITALIC.sub(r"\1", line)
    return _SUPERSCRIPT.sub(r"\1", line)


def _clean_line(line: str) -> str:
    line = _ZERO_WIDTH.sub("", line)
    line = _SPACES.sub(" ", line).strip()
    return clean_markup(line)


def _is_furniture(line: str) -> bool:
    return bool(_LONE_PAGE_NUMBER.match(line))


def _strip_counter(line: str) -> str:
    """'1/2DESIGNE ...' (a page counter glued to the next line by PDF extraction)."""
    match = _GLUED_COUNTER.match(line)
    if match and 0 < int(match.group(1)) <= int(match.group(2)):
        return line[match.end():]
    return line


_NEW_PARAGRAPH = re.compile(
    r"^(?:Attendu|Mais attendu|Considérant|Vu |PAR CES MOTIFS|[A-ZÉÈ]{2,}(?:\s|$))"
)


def _split_run(lines: list[str]) -> list[list[str]]:
    """Text without blank lines. Unwrapped lines are paragraphs. In hard-wrapped text (PDF)
    start a new paragraph before a
    heading line and before "Attendu ...", "DIT ...", "PAR CES MOTIFS" after a line that
    closes a clause."""
    if len(lines) >= 3 and max(len(line) for line in lines) > 200:
        return [[line] for line in lines]  # lines are not wrapped: each one is a paragraph
    if len(lines) < 6:
        return [lines]
    from ingest.layouts import top_level_kind

    runs: list[list[str]] = [[lines[0]]]
    for prev, line in zip(lines, lines[1:], strict=False):
        heading = top_level_kind(line) is not None or top_level_kind(prev) is not None
        if heading or (_NEW_PARAGRAPH.match(line) and prev[-1] in ".,;:]»)"):
            runs.append([line])
        else:
            runs[-1].append(line)
    return runs


def _page_blocks(page: str) -> list[str]:
    """Paragraph blocks of one page: lines cleaned, furniture dropped, blank-line separated."""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        blocks.extend("\n".join(run) for run in _split_run(current))
        current.clear()

    for raw_line in page.split("\n"):
        line = _strip_counter(_clean_line(raw_line))
        if not line:
            flush()
            continue
        if _is_furniture(line):
            continue
        current.append(line)
    flush()
    return [b for b in blocks if b]


def _looks_like_heading(block: str) -> bool:
    letters = [c for c in block if c.isalpha()]
    return len(block) < 40 or (bool(letters) and all(c.isupper() for c in letters))


def _continues(prev: str, nxt: str, across_page: bool) -> bool:
    """True when `nxt` is the rest of the paragraph `prev` (split by a page break or a stray
    blank line): `prev` ends mid-sentence and is not a heading; `nxt` starts in lowercase
    (across a page break, a lowercase end of `prev` is enough)."""
    last_line = prev.rsplit("\n", 1)[-1]
    if _looks_like_heading(last_line) and _looks_like_heading(prev):
        return False
    end = prev[-1]
    if end in _FINAL_PUNCT or not end.isalnum():
        return False
    first = nxt[0]
    if first.islower() or first in ",;.)":
        return True
    return across_page and end.isalpha() and end.islower() and not _looks_like_heading(nxt)


def canonicalize(raw_text: str) -> CanonicalText:
    """Normalise `raw_text` (pages separated by "\\f") into the canonical text."""
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
    pages = text.split("\f")
    out: list[str] = []  # paragraph blocks
    page_starts: list[int] = []
    length = 0  # length of "\n\n".join(out)
    for page_no, page in enumerate(pages):
        blocks = _page_blocks(page)
        first_block = True
        page_start: int | None = None
        for block in blocks:
            if out and _continues(out[-1], block, across_page=first_block and page_no > 0):
                glue = "" if block[0] in ",;.)" else " "
                out[-1] = out[-1] + glue + block
                if page_start is None:
                    page_start = length + len(glue)
                length += len(glue) + len(block)
            else:
                if out:
                    length += 2
                if page_start is None:
                    page_start = length
                out.append(block)
                length += len(block)
            first_block = False
        page_starts.append(page_start if page_start is not None else length)
    canonical = "\n\n".join(out)
    assert len(canonical) == length
    return CanonicalText(text=canonical, page_starts=tuple(page_starts))
