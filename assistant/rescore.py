"""Re-scoring of fused candidates: sentence windows holding the question's terms, the best
sentence window's dense similarity, a window stating the amount or date a question asks for,
the court's voice against the parties' reported speech, question cues that favour a section
kind, and the case headers joined for a question on who sat or who represented whom."""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

from assistant.answer_types import expected_answer, sentences_stating
from assistant.case_match import case_boosts
from assistant.expand import Expansion
from assistant.fusion import FusedChunk
from assistant.settings import RetrievalSettings
from store.lexical import analyze
from store.records import Chunk
from store.sentences import sentence_spans, sentence_windows

WINDOW = 2  # sentences in the span scored against the question
HEADER_FACT_BIAS = 2.0
CASE_HEADER_JUDGMENTS = 2  # judgments whose header joins the candidates for a header question
CASE_PRIOR_WEIGHT = 1.0


def sentence_terms(text: str) -> list[set[str]]:
    """Analysed terms of each sentence of `text` (cached: chunks are searched again and again)."""
    return _sentence_terms_cached(text)


@lru_cache(maxsize=8192)
def _sentence_terms_cached(text: str) -> list[set[str]]:
    return [set(analyze(text[s.start : s.end])) for s in sentence_spans(text)]


@lru_cache(maxsize=8192)
def sentence_voices(text: str) -> list[float]:
    """`court_voice` of each sentence of `text`, the markers found in one pass over the whole
    text (a marker is a few words inside one sentence) and counted in the sentence it starts
    in."""
    spans = sentence_spans(text)
    starts = [s.start for s in spans]
    counts = {"court": [0] * len(spans), "reported": [0] * len(spans)}
    for name, pattern in (("court", _COURT), ("reported", _REPORTED)):
        for match in pattern.finditer(text):
            i = bisect_right(starts, match.start()) - 1
            if i >= 0 and match.end() <= spans[i].end:
                counts[name][i] += 1
    return [(c - r) / (c + r + 1) for c, r in zip(counts["court"], counts["reported"], strict=True)]


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


def best_window_score(
    weights: dict[str, float], sentences: Sequence[set[str]], window: int = 2
) -> float:
    """The largest share of the question's term weight found in `window` consecutive
    sentences (a short span that holds the question's rare terms beats a long chunk that
    scatters them)."""
    return max(window_scores(weights, sentences, window))


# Judgments report the parties' case in reported speech (conditional mood, "fait valoir",
# "soutient") and give the court's own view in the indicative ("le Tribunal retient", "il y a
# lieu", "partant", "déclare"). Nouns ending in -rait (extrait, retrait, portrait...) are not
# verbs.
_REPORTED = re.compile(
    r"\b(?:\w+(?<!ext)(?<!ret)(?<!port)(?<!abst)(?<!att)(?<!dist)raient"
    r"|\w+(?<!ext)(?<!ret)(?<!port)(?<!abst)(?<!att)(?<!dist)rait"
    r"|fai(?:t|sant) valoir|soutien(?:t|nent)|soul[èe]v\w*|reproch\w*|concl\w+ (?:au|à)"
    r"|contest\w*|expos\w+|fait état|invoqu\w*|estim(?:e|ent) que|r[ée]clam\w*|sollicit\w*)\b",
    re.IGNORECASE,
)
_COURT = re.compile(
    r"\b(?:le tribunal|la cour|il convient|il y a lieu|partant|d[èe]s lors|en l'esp[èe]ce"
    r"|il (?:est|n'est) (?:pas )?(?:établi|constant|admis|de principe)|il ressort"
    r"|il se dégage|reste en défaut|retient|est à (?:rejeter|abjurer|déclarer)|est fond[ée]e?"
    r"|n'est pas fond|déclare|condamne|dit (?:que|non|fond)|rejette|déboute|alloue"
    r"|n'établit)\b",
    re.IGNORECASE,
)


def court_voice(text: str) -> float:
    """From -1 (the parties' case, in reported speech) to 1 (the court's own reasoning):
    (court markers - reported-speech markers) / (both + 1)."""
    reported = len(_REPORTED.findall(text))
    court = len(_COURT.findall(text))
    return (court - reported) / (court + reported + 1)


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


def section_bias(question: str) -> dict[str, float]:
    """Section kinds to favour: the header for the case's references, what the parties
    claimed, or what the court decided."""
    if _IDENTIFICATION.search(question):
        return {"header": 3.0}  # the only place for them: outweighs the topic's passages
    if asks_for_header_fact(question):
        return {"header": HEADER_FACT_BIAS}
    if asks_for_claims(question):
        return {"claims": 1.0, "facts": 0.5}
    if _DECISION.search(question):
        return {"reasons": 1.0, "operative": 1.0}
    return {}


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


def rescore(
    expansion: Expansion, fused: list[FusedChunk], settings: RetrievalSettings,
    case_scores: Mapping[str, float] | None = None,
) -> list[FusedChunk]:
    """Order candidates by a weighted sum of normalised dense similarity, normalised BM25, the
    best sentence window by coverage of the question's terms (IDF over the candidates) plus its
    normalised dense similarity (from the stored window vectors), for a question asking how
    much or when the best coverage among windows stating an amount or a date and, unless the
    question asks what a party claimed, the court's voice in that window and chunk; when the
    question names one of the candidates' cases (`case_scores`, assistant/case_match.py), that
    case's chunks."""
    if not fused:
        return fused
    sentences = {f.chunk.id: sentence_terms(f.chunk.text) for f in fused}
    idf = candidate_idf(list(sentences.values()))
    weights = term_weights(expansion, idf)
    dense = [f.dense_score for f in fused if f.dense_score is not None]
    lexical = [f.lexical_score for f in fused if f.lexical_score is not None]
    d_low, d_high = (min(dense), max(dense)) if dense else (0.0, 1.0)
    l_high = max(lexical) if lexical else 1.0
    sentence = sentence_similarities(fused)
    s_low, s_high = (min(sentence.values()), max(sentence.values())) if sentence else (0.0, 1.0)
    answer_kind = expected_answer(expansion.question) if settings.answer_type_weight else None
    named = case_boosts(case_scores or {}, {f.chunk.judgment_id for f in fused})
    favoured = section_bias(expansion.question)
    claims = asks_for_claims(expansion.question)
    # a header question: header chunks inherit how well their judgment matched so far
    prior = case_prior(fused) if asks_for_header_fact(expansion.question) else {}
    for f in fused:
        nd = ((f.dense_score if f.dense_score is not None else d_low) - d_low) / max(
            d_high - d_low, 1e-9
        )
        nl = (f.lexical_score or 0.0) / max(l_high, 1e-9)
        windows = window_scores(weights, sentences[f.chunk.id], WINDOW)
        sw = max(windows)
        f.window = concept_coverage(expansion, sentences[f.chunk.id], idf)
        bias = settings.section_weight * favoured.get(f.chunk.section_kind, 0.0)
        if prior and is_header_chunk(f.chunk):
            bias += CASE_PRIOR_WEIGHT * prior.get(f.chunk.judgment_id, 0.0)
        f.score = settings.dense_weight * nd + settings.lexical_weight * nl + bias
        f.score += settings.case_weight * named.get(f.chunk.judgment_id, 0.0)
        per_sentence = sentence_window_similarity(f)
        if per_sentence is not None:
            # the window that holds the question's terms and means what it asks, together
            f.score += max(
                settings.window_weight * score + settings.sentence_weight * scaled(
                    max(per_sentence[i : i + WINDOW], default=s_low), s_low, s_high
                )
                for i, score in enumerate(windows)
            )
        else:
            f.score += settings.window_weight * sw
            if f.chunk.id in sentence:
                f.score += settings.sentence_weight * scaled(sentence[f.chunk.id], s_low, s_high)
        if answer_kind:
            states = sentences_stating(f.chunk.text, answer_kind)
            f.score += settings.answer_type_weight * max(
                (score for i, score in enumerate(windows) if any(states[i : i + WINDOW])),
                default=0.0,
            )
        if settings.voice_weight and not claims:
            voices = sentence_voices(f.chunk.text)
            window_voice = max(
                (max(voices[i : i + WINDOW], default=0.0)
                 for i, score in enumerate(windows) if score == sw),
                default=0.0,
            )
            f.score += settings.voice_weight * (window_voice + court_voice(f.chunk.text))
    return sorted(fused, key=lambda f: (-f.score, f.chunk.id))


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


def sentence_similarities(fused: Sequence[FusedChunk]) -> dict[str, float]:
    """Each candidate's best sentence-window similarity; a chunk stored without window vectors
    counts as one window (its dense similarity). Empty when no candidate has window vectors:
    the signal is then left out rather than copied from the dense one."""
    if all(f.sentence_score is None for f in fused):
        return {}
    found: dict[str, float] = {}
    for f in fused:
        score = f.sentence_score if f.sentence_score is not None else f.dense_score
        if score is not None:
            found[f.chunk.id] = score
    return found


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


def case_prior(fused: Sequence[FusedChunk]) -> dict[str, float]:
    """Each judgment's best score for a chunk of its body (what the question says about the
    case), scaled from 0 to 1; a judgment with no body chunk among `fused` gets 0."""
    best: dict[str, float] = {}
    for f in fused:
        if not is_header_chunk(f.chunk):
            best[f.chunk.judgment_id] = max(best.get(f.chunk.judgment_id, f.score), f.score)
    low = min(best.values(), default=0.0)
    high = max(best.values(), default=1.0)
    return {j: (v - low) / max(high - low, 1e-9) for j, v in best.items()}


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
