"""Sentence boundaries in judgment text, shared by ingest (sentence-window vectors), retrieval
(sentence-level scoring) and highlighting. Spans are offsets, so every piece is an exact slice."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_ABBREVIATIONS = {
    "art", "al", "cf", "n°", "no", "nos", "p", "pp", "m", "mm", "mme", "mmes", "me", "mes",
    "dr", "s", "ss", "ch", "sect", "civ", "com", "soc", "crim", "cass", "trib", "arr", "réf",
    "ref", "c", "etc", "ca", "vol", "éd", "ed", "op", "cit", "ibid", "st", "ste", "sté", "av",
}  # fmt: skip
_BOUNDARY = re.compile(r"(?<=[.!?…;])[\s]+(?=[«\"“(\-–—A-ZÀ-ÖØ-Þ0-9])|\n+")
_LAST_WORD = re.compile(r"[\wÀ-ÿ°]+\.?$")
_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS))
WINDOW_SENTENCES = 2  # sentences per window that gets its own vector


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def sentence_spans(text: str) -> list[Span]:
    """Sentence spans of `text` (stripped of surrounding whitespace), in order (cached: a
    chunk's sentences are asked for by several ranking signals at every search)."""
    return list(_sentence_spans(text))


@lru_cache(maxsize=8192)
def _sentence_spans(text: str) -> tuple[Span, ...]:
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        # Only the tail can hold the last word; a longer word is no abbreviation either.
        tail = text[max(start, match.start() - _LONGEST_ABBREVIATION - 2) : match.start()]
        last_word = _LAST_WORD.search(tail)
        if (
            match.group().strip(" \t") == ""
            and last_word
            and last_word.group().rstrip(".").lower() in _ABBREVIATIONS
        ):
            continue
        spans.append(Span(start, match.start()))
        start = match.end()
    spans.append(Span(start, len(text)))
    result = []
    for span in spans:
        s, e = span.start, span.end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            result.append(Span(s, e))
    return tuple(result)


def sentence_windows(text: str, size: int = WINDOW_SENTENCES) -> list[Span]:
    """Consecutive runs of `size` sentences, side by side (the last one ends with the text),
    covering every sentence: the pieces of a chunk that get their own vector. A text shorter
    than `size` sentences is one window; a text without words none."""
    sentences = sentence_spans(text)
    if not sentences:
        return []
    starts = list(range(0, max(1, len(sentences) - size + 1), size))
    last = max(0, len(sentences) - size)
    if starts[-1] != last:
        starts.append(last)
    return [Span(sentences[i].start, sentences[min(i + size, len(sentences)) - 1].end)
            for i in starts]
