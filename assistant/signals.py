"""What the ranker's features (assistant/features.py) read in a candidate and a question: the
terms of each sentence and the sentence windows holding the question's terms, the best
window's dense similarity, the court's voice against the parties' reported speech, what the
question asks for (a party's claims, the court's decision, the case's header facts), and the
case headers joined for a question on who sat or who represented whom."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

from assistant.expand import Expansion
from assistant.fusion import FusedChunk
from store.lexical import analyze
from store.records import Chunk
from store.sentences import sentence_spans, sentence_windows

WINDOW = 2  # sentences in the span scored against the question
CASE_HEADER_JUDGMENTS = 2  # judgments whose header joins the candidates for a header question


def sentence_terms(text: str) -> list[set[str]]:
    """Analysed terms of each sentence of `text` (cached: chunks are searched again and again)."""
    return _sentence_terms_cached(text)


@lru_cache(maxsize=8192)
def _sentence_terms_cached(text: str) -> list[set[str]]:
    return [set(analyze(text[s.start : s.end])) for s in sentence_spans(text)]


def sentence_voices(text: str) -> list[float]:
    """`court_voice` of each sentence of `text`: a marker (a few words inside one sentence)
    counts in the sentence it starts in."""
    return [(c - r) / (c + r + 1) for c, r in _voice_markers(text)[1]]


def court_voice(text: str) -> float:
    """From -1 (the parties' case, in reported speech) to 1 (the court's own reasoning):
    (court markers - reported-speech markers) / (both + 1)."""
    court, reported = _voice_markers(text)[0]
    return (court - reported) / (court + reported + 1)


@lru_cache(maxsize=8192)
def _voice_markers(text: str) -> tuple[tuple[int, int], list[tuple[int, int]]]:
    """(court, reported) marker counts in all of `text`, then in each of its sentences, from
    one pass of each pattern (cached: chunks are searched again and again)."""
    spans = sentence_spans(text)
    starts = [s.start for s in spans]
    totals = {"court": 0, "reported": 0}
    counts = {"court": [0] * len(spans), "reported": [0] * len(spans)}
    for name, pattern in (("court", _COURT), ("reported", _REPORTED)):
        for match in pattern.finditer(text):
            totals[name] += 1
            i = bisect_right(starts, match.start()) - 1
            if i >= 0 and match.end() <= spans[i].end:
                counts[name][i] += 1
    per_sentence = list(zip(counts["court"], counts["reported"], strict=True))
    return (totals["court"], totals["reported"]), per_sentence


def window_scores(
    weights: dict[str, float], sentences: Sequence[set[str]], window: int
) -> list[float]:
    total = sum(weights.values())
    if not total or not sentences:
        return [0.0]
    scores = []
    for i in range(max(1, len(sentences) - window + 1)):
        terms = set().union(*sentences[i : i + window])
        scores.append(sum(w for t, w in weights.items() if t in terms) / total)
    return scores


# Judgments report the parties' case in reported speech (conditional mood, "fait valoir",
# "soutient") and give the court's own view in the indicative ("le Tribunal retient", "il y a
# lieu", "partant", "déclare"). Nouns ending in -rait (extrait, retrait, portrait...) are not
# verbs. The conditional is found at its ending inside a word (\B), not by trying every word
# from its start: the same words, one match each. Each pattern first checks that an alternative
# can start here (the lookahead lists their first letters): twice as fast.
_REPORTED = re.compile(
    r"(?=[cefirs])(?:\B(?<!ext)(?<!ret)(?<!port)(?<!abst)(?<!att)(?<!dist)rai(?:en)?t\b"
    r"|\b(?:fai(?:t|sant) valoir|soutien(?:t|nent)|soul[èe]v\w*|reproch\w*|concl\w+ (?:au|à)"
    r"|contest\w*|expos\w+|fait état|invoqu\w*|estim(?:e|ent) que|r[ée]clam\w*|sollicit\w*)\b)",
    re.IGNORECASE,
)
_COURT = re.compile(
    r"\b(?=[acdeilnpr])(?:le tribunal|la cour|il convient|il y a lieu|partant|d[èe]s lors"
    r"|en l['’]esp[èe]ce|il (?:est|n['’]est) (?:pas )?(?:établi|constant|admis|de principe)"
    r"|il ressort|il se dégage|reste en défaut|retient|est à (?:rejeter|abjurer|déclarer)"
    r"|est fond[ée]e?|n['’]est pas fond[ée]*s?|déclare|condamne|dit (?:que|non|fond)|rejette"
    r"|déboute|alloue|n['’]établit)\b",
    re.IGNORECASE,
)


_DECISION = re.compile(
    r"\b(accord|allou|condamn|d[ée]cid|jug[ée]|retenu|rejet|d[ée]bout|obtenu|rembours|refus|"
    r"tribunal|cour|juge|did the court|award|grant|dismiss|reject|held)", re.IGNORECASE
)
_CLAIM = re.compile(
    # "réclamait", "invoquait": what a party did; "peut-il ... en invoquant": a point of law.
    r"\b(r[ée]clam(?!er\b|ant\b)|demandai|invoqu(?!er\b|ant\b)|reproch(?!er\b|ant\b)|soutien|"
    # "the claim was dismissed" is about the decision: English "claim" counts as a verb only
    r"fait valoir|pr[ée]tend|claim(?:ed|ing)\b|(?<!the )(?<!its )(?<!their )(?<!a )claims?\b"
    r"|sought|argu|disai|expliquai|r[ée]pondai|contestai|affirmai|rel(?:y|ied) on|invok|alleg"
    r"|(?<!court )(?<!judge )(?<!tribunal )(?:say|said)\b"
    r"|selon (?:le|la|les|l.) (?:prestataire|client|demand|d[ée]fend|partie|soci[ée]t)"
    r"|contend|submitted that|maintained that)",
    re.IGNORECASE,
)


_IDENTIFICATION = re.compile(
    r"\b(num[ée]ro (?:de r[ôo]le|du jugement|de l'arr[êe]t|de pourvoi|rg)|n° de r[ôo]le|docket"
    r"|case number|composition|greffier|quelle juridiction|which court)",
    re.IGNORECASE,
)


# Facts that only the header states: who sat and who represented whom, the hearing, the
# deliberation, the closing order, the date the judgment was delivered.
_HEADER_FACT = re.compile(
    r"\b(pr[ée]sid(?:ait|é|ée|ent|ence|ant)\b|vice-pr[ée]sident|juges\b|quels? juges?\b"
    r"|magistrat|greffi|rapport oral|rapporteur|quels? avocats?|repr[ée]sent[ée]e?s? par"
    r"|repr[ée]sentai(?:t|ent)|comparant|d[ée]lib[ée]r(?!ément|atel)|ordonnance de cl[ôo]ture"
    r"|instruction .{0,30}cl(?:ose|[ôo]tur)|audiences?\b|(?:quel jour|quelle date|quand)\b.{0,60}"
    r"\b(?:prononc|rendu)|prononc[ée]e? (?:le|quel)|presid|judges\b|which judge|bench\b|clerk"
    r"|registrar|reporting judge|(?:which|what) (?:lawyer|counsel)|counsel (?:for|of)"
    r"|represented by|who represented|lawyer (?:for|of|acting|representing)|hearing"
    r"|deliberat(?!e\b|ely)|closing order|delivered)",
    re.IGNORECASE,
)


def asks_for_header_fact(question: str) -> bool:
    """Whether the question asks about the composition, the counsel or a procedural date."""
    return bool(_HEADER_FACT.search(question))


def asks_for_claims(question: str) -> bool:
    """Whether the question asks what a party claimed or argued (not what the court held)."""
    return bool(_CLAIM.search(question))


def asks_for_decision(question: str) -> bool:
    """Whether the question asks what the court decided (and not what a party claimed)."""
    return not asks_for_claims(question) and bool(_DECISION.search(question))


def asks_for_identification(question: str) -> bool:
    """Whether the question asks for the case's references (docket number, composition)."""
    return bool(_IDENTIFICATION.search(question))


def candidate_idf(sentences: Sequence[Sequence[set[str]]]) -> Callable[[str], float]:
    """IDF of a term over the candidates (each given as its sentences' term sets)."""
    n = len(sentences)
    df: Counter[str] = Counter()
    for sents in sentences:
        df.update(set().union(*sents) if sents else set())

    def idf(t: str) -> float:
        return math.log(1 + (n + 1) / (df.get(t, 0) + 0.5))

    return idf


def term_weights(expansion: Expansion, idf: Callable[[str], float]) -> dict[str, float]:
    """The question's own terms at their IDF, thesaurus additions at half of it."""
    weights = {t: idf(t) for t in expansion.terms}
    weights.update({t: 0.5 * idf(t) for t in expansion.added if t not in weights})
    return weights


def scaled(value: float, low: float, high: float) -> float:
    """`value` placed between `low` (0) and `high` (1), clamped; 1 when they coincide."""
    if high - low < 1e-9:
        return 1.0 if value >= high else 0.0
    return min(1.0, max(0.0, (value - low) / (high - low)))


@lru_cache(maxsize=8192)
def _window_layout(text: str) -> tuple[int, tuple[tuple[int, ...], ...]]:
    """The number of sentence windows of `text` and, for each sentence, the windows holding it."""
    windows = sentence_windows(text)
    owners = tuple(
        tuple(j for j, w in enumerate(windows) if w.start <= s.start and s.end <= w.end)
        for s in sentence_spans(text)
    )
    return len(windows), owners


def sentence_window_similarity(f: FusedChunk) -> list[float] | None:
    """Per sentence of the chunk, the dense similarity of the best stored window holding it;
    None when the chunk has no window vectors or they do not match its windows."""
    count, owners = _window_layout(f.chunk.text)
    sims = f.window_similarities
    if not sims or len(sims) != count or not owners:
        return None
    return [max((sims[j] for j in held_by), default=min(sims)) for held_by in owners]


def is_header_chunk(chunk: Chunk) -> bool:
    """The header, or the unsectioned opening of a judgment (excerpts without headings)."""
    return chunk.section_kind == "header" or (
        chunk.section_kind == "other" and not chunk.section_path and chunk.ordinal < 3
    )


def with_case_headers(
    fused: list[FusedChunk], chunks_of: Callable[[str], list[Chunk]],
    cases: int = CASE_HEADER_JUDGMENTS,
) -> list[FusedChunk]:
    """`fused` plus the header chunks of the `cases` judgments ranked first: a question on
    who sat or which lawyer names its case by the facts ("the lawyer's e-mail outages"), which
    the body holds, while the answer is in a header that shares none of those words."""
    judgments = list(
        dict.fromkeys(f.chunk.judgment_id for f in fused if not is_header_chunk(f.chunk))
    )[:cases]
    present = {f.chunk.id for f in fused}
    added = [
        FusedChunk(c, 0.0) for jid in judgments for c in chunks_of(jid)
        if is_header_chunk(c) and c.id not in present
    ]
    return fused + added


def concept_coverage(
    expansion: Expansion, sentences: Sequence[set[str]], idf: Callable[[str], float],
    window: int = 2,
) -> float:
    """IDF-weighted share of the question's own terms found in the best `window` consecutive
    sentences; a term also counts as found when a thesaurus alternative is there (an English
    "invoice" is found as "facture")."""
    weights = {t: idf(t) for t in expansion.terms}
    total = sum(weights.values())
    if not total or not sentences:
        return 0.0
    best = 0.0
    for i in range(max(1, len(sentences) - window + 1)):
        terms = set().union(*sentences[i : i + window])
        found = sum(
            w for t, w in weights.items()
            if t in terms or expansion.alternatives.get(t, frozenset()) & terms
        )
        best = max(best, found)
    return best / total
