"""Checks applied to an LLM synthesis before it is kept (pure functions, no model).

Rules (issue #5):
- the synthesis is split into sentences (quotes, abbreviations such as "art.", "cf.", "H.",
  numbers such as "70.000" and pseudonyms such as "SOCIETE3.)" do not end a sentence; a line
  break always does);
- citations are `[n]`, `[n, m]`, `[n][m]` or `[n-m]`; numbers that are not passage ranks are
  removed from the text and recorded as a problem;
- every span in « », “ ” or "" is searched verbatim, after folding apostrophes (’ ‘ → ') and
  whitespace (NBSP, narrow NBSP, runs → one space), in the passages its sentence cites; a quote
  that is found only in an uncited passage, or nowhere, is replaced by « […] » so that no
  unchecked text remains between quotation marks, and the sentence is marked unverified.
  A quote may elide text with "[…]", "[...]" or "(...)": its pieces must then appear in order in
  one cited passage;
- a sentence with no valid citation is marked "aucun renvoi", except a short heading (a line of
  at most 6 words that starts with "#" or ends with ":", holding no quote and no citation), which
  asserts nothing;
- a sentence without any quote is marked "aucune citation" (issue #11: every claim carries a
  verbatim quote of a passage it cites), headings excepted;
- what the sentence states in its own words must be consistent with the passages it cites
  (`assistant.claim_check`): every amount, percentage, date, article number and party name is
  found in them ("montant absent des passages cités : 50.000 euros"), and the clause holding each
  quote agrees in polarity with the passage clause it quotes (`assistant.polarity`: "négation
  contraire au passage [1]");
- a sentence is verified when it has no problem; the synthesis when every sentence is;
- a reply whose first sentence says that the passages do not answer, and which quotes nothing,
  is a no-answer (`Synthesis.no_answer`): neither verified nor flagged.
See docs/verification.md for what "vérifiée" proves and what it does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.claim_check import missing_facts
from assistant.polarity import claim_clause, disagrees
from assistant.records import Passage, Synthesis, SynthesisSentence

ELISION = "[…]"
ELIDED_QUOTE = "« […] »"
NO_ANSWER_LABEL = "Les passages ne permettent pas de répondre."

_OPENERS = {"«": "»", "“": "”"}
_CLOSERS = {"»", "”"}
_CITATION = re.compile(r"\[\s*\d+(?:\s*(?:[,;]|[-–])\s*\d+)*\s*\]")
_ELISION_SPLIT = re.compile(r"\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\)|…|\.\.\.")
_LIST_MARKER = re.compile(r"[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)$")
_PSEUDONYM_BEFORE = re.compile(r"\b[A-Z]{3,}\d+$")
_TRAILING_TAIL = re.compile(r"(?:\s*\[[^\]]*\])*\s*[.!?]?\s*$")
_WHITESPACE = re.compile(r"\s+")
_ABBREVIATIONS = frozenset(
    re.findall(
        r"\S+",
        "art arts al cf p pp n no nos op cit éd ed vol ch chap civ com soc crim cass trib arr req "
        "préc prec not spéc spec v s ss m mm mme mlle me dr pr st ste sté ibid id bull obs ord "
        "sect ass plén plen cie inc jur eg ie",
    )
)


@dataclass(frozen=True)
class _Quote:
    start: int  # offset of the opening mark inside the sentence
    end: int  # offset after the closing mark (or after the content when unclosed)
    content: str
    closed: bool


def fold(text: str) -> str:
    """Fold apostrophe variants to ' and whitespace runs (NBSP included) to one space; strip."""
    text = text.replace("’", "'").replace("‘", "'").replace("ʼ", "'")
    return _WHITESPACE.sub(" ", text).strip()


def closed_quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans (marks included) of the outermost quotes of `text` that are closed; « » and “ ”
    nest, a straight quote closes at the next straight quote. Unclosed marks are skipped."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        close = -1
        if ch == '"':
            close = text.find('"', i + 1)
        elif ch in _OPENERS:
            depth = 0
            for k in range(i, len(text)):
                if text[k] == ch:
                    depth += 1
                elif text[k] == _OPENERS[ch]:
                    depth -= 1
                    if depth == 0:
                        close = k
                        break
        if close >= 0:
            spans.append((i, close + 1))
            i = close + 1
        else:
            i += 1
    return spans


def find_quotes(sentence: str) -> list[_Quote]:
    """Outermost quoted spans in « », “ ” or "" (inner quotes belong to the outer one).

    An unclosed quote runs to the end of the sentence, trailing citations and final
    punctuation excluded."""
    quotes = [_Quote(s, e, sentence[s + 1 : e - 1], True) for s, e in closed_quote_spans(sentence)]
    covered = {i for q in quotes for i in range(q.start, q.end)}
    opener = next((i for i, ch in enumerate(sentence) if ch in '«“"' and i not in covered), None)
    if opener is None:
        return quotes
    tail = _TRAILING_TAIL.search(sentence, opener + 1)
    end = tail.start() if tail else len(sentence)
    kept = [q for q in quotes if q.start < opener]
    return [*kept, _Quote(opener, end, sentence[opener + 1 : end], False)]


def parse_citation(group: str) -> list[int]:
    """Numbers of one citation group: "[1, 3]" -> [1, 3]; "[2-4]" -> [2, 3, 4]."""
    numbers: list[int] = []
    for part in re.split(r"[,;]", group.strip("[] \t")):
        bounds = [int(x) for x in re.findall(r"\d+", part)]
        if len(bounds) == 2 and bounds[0] <= bounds[1] and bounds[1] - bounds[0] < 50:
            numbers.extend(range(bounds[0], bounds[1] + 1))
        else:
            numbers.extend(bounds)
    return numbers


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans `(start, end)` of the sentences of `text`; what lies between spans (whitespace,
    list markers) is layout. A line break ends a sentence unless it lies inside a closed quote.
    Citation groups right after a full stop belong to the sentence before them."""
    inside = bytearray(len(text) + 1)
    for start, end in closed_quote_spans(text):
        inside[start + 1 : end - 1] = b"\x01" * (end - start - 2)
    raw: list[tuple[int, int]] = []
    sentence_start = _skip_layout(text, 0)
    i = sentence_start
    while i < len(text):
        ch = text[i]
        cut: int | None = None
        if inside[i]:
            pass
        elif ch == "\n":
            cut = i
        elif ch in ".!?…":
            cut = _sentence_end(text, i, len(text), sentence_start)
        if cut is None:
            i += 1
            continue
        raw.append((sentence_start, cut))
        sentence_start = i = _skip_layout(text, cut)
    raw.append((sentence_start, len(text)))
    spans: list[tuple[int, int]] = []
    for start, end in raw:
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        if spans and not _has_words(_CITATION.sub("", text[start:end])):
            spans[-1] = (spans[-1][0], end)  # a dangling "[2]." joins the sentence before
        else:
            spans.append((start, end))
    return spans


def _skip_layout(text: str, i: int) -> int:
    """Skip whitespace, and a list marker ("- ", "* ", "1. ") at the start of a line."""
    line_start = i == 0
    while True:
        if line_start:
            marker = _LIST_MARKER.match(text, i)
            if marker and marker.end() < len(text) and not text[marker.end()].isspace():
                i = marker.end()
            line_start = False
        if i < len(text) and text[i].isspace():
            line_start = text[i] == "\n"
            i += 1
            continue
        return i


def _has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _sentence_end(text: str, i: int, end: int, sentence_start: int) -> int | None:
    """Where the sentence ending with the mark at `i` stops, or None when it goes on."""
    if text[i] == ".":
        word = _WORD_BEFORE.search(text[sentence_start:i])
        if word and (len(word.group(1)) == 1 or word.group(1).lower() in _ABBREVIATIONS):
            return None
        if text.startswith(".)", i) and _PSEUDONYM_BEFORE.search(text, sentence_start, i):
            return None  # "SOCIETE3.)": a pseudonym, not the end of the sentence
    j = i + 1
    while j < end and text[j] in ".!?…)":
        j += 1
    cut = j
    while True:  # citation groups after the mark belong to this sentence
        k = cut
        while k < end and text[k] in " \t\u00a0\u202f":
            k += 1
        match = _CITATION.match(text, k, end)
        if not match:
            break
        cut = match.end()
        if cut < end and text[cut] == ".":
            cut += 1
    k = cut
    while k < end and text[k].isspace():
        k += 1
    if k >= end:
        return cut
    if cut == j and k == j:  # no space after the mark: "70.000", "art.1147"
        return None
    nxt = text[k]
    if nxt.isupper() or nxt.isdigit() or nxt in '«“"([*#-':
        return cut
    return None


def _is_heading(sentence: str) -> bool:
    bare = sentence.strip().strip("*_ ").strip()
    if sentence.lstrip().startswith("#"):
        bare = bare.lstrip("#").strip()
    elif not bare.endswith(":"):
        return False
    return 0 < len(bare.split()) <= 6


def _found_in(fragments: list[str], passage_text: str) -> bool:
    cursor = 0
    for fragment in fragments:
        at = passage_text.find(fragment, cursor)
        if at < 0:
            return False
        cursor = at + len(fragment)
    return True


def _quote_fragments(content: str) -> list[str]:
    """The pieces of a quote that must appear in order; trailing sentence punctuation the
    model may add inside the marks is tolerated by a second try without it (see check)."""
    return [f for f in (fold(p) for p in _ELISION_SPLIT.split(content)) if f]


def _quote_variants(content: str) -> list[list[str]]:
    """The quote's pieces, and the same without trailing punctuation the model may have put
    inside the marks; [] for an empty quote."""
    fragments = _quote_fragments(content)
    if not fragments:
        return []
    variants = [fragments]
    stripped = fragments[-1].rstrip(".,;:")
    if stripped and stripped != fragments[-1]:
        variants.append([*fragments[:-1], stripped])
    return variants


def locate_quote(content: str, texts: dict[int, str]) -> list[int]:
    """Ranks of the passages (folded texts) that hold the quote verbatim."""
    variants = _quote_variants(content)
    return [n for n, t in texts.items() if any(_found_in(v, t) for v in variants)]


def quote_regions(content: str, text: str, limit: int = 20) -> list[tuple[int, int]]:
    """Where the quote lies in the folded passage `text`: (start of its first piece, end of its
    last piece) for each occurrence, at most `limit`."""
    variants = _quote_variants(content)
    regions: list[tuple[int, int]] = []
    for variant in variants:
        at = text.find(variant[0])
        while at >= 0 and len(regions) < limit:
            cursor = at + len(variant[0])
            for fragment in variant[1:]:
                found = text.find(fragment, cursor)
                if found < 0:
                    break
                cursor = found + len(fragment)
            else:
                regions.append((at, cursor))
            at = text.find(variant[0], at + 1)
        if regions:
            break
    return regions


_NO_ANSWER = re.compile(
    r"ne (?:me |nous )?permett?(?:ent)? pas (?:de |d')(?:r[ée]pondre|conclure|d[ée]terminer)"
    r"|ne r[ée]pond(?:ent)? pas [àa] la question"
    r"|ne (?:contien\w*|fourni\w*|donn\w*|traite\w*|mentionn\w*|pr[ée]cis\w*) (?:pas|aucun\w*)"
    r" (?:de |d'|la |l')?(?:r[ée]ponse|information|[ée]l[ée]ment|indication)"
    r"|aucun (?:des )?(?:passages?|extraits?) (?:fournis )?ne (?:r[ée]pond|permet|traite|mentionne)"
    r"|(?:do|does) not (?:answer|address|contain|allow|provide|say)"
    r"|(?:cannot|can't|can not) (?:be )?answer|not (?:possible|enough information) to answer"
    r"|no passage (?:answers|addresses|says)",
    re.IGNORECASE,
)


def is_no_answer(text: str) -> bool:
    """Whether the model's reply says that the passages do not answer: its first sentence says
    so, and it quotes nothing."""
    spans = [(s, e) for s, e in split_sentences(text) if not _is_heading(text[s:e])]
    if not spans or closed_quote_spans(text) or any(ch in text for ch in "«“"):
        return False
    first = fold(text[spans[0][0] : spans[0][1]])
    return _NO_ANSWER.search(first) is not None


def _short(text: str, limit: int = 80) -> str:
    text = fold(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cites(numbers: Sequence[int]) -> str:
    return ", ".join(f"[{n}]" for n in numbers)


def check_sentence(sentence: str, texts: dict[int, str]) -> tuple[SynthesisSentence, str]:
    """Check one sentence against the folded passage texts keyed by rank.

    Returns the checked sentence and its cleaned text (bad citations and quotes removed)."""
    problems: list[str] = []
    quotes = find_quotes(sentence)
    inside = [(q.start, q.end) for q in quotes]
    edits: list[tuple[int, int, str]] = []
    cited: list[int] = []
    citation_count = 0
    for match in _CITATION.finditer(sentence):
        if any(s <= match.start() < e for s, e in inside):
            continue
        citation_count += 1
        numbers = parse_citation(match.group())
        valid = [n for n in numbers if n in texts]
        invalid = [n for n in numbers if n not in texts]
        cited.extend(n for n in valid if n not in cited)
        if invalid:
            problems.append(f"renvoi inexistant retiré : {_cites(invalid)}")
            start = match.start()
            if not valid:
                while start > 0 and sentence[start - 1] in " \t\u00a0\u202f":
                    start -= 1
            edits.append(
                (start, match.end(), "[" + ", ".join(map(str, valid)) + "]" if valid else "")
            )
    for quote in quotes:
        if not _quote_fragments(quote.content) or fold(quote.content) == ELISION:
            continue
        holders = locate_quote(quote.content, texts)
        if any(n in cited for n in holders):
            if not quote.closed:
                problems.append("guillemets non fermés")
            continue
        shown = _short(quote.content)
        if holders:
            where = _cites(cited) if cited else "aucun passage cité"
            problems.append(
                f"citation absente du passage cité ({where}), trouvée dans {_cites(holders)} :"
                f" « {shown} » (retirée)"
            )
        else:
            problems.append(f"citation introuvable dans les passages : « {shown} » (retirée)")
        edits.append((quote.start, quote.end, ELIDED_QUOTE))
    if not cited and (quotes or citation_count or not _is_heading(sentence)):
        problems.append("aucun renvoi à un passage")
    quoted = [q for q in quotes if _quote_fragments(q.content) and fold(q.content) != ELISION]
    if not quoted and (cited or citation_count or not _is_heading(sentence)):
        problems.append("aucune citation")
    if cited:
        problems += _consistency(sentence, quoted, inside, cited, texts)
    cleaned = sentence
    for start, end, new in sorted(edits, reverse=True):
        cleaned = cleaned[:start] + new + cleaned[end:]
    checked = SynthesisSentence(
        text=cleaned.strip(),
        citations=tuple(cited),
        verified=not problems,
        problems=tuple(problems),
    )
    return checked, cleaned


def _consistency(
    sentence: str,
    quotes: list[_Quote],
    spans: list[tuple[int, int]],
    cited: list[int],
    texts: dict[int, str],
) -> list[str]:
    """Facts of the sentence's own words absent from the cited passages, and quotes whose
    clause says the opposite of the passage clause they come from."""
    outside = list(sentence)
    for start, end in spans:
        outside[start:end] = " " * (end - start)
    problems = missing_facts("".join(outside), [texts[n] for n in cited])
    for quote in quotes:
        claim = claim_clause(sentence, (quote.start, quote.end), spans)
        sources = [(n, region) for n in cited for region in quote_regions(quote.content, texts[n])]
        if sources and all(disagrees(claim, texts[n], *region) for n, region in sources):
            problem = f"négation contraire au passage [{sources[0][0]}]"
            if problem not in problems:
                problems.append(problem)
    return problems


def check_synthesis(text: str, passages: Sequence[Passage], model: str = "") -> Synthesis:
    """Apply every check to the model's final text; return the cleaned, checked synthesis
    (a no-answer reply is returned as such, unchecked and not verified)."""
    if is_no_answer(text):
        return Synthesis(
            text=text.strip(), sentences=(), verified=False, model=model, no_answer=True
        )
    texts = {p.rank: fold(p.text) for p in passages}
    sentences: list[SynthesisSentence] = []
    pieces: list[str] = []
    cursor = 0
    for start, end in split_sentences(text):
        checked, cleaned = check_sentence(text[start:end], texts)
        pieces.append(text[cursor:start])
        pieces.append(cleaned)
        cursor = end
        sentences.append(checked)
    pieces.append(text[cursor:])
    cleaned_text = "".join(pieces).strip()
    verified = bool(sentences) and all(s.verified for s in sentences)
    return Synthesis(text=cleaned_text, sentences=tuple(sentences), verified=verified, model=model)


def render_with_markers(synthesis: Synthesis, marker: str = "⚠") -> str:
    """The synthesis as plain text with `marker` and the problems after each unverified
    sentence, e.g. "… clients. ⚠ (aucun renvoi à un passage)"."""
    text = synthesis.text
    out: list[str] = []
    cursor = 0
    for sentence in synthesis.sentences:
        at = text.find(sentence.text, cursor)
        if at < 0:
            continue
        end = at + len(sentence.text)
        out.append(text[cursor:end])
        if not sentence.verified:
            out.append(f" {marker} ({' ; '.join(sentence.problems)})")
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def status_label(synthesis: Synthesis) -> str:
    """The badge: "vérifiée" only when every sentence passed every check."""
    if synthesis.no_answer:
        return "sans réponse"
    return "vérifiée" if synthesis.verified else "non vérifiée"


def flagged_sentences(synthesis: Synthesis) -> list[str]:
    """Each unverified sentence with its reasons, e.g. "« Le tribunal a alloué 50.000 euros … [1]. »
    — aucune citation ; montant absent des passages cités : 50.000 euros"."""
    return [
        f"« {fold(s.text)} » — {' ; '.join(s.problems)}"
        for s in synthesis.sentences
        if not s.verified
    ]
