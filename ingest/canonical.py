"""Canonical text: the document text that every offset of the project points into.

`canonicalize` normalises whitespace (paragraphs separated by exactly one blank line, runs of
spaces collapsed, line ends stripped, NBSP to space), cleans light markup (`**x**`, `*x*`,
`^{er}`, typesetting codes such as `$p$`), drops page furniture (lone page numbers, "1/2" page
counters, the judgment's own ECLI repeated as a page footer), rejoins paragraphs that a page
break or a stray blank line split in two and cuts a text written on one line into paragraphs
at sentence ends. Everything else is kept verbatim.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.layouts import roman_value, top_level_kind


@dataclass(frozen=True)
class CanonicalText:
    """`page_starts[i]` is the offset in `text` where page i+1 starts (one entry per page).
    `pages_counted`: the text's own page footers numbered its pages 1/N, 2/N ... N/N in
    order, so its page breaks are the printed pages even though the raw text had none."""

    text: str
    page_starts: tuple[int, ...]
    pages_counted: bool = False

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


# An initial or abbreviation ends no sentence: « M. » Luc Michel, « l'article L. » 721-3,
# « la S.R.L. » XX, « art. » 5.
_ENDS_WITH_ABBREVIATION = re.compile(r"(?:^|[\s(.])[A-Z]\.$|\b(?:art|al|MM|pp?|cf)\.$")
_NUMBERING = re.compile(r"(?:[A-Z]|\d+)(?:\.\d+)*\.")  # « 3. », « A.4.6. »
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
    from ingest.layouts import PART_MARK, top_level_kind

    runs: list[list[str]] = [[lines[0]]]
    for prev, line in zip(lines, lines[1:], strict=False):
        heading = (top_level_kind(line) is not None or top_level_kind(prev) is not None
                   or bool(PART_MARK.match(line) or PART_MARK.match(prev)))
        if heading or (_NEW_PARAGRAPH.match(line) and prev[-1] in ".,;:]»)"
                       and not _ENDS_WITH_ABBREVIATION.search(prev)):
            runs.append([line])
        else:
            runs[-1].append(line)
    return runs


# A text exported without line breaks (some open-data records hold a whole decision on one
# line) is cut into paragraphs: a line longer than LONG_PARAGRAPH is cut at a sentence end
# before the next number of the judgment's own paragraph numbering ("... 2021. 12. Les
# notifications") or before "PAR CES MOTIFS", else at the first sentence end once the piece
# holds PARAGRAPH_TARGET characters. Only the space at the cut becomes a blank line.
LONG_PARAGRAPH = 4000
PARAGRAPH_TARGET = 1000
_SENTENCE_BREAK = re.compile(r"(?<=[.!?:;»…])\s+(?=[A-ZÀ-Ý«\"(\d−–•-])")
_OWN_NUMBER = re.compile(r"(\d{1,3})\.\s+\S")
_OPERATIVE = re.compile(r"PAR CES MOTIFS\b", re.IGNORECASE)


_INLINE_NUMBER = re.compile(r"(?<=\s)(\d{1,3})\.[ \t]+(?=[A-ZÀ-Ý«])")


def _inline_numbering(line: str) -> list[int]:
    """Offsets of the judgment's own paragraph numbers inside a text written on one line (AMF
    decisions: « … du RG AMF. 2. Elles indiquent … »): « N. » after a space and before a
    capital, the longest `numbering_run` of them, when it holds at least 10."""
    found = list(_INLINE_NUMBER.finditer(line))
    run = numbering_run([int(m.group(1)) for m in found])
    return [found[k].start() for k in run] if len(run) >= 10 else []


# « … comparaissant pas. • • • I.- INDICATIONS DE PROCEDURE Vu en forme régulière … »: a
# roman-numbered title in capitals inside a text written on one line (Belgian cours du travail)
_INLINE_PART = re.compile(r"(?<= )([IVX]{1,5})(?:\.-|\.|-|–)[ \t]+(?=[A-ZÀ-Ý])")
_TITLE_WORD = re.compile(r"[ \t]*([A-ZÀ-Ý][A-ZÀ-Ý’'-]*|[:–-]|\([A-ZÀ-Ý’' ]+\))(?=[ \t]|$)")


def _capitals_end(line: str, start: int) -> int | None:
    """The end of the title in capitals that opens at `start` (« FAITS ET ANTÉCÉDENTS
    PERTINENTS (RAPPEL) »), without a last one-letter word that opens the next sentence
    (« … PERTINENTS A la lecture ») nor « PAR CES MOTIFS »; None when no word of four letters
    is there, or when dots lead to a page number (a table of contents)."""
    words: list[tuple[str, int]] = []
    while (match := _TITLE_WORD.match(line, words[-1][1] if words else start)) and len(words) < 20:
        if match.group(1) == "PAR" and line.startswith(" CES", match.end()):
            break  # « … DISPOSITIF DE L'ARRÊT PAR CES MOTIFS, » opens the operative part
        words.append((match.group(1), match.end()))
    while words and len(words[-1][0]) == 1:
        words.pop()
    if not any(sum(c.isalpha() for c in word) >= 4 for word, _ in words) \
            or _DOT_LEADER.match(line, words[-1][1]):
        return None
    return words[-1][1]


# « MOTIFS DE LA DÉCISION ........ 8 »: an entry of the table of contents, not the title
_DOT_LEADER = re.compile(r"\s*\.{4,}")
# a run of words in capitals (« MOTIFS DE LA DÉCISION », « PAR CES MOTIFS »)
_CAPITALS = re.compile(
    r"(?<![\w’'-])[A-ZÀ-Ý][A-ZÀ-Ý’'-]+(?:[ \t]+[A-ZÀ-Ý][A-ZÀ-Ý’'-]*)*(?![\w’'-])")
_LAST_LETTERS = re.compile(r"(?:[ \t]+[A-ZÀ-Ý])+$")  # one-letter words that end a run


def _inline_titles(line: str) -> list[tuple[int, int]]:
    """(start, end) of the part titles written inside a line: « I.- … », « II.- … » when at
    least 3 of them make a `numbering_run` in order, and the known top-level titles in
    capitals (« … le 16 septembre 2025. MOTIFS DE LA DÉCISION I. Sur le grief … »)."""
    found = []
    for match in _INLINE_PART.finditer(line):
        end = _capitals_end(line, match.end())
        if end is not None:
            found.append((match.start(), end, roman_value(match.group(1))))
    run = numbering_run([value for _, _, value in found])
    titles = [found[k][:2] for k in run] if len(run) >= 3 else []
    inside = [range(start, end) for start, end in titles]
    for match in _CAPITALS.finditer(line):
        title = _LAST_LETTERS.sub("", match.group())  # « … DÉCISION I. Sur le grief »
        end = match.start() + len(title)
        if match.start() > 0 and top_level_kind(title) is not None \
                and not _DOT_LEADER.match(line, end) \
                and not any(match.start() in span for span in inside):
            titles.append((match.start(), end))
    return sorted(titles)


def split_long_line(line: str) -> list[str]:
    """`line` cut into paragraphs before its own paragraph numbers (`_inline_numbering`),
    around its part titles (`_inline_titles`) and at sentence ends (see LONG_PARAGRAPH);
    without the spaces at the cuts, the pieces are `line`."""
    titles = _inline_titles(line)
    cuts = sorted({*_inline_numbering(line), *(at for title in titles for at in title)})
    title_starts = {start for start, _ in titles}
    pieces: list[str] = []
    start = 0
    for at in cuts:
        end = len(line[:at].rstrip())
        if end > start:
            piece = line[start:end]
            pieces.extend([piece] if start in title_starts else _split_at_sentences(piece))
        start = max(start, len(line) - len(line[at:].lstrip()))
    return pieces + _split_at_sentences(line[start:])


# « Par ces motifs, La Cour Rejette le pourvoi ; Condamne … »: a paragraph that runs the
# operative part's title into its first ruling (Belgian records on one line)
_OPERATIVE_RUN_IN = re.compile(
    r"^(?i:par ces motifs\s*,\s*(?:la cour|le tribunal|le conseil d'[ée]tat)\s*,?)\s+(?=[A-ZÀ-Ý])")


def split_operative_opening(line: str) -> list[str]:
    """`line` cut after the operative part's title it opens with (« Par ces motifs, La Cour »)
    when a ruling follows on the same line; without the space at the cut, the pieces are
    `line`."""
    match = _OPERATIVE_RUN_IN.match(line)
    if not match:
        return [line]
    return [line[: match.end()].rstrip(), line[match.end() :]]


def _split_at_sentences(line: str) -> list[str]:
    """`line` cut at sentence ends, before a number that continues « 1. », « 2. » … and
    before the operative part, into pieces of about PARAGRAPH_TARGET characters."""
    pieces: list[str] = []
    start = 0
    last_number = 0
    for match in _SENTENCE_BREAK.finditer(line):
        if _ENDS_WITH_ABBREVIATION.search(line[max(0, match.start() - 6) : match.start()]):
            continue
        numbered = _OWN_NUMBER.match(line, match.end())
        own = numbered is not None and int(numbered.group(1)) == last_number + 1
        if own:
            last_number += 1
        if own or _OPERATIVE.match(line, match.end()) or \
                match.start() - start >= PARAGRAPH_TARGET:
            if match.start() > start:
                pieces.append(line[start:match.start()])
            start = match.end()
    pieces.append(line[start:])
    return pieces


# Typesetting codes at line starts in old Belgian Cour d'arbitrage texts: "$f$No 41/90 Arrêt
# du 21 décembre 1990", "$p$II. Les faits", "$a$A.1.", "$d$Par ces motifs,".
_TYPESET_CODE = re.compile(r"^\$[a-z]{1,3}\$")


def _page_blocks(page: str) -> list[str]:
    """Paragraph blocks of one page: lines cleaned, furniture dropped, blank-line separated."""
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        for run in _split_run(current):
            if len(run) == 1:
                pieces = split_long_line(run[0]) if len(run[0]) > LONG_PARAGRAPH else run
                blocks.extend(part for piece in pieces for part in split_operative_opening(piece))
            else:
                blocks.append("\n".join(run))
        current.clear()

    for raw_line in page.split("\n"):
        line = _strip_counter(_clean_line(raw_line))
        code = _TYPESET_CODE.match(line)
        if code:  # "$p$II. La procédure": a typesetting code opens a paragraph
            flush()
            line = line[code.end():].lstrip()
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
    (across a page break, a lowercase end of `prev` is enough, and so is an initial or
    abbreviation before a page that does not open with a number)."""
    last_line = prev.rsplit("\n", 1)[-1]
    if _looks_like_heading(last_line) and _looks_like_heading(prev):
        return False
    if across_page and _ENDS_WITH_ABBREVIATION.search(last_line) and \
            not _NUMBERING.match(nxt):
        return True  # « représentée par son président, M. » | « Luc Michel »
    end = prev[-1]
    if end in _FINAL_PUNCT or not end.isalnum():
        return False
    first = nxt[0]
    if first.islower() or first in ",;.)":
        return True
    return (across_page and end.isalpha() and end.islower() and not _looks_like_heading(nxt)
            and not LABEL.match(nxt))


_LINE_START_ECLI = re.compile(
    r"^[ \t]*(ECLI:[A-Z]{2}:[A-Z0-9]{1,7}:\d{4}:[A-Za-z0-9.]*[A-Za-z0-9])(?![A-Za-z0-9])", re.M)
# "VI - 23.319 - 2/3", "XVr – 8123 - 12/40", "VIexturg -23.639 - 1/11", "V – 2070f - 1/20":
# chamber, docket and page in the Belgian Conseil d'État's page footer
_FOOTER_COUNTER = r"[IVXL]+[a-z]*[ \t]*[-–][ \t]*[\w.]+[ \t]*[-–][ \t]*\d{1,3}/\d{1,3}"


_PAGE_COUNTER = re.compile(r"(\d{1,3})/(\d{1,3})")


def _footers_to_page_breaks(text: str) -> tuple[str, bool]:
    """`text` with the judgment's own ECLI printed as a page footer (at line starts, at least
    twice: Belgian Conseil d'État and Cour constitutionnelle) turned into page breaks, with
    the page counter that may follow it; a footer glued to the next page's first line too. A
    footer that closes the text stays: it states the judgment's ECLI. Also whether the footers
    count the pages: each has a counter, and they read 1/N, 2/N ... N/N in order."""
    counts = Counter(match.group(1) for match in _LINE_START_ECLI.finditer(text))
    if not counts or counts.most_common(1)[0][1] < 2:
        return text, False
    ecli = re.escape(counts.most_common(1)[0][0])
    footer = re.compile(
        rf"^[ \t]*{ecli}(?![A-Za-z0-9])(?:[ \t]*\n?[ \t]*{_FOOTER_COUNTER})?[ \t]*"
        rf"(?:\n[ \t]*\f|\n|(?=\f)|\Z)|^[ \t]*{ecli}(?:[ \t]*{_FOOTER_COUNTER})?[ \t]+(?=\S)",
        re.M)
    found = list(footer.finditer(text))
    counters = [_PAGE_COUNTER.search(m.group(0)) for m in found]
    counted = all(c and c.groups() == (str(page), str(len(found)))
                  for page, c in enumerate(counters, 1))  # fmt: skip
    return footer.sub(lambda m: m.group(0) if not text[m.end():].strip() else "\f", text), counted


_NUMBERED_LINE = re.compile(r"^(\d{1,3})\.\s+\S", re.M)
_CLOSES_SENTENCE = ".;:!?»)"


def numbering_run(numbers: Sequence[int]) -> list[int]:
    """Indices of the longest run 1, 2, 3 ... in `numbers`, read in order: a 1 starts a run,
    and a number continues the run it is next in whose last number was read last (so a list
    numbered from 1 inside a paragraph does not end the paragraphs' own numbering); a run of
    at least 10 also goes on over one number the text lost (… 64, 66 …)."""
    runs: list[list[int]] = []
    for index, number in enumerate(numbers):
        if number == 1:
            runs.append([index])
            continue
        run = max((r for r in runs if numbers[r[-1]] == number - 1),
                  key=lambda r: r[-1], default=None)
        if run is None:
            run = max((r for r in runs if numbers[r[-1]] == number - 2 and len(r) >= 10),
                      key=lambda r: r[-1], default=None)
        if run is not None:
            run.append(index)
    return max(runs, key=len, default=[])


Label = tuple[int, ...]  # « B.25.4 » as (ord("B"), 25, 4)

LABEL = re.compile(r"([A-Z])\.(\d{1,3}(?:\.\d{1,3}){0,3})\.[ \t]+(?=\S)")  # « B.5.2. »
_LABEL_LINE = re.compile(r"^" + LABEL.pattern, re.M)


def opens_prose(text: str, match: re.Match[str]) -> bool:
    """Whether the label `match` found in `text` opens a paragraph of prose rather than a
    numbered title (« V.1.1. La requête »): the rest of its line closes a sentence or is
    long, or the next line goes on with the sentence (narrow old layouts)."""
    rest, _, after = text[match.end():].partition("\n")
    rest = rest.rstrip()
    return (len(rest) >= 60 or rest[-1:] in tuple(".!?:;»")
            or after[:1].islower() or after[:1] in tuple("(«0123456789"))


def label_key(match: re.Match[str]) -> Label:
    """The label a `LABEL` match reads, as a comparable tuple."""
    return (ord(match.group(1)), *(int(n) for n in match.group(2).split(".")))


def label_text(key: Label) -> str:
    """« B.25.4 » from its key."""
    return ".".join([chr(key[0]), *(str(n) for n in key[1:])])


def _label_follows(previous: Label, label: Label) -> bool:
    """Whether `label` is the next paragraph after `previous` in a lettered numbering:
    B.25.4.2 → B.25.4.3, B.25.5, B.26 or B.26.1; A.18 → B.1 or B.1.1."""
    if label[0] == previous[0] + 1:
        return all(n == 1 for n in label[1:])
    if label[0] != previous[0]:
        return False
    return any(label[:depth] == previous[:depth] and len(label) > depth
               and label[depth] == previous[depth] + 1
               and all(n == 1 for n in label[depth + 1:])
               for depth in range(1, len(previous)))


def label_run(labels: Sequence[Label]) -> list[int]:
    """Indices of the longest run of lettered paragraph labels in order (the Belgian Cour
    constitutionnelle's A.1, A.2.1 ... B.1.1, B.1.2 ...): a first label (A.1, B.1.1) starts a
    run, and a label continues the run it is next in whose last label was read last (so an
    earlier ruling's paragraphs quoted inside one do not end the numbering)."""
    runs: list[list[int]] = []
    for index, label in enumerate(labels):
        run = max((r for r in runs if _label_follows(labels[r[-1]], label)),
                  key=lambda r: r[-1], default=None)
        if run is not None:
            run.append(index)
        elif all(n == 1 for n in label[1:]):
            runs.append([index])
    return max(runs, key=len, default=[])


def _label_breaks(text: str) -> list[int]:
    """Offsets of the line breaks inside paragraphs (hard-wrapped text) before the lines that
    open with the judgment's lettered paragraph labels (« A.1. », « B.5.2. »): the longest run
    of at least 3 in order, at least half of them opening prose; the line before, a sub-title
    such as « Quant à l'intérêt », then stands alone."""
    candidates = list(_LABEL_LINE.finditer(text))
    best = [candidates[k] for k in label_run([label_key(m) for m in candidates])]
    if len(best) < 3 or 2 * sum(opens_prose(text, m) for m in best) < len(best):
        return []
    return [m.start() - 1 for m in best
            if m.start() > 1 and text[m.start() - 1] == "\n" and text[m.start() - 2] != "\n"]


# « IV. Recevabilité », « V.1.1. Thèse de la partie requérante »; « B. Examen » (a lettered
# title has no figure or bracket: « B. Placement d’enseigne : 13.250 € » is an item of a
# claimed sum, « A. 240.210/VI-22.649 » a docket number, « A. MERCIER ) » a name in a list)
_PART_TITLE = re.compile(r"[IVX]{1,5}(?:\.\d{1,2}){0,2}\.[ \t]+\S|[A-H]\.[ \t]+[A-ZÀ-Ý][^\d()]*$")


def _is_part_title(line: str) -> bool:
    """A short line with a roman or lettered part number that ends no sentence."""
    return (bool(_PART_TITLE.match(line)) and len(line) <= 90
            and line.rstrip()[-1] not in ".;:,")


def _part_title_breaks(text: str) -> list[int]:
    """Offsets of the line breaks around the numbered part titles that hard-wrapped text
    (the Belgian Conseil d'État's records) holds inside paragraphs: a title line comes after
    a line that closes a sentence (or another title) and before one that opens with a
    capital (or another title)."""
    breaks: list[int] = []
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    for i, line in enumerate(lines):
        if not _is_part_title(line):
            continue
        before = lines[i - 1] if i > 0 else ""
        after = lines[i + 1] if i + 1 < len(lines) else ""
        if before and not (before[-1] in _CLOSES_SENTENCE or _is_part_title(before)):
            continue
        if after and not (after[0].isupper() or _is_part_title(after)):
            continue
        if before:
            breaks.append(starts[i] - 1)
        if after:
            breaks.append(starts[i] + len(line))
    return sorted(set(breaks))


def _own_numbering_breaks(text: str) -> list[int]:
    """Offsets of the line breaks inside paragraphs (hard-wrapped text) that come before the
    judgment's own paragraph numbers: the longest run of lines « 1. », « 2. », « 3. » ... in
    order (at least 3, counting those that start a paragraph already), where a list numbered
    from 1 again inside it does not end it, and whose inner lines follow a line that closes
    a sentence."""
    candidates: list[tuple[int, int, bool]] = []  # (offset of the line, number, inner)
    for match in _NUMBERED_LINE.finditer(text):
        at = match.start()
        inner = at > 1 and text[at - 1] == "\n" and text[at - 2] != "\n"
        if inner and text[at - 2] not in _CLOSES_SENTENCE:  # lines end stripped
            continue
        candidates.append((at, int(match.group(1)), inner))
    best = [candidates[k] for k in numbering_run([number for _, number, _ in candidates])]
    return [at - 1 for at, _, inner in best if inner] if len(best) >= 3 else []


def _split_at(text: str, breaks: list[int], page_starts: list[int]) -> tuple[str, list[int]]:
    """`text` with a blank line at each of `breaks` (offsets of single line breaks), and
    `page_starts` moved with it."""
    if not breaks:
        return text, page_starts
    pieces, last = [], 0
    for at in breaks:
        pieces.append(text[last:at])
        last = at
    pieces.append(text[last:])
    moved = [start + bisect.bisect_left(breaks, start) for start in page_starts]
    return "\n".join(pieces), moved


def canonicalize(raw_text: str) -> CanonicalText:
    """Normalise `raw_text` (pages separated by "\\f") into the canonical text."""
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
    text, pages_counted = _footers_to_page_breaks(text)
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
    canonical, page_starts = _split_at(canonical, _own_numbering_breaks(canonical), page_starts)
    canonical, page_starts = _split_at(canonical, _label_breaks(canonical), page_starts)
    canonical, page_starts = _split_at(canonical, _part_title_breaks(canonical), page_starts)
    return CanonicalText(text=canonical, page_starts=tuple(page_starts),
                         pages_counted=pages_counted)
