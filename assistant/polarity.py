"""Does a synthesis sentence state the opposite of the passage clause it quotes? (pure
functions, no model; French and English).

A clause is negative when it holds a negation:
- "ne/n' … pas, plus, jamais, point, guère, rien, aucun(e), nullement, ni" and the literary
  "ne" alone ("ne saurait", "ne peut lui être imputée"); not the restrictive "ne … que"
  ("ce n'est que des jours après") nor the expletive "ne" ("avant qu'il ne");
- "aucun(e)", "jamais", "nullement", "non pas", "sans" before a verb ("sans fournir");
- an outcome that refuses: rejette/rejet, déboute, irrecevable, non fondé(e), refuse, écarte;
- English: not, n't, never, no (before a word), none, neither, nor, without, dismissed,
  rejected, refused, unfounded, inadmissible.
A negated contestation is an admission, not a negation: "ne conteste pas", "n'est pas
contesté", "ne s'oppose pas", "ne nie pas".

Polarity is compared clause by clause (a clause ends at a sentence end, ";" or ":"), for each
quote the sentence carries:
- the claim clause is the clause of the synthesis sentence that holds the quote (the clause
  before it when the quote stands alone after a colon), quote included;
- the source clause is the clause of the cited passage that holds the quoted text.
They disagree when
1. the claim clause is negative but the source clause holds no negation anywhere, or
2. the source clause negates before or inside the quoted text (the quote was cut after its
   negation) and the claim clause is not negative.
A negation after the quoted text in the source only excuses a negative claim (rule 1): it often
belongs to a later subordinate clause ("… renforcée puisque … il n'a commis aucune faute").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_WORD = re.compile(r"[^\W\d_]+(?:'|’)?|\d+", re.UNICODE)
_PARTNERS = frozenset(
    re.findall(
        r"\S+", "pas plus jamais point guère guere rien aucun aucune aucuns aucunes nullement ni"
    )
)
_ADMISSION = re.compile(r"^(?:contest|conteste|nie|nient|nié|dénie|dénient|disconv|oppos|s'oppos)")
_EXPLETIVE = frozenset(re.findall(r"\S+", "avant moins crainte peur"))
_ALONE = re.compile(
    r"\b(?:aucun|aucune|aucuns|aucunes|jamais|nullement)\b|\bnon\s+pas\b"
    r"|\bsans\s+(?:qu'|que\b|(?:l[ea]s?\s+|l')?(?!autre\b)[^\W\d_]+(?:er|ir|re|oir)\b)"
    r"|\b(?:rejet\w*|d[ée]bout\w*|irrecevab\w*|non[- ]fond[ée]\w*|non[- ]recevab\w*|"
    r"refus\w*|[ée]cart(?:e|ent|é|ée|és|ées)\b)"
    r"|\b(?:not|never|none|neither|nor|without|dismiss\w*|reject\w*|unfounded|inadmissible)\b"
    r"|n't\b|\bno(?=\s+[a-z])",
    re.IGNORECASE,
)
_APOSTROPHES = re.compile("[’‘ʼ]")
_NE = re.compile(r"\b(?:ne\b|n')", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[;:!?\n]|\.(?=\s+[«“\"A-ZÀ-Þ(])|\.$")


def negation_offsets(text: str) -> list[int]:
    """Offsets in `text` where a negation starts (see the module docstring)."""
    text = _APOSTROPHES.sub("'", text)  # same length: offsets stay valid
    offsets: list[int] = []
    consumed: set[int] = set()
    for m in _NE.finditer(text):
        before = [w.lower() for w in _WORD.findall(text[max(0, m.start() - 30) : m.start()])]
        if any(w.rstrip("'’") in _EXPLETIVE for w in before[-3:]):
            continue
        words = list(_WORD.finditer(text, m.end()))[:6]
        kind, partner = "literary", None
        for w in words:
            word = w.group().lower().rstrip("'’")
            if word in ("que", "qu"):
                kind = "restrictive"
                break
            if word in _PARTNERS:
                kind, partner = "negation", w.start()
                break
        if any(_ADMISSION.match(w.group().lower()) for w in words[:4]):
            kind = "admission"
            partner = next((w.start() for w in words if w.group().lower() in _PARTNERS), None)
        if partner is not None:
            consumed.add(partner)
        if kind in ("negation", "literary"):
            offsets.append(m.start())
    for m in _ALONE.finditer(text):
        if m.start() not in consumed:
            offsets.append(m.start())
    return sorted(offsets)


def is_negative(text: str) -> bool:
    return bool(negation_offsets(text))


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause of `text` holding `text[start:end]`: from the clause end before `start`
    to the first clause end at or after `end`."""
    clause_start = 0
    for m in _CLAUSE_END.finditer(text):  # not bounded at `start`: the lookahead needs to see
        if m.start() >= start:
            break
        clause_start = m.end()
    after = _CLAUSE_END.search(text, max(end, start))
    return clause_start, after.end() if after else len(text)


def claim_clause(sentence: str, quote: tuple[int, int], quotes: Sequence[tuple[int, int]]) -> str:
    """The clause of a synthesis sentence holding `quote` (span with its marks), quotes kept;
    when nothing but the quote and citations stands in it, the clause before it joins."""
    inside = bytearray(len(sentence))
    for s, e in quotes:
        inside[s:e] = b"\x01" * (e - s)
    cuts = [i + 1 for i, ch in enumerate(sentence) if ch in ";:" and not inside[i]]
    bounds = [0, *cuts, len(sentence)]
    index = max(k for k in range(len(bounds) - 1) if bounds[k] <= quote[0])
    start, end = bounds[index], bounds[index + 1]
    if index > 0 and not _has_words_outside(sentence, start, end, quotes):
        start = bounds[index - 1]
    return sentence[start:end]


def _has_words_outside(
    sentence: str, start: int, end: int, quotes: Sequence[tuple[int, int]]
) -> bool:
    text = list(sentence[start:end])
    for s, e in quotes:
        for i in range(max(s, start), min(e, end)):
            text[i - start] = " "
    bare = re.sub(r"\[[^\]]*\]", " ", "".join(text))
    return any(ch.isalpha() for ch in bare)


def disagrees(claim: str, source: str, start: int, end: int) -> bool:
    """Whether the claim clause (quote included) and the passage text `source`, where the
    quoted text lies at `source[start:end]`, disagree on negation."""
    clause_start, clause_end = clause_bounds(source, start, end)
    clause = source[clause_start:clause_end]
    offsets = [clause_start + o for o in negation_offsets(clause)]
    claim_negative = is_negative(claim)
    if claim_negative:
        return not offsets
    return any(o < end for o in offsets)
