"""Features of retrieval candidates, computed in one pass for the learned ranker
(assistant/ranker.py): how near the chunk is to the question (dense similarity, BM25), the best
sentence window (coverage of the question's terms and of its rarest terms, dense similarity),
the court's voice against the parties' reported speech, how well the chunk's judgment matches as
a whole, and a few question cues crossed with what the chunk holds (a question asking how much
against a window stating a sum, a question on who sat against the header). Fusion ranks, the
section kind and the place in the judgment were features too; they did not pay
(docs/benchmarks.md, "One learned ranking")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer_types import expected_answer, sentences_stating
from assistant.case_match import case_boosts
from assistant.expand import Expansion
from assistant.fusion import FusedChunk
from assistant.signals import (
    WINDOW,
    asks_for_claims,
    asks_for_decision,
    asks_for_header_fact,
    asks_for_identification,
    candidate_idf,
    concept_coverage,
    court_voice,
    is_header_chunk,
    scaled,
    sentence_terms,
    sentence_voices,
    sentence_window_similarity,
    term_weights,
    window_scores,
)

RARE_TERMS = 3  # the question's rarest terms (IDF over the candidates), sought together

# Feature names by group; a group is what an ablation removes (bench/train_ranker.py).
GROUPS: dict[str, tuple[str, ...]] = {
    "dense": ("dense", "dense_norm"),
    "lexical": ("bm25_norm", "in_bm25"),
    "window": ("window_coverage", "concept_coverage", "rare_coverage", "window_sim",
               "aligned_window"),
    "judgment": ("judgment_dense", "judgment_coverage", "judgment_share"),
    "voice": ("voice_window", "voice_chunk"),
    "case_match": ("named_case",),
    "answer_type": ("amount_stated", "date_stated"),
    "claims_cue": ("claims_x_claims", "claims_x_facts", "claims_x_voice"),
    "decision_cue": ("decision_x_decision",),
    "header_cue": ("header_q_x_header", "header_q_x_judgment"),
    "identification_cue": ("identification_x_header",),
}
FEATURES: tuple[str, ...] = tuple(name for names in GROUPS.values() for name in names)


@dataclass(frozen=True)
class Cues:
    """What the question asks for, read from its wording."""

    answer: str | None  # 'amount', 'date' or None (assistant/answer_types.py)
    claims: bool  # what a party claimed or argued
    decision: bool  # what the court decided
    header_fact: bool  # who sat, who represented whom, a procedural date
    identification: bool  # the case's references (docket number, composition)


def question_cues(question: str) -> Cues:
    return Cues(
        answer=expected_answer(question),
        claims=asks_for_claims(question),
        decision=asks_for_decision(question),
        header_fact=asks_for_header_fact(question),
        identification=asks_for_identification(question),
    )


def feature_matrix(
    expansion: Expansion, fused: Sequence[FusedChunk],
    case_scores: Mapping[str, float] | None = None,
) -> np.ndarray:
    """One row per candidate, one column per name in FEATURES. Also sets each candidate's
    `window` (its best window's coverage of the question's own terms, thesaurus alternatives
    counted), which the no-answer decision reads."""
    n = len(fused)
    out = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if not n:
        return out
    col = {name: i for i, name in enumerate(FEATURES)}
    sentences = [sentence_terms(f.chunk.text) for f in fused]
    idf = candidate_idf(sentences)
    weights = term_weights(expansion, idf)
    rare = {t: idf(t) for t in sorted(expansion.terms, key=lambda t: -idf(t))[:RARE_TERMS]}
    dense = [f.dense_score for f in fused if f.dense_score is not None]
    d_low, d_high = (min(dense), max(dense)) if dense else (0.0, 1.0)
    l_high = max((f.lexical_score or 0.0 for f in fused), default=0.0) or 1.0
    best_window = [
        f.sentence_score if f.sentence_score is not None else f.dense_score for f in fused
    ]
    known = [s for s in best_window if s is not None]
    s_low, s_high = (min(known), max(known)) if known else (0.0, 1.0)
    cues = question_cues(expansion.question)
    named = case_boosts(case_scores or {}, {f.chunk.judgment_id for f in fused})
    rows: list[dict[str, float]] = []
    for f, sents, sim in zip(fused, sentences, best_window, strict=True):
        windows = window_scores(weights, sents, WINDOW)
        coverage = max(windows)
        f.window = concept_coverage(expansion, sents, idf)
        per_sentence = sentence_window_similarity(f)
        if per_sentence is not None:
            aligned = max(
                score + scaled(max(per_sentence[i : i + WINDOW], default=s_low), s_low, s_high)
                for i, score in enumerate(windows)
            )
        else:
            aligned = coverage + (scaled(sim, s_low, s_high) if sim is not None else 0.0)
        voices = sentence_voices(f.chunk.text)
        window_voice = max(
            (max(voices[i : i + WINDOW], default=0.0)
             for i, score in enumerate(windows) if score == coverage),
            default=0.0,
        )
        kind = f.chunk.section_kind
        header = is_header_chunk(f.chunk)
        row = {
            "dense": f.dense_score if f.dense_score is not None else d_low,
            "dense_norm": scaled(f.dense_score if f.dense_score is not None else d_low,
                                  d_low, d_high),
            "bm25_norm": (f.lexical_score or 0.0) / l_high,
            "in_bm25": float(f.lexical_rank is not None),
            "window_coverage": coverage,
            "concept_coverage": f.window,
            "rare_coverage": max(window_scores(rare, sents, WINDOW)),
            "window_sim": scaled(sim, s_low, s_high) if sim is not None else 0.0,
            "aligned_window": aligned,
            "voice_window": window_voice,
            "voice_chunk": court_voice(f.chunk.text),
            "named_case": named.get(f.chunk.judgment_id, 0.0),
        }
        if cues.answer:
            states = sentences_stating(f.chunk.text, cues.answer)
            stated = max(
                (score for i, score in enumerate(windows) if any(states[i : i + WINDOW])),
                default=0.0,
            )
            row["amount_stated" if cues.answer == "amount" else "date_stated"] = stated
        if cues.claims:
            row["claims_x_claims"] = float(kind == "claims")
            row["claims_x_facts"] = float(kind == "facts")
            row["claims_x_voice"] = window_voice + row["voice_chunk"]
        if cues.decision:
            row["decision_x_decision"] = float(kind in ("reasons", "operative"))
        if cues.header_fact:
            row["header_q_x_header"] = float(header)
        if cues.identification:
            row["identification_x_header"] = float(header)
        rows.append(row)
    _judgment_aggregates(fused, rows, cues.header_fact)
    for i, row in enumerate(rows):
        for name, value in row.items():
            out[i, col[name]] = value
    return out


def _judgment_aggregates(
    fused: Sequence[FusedChunk], rows: list[dict[str, float]], header_question: bool
) -> None:
    """How well each candidate's judgment matches as a whole: its best body chunk's dense
    similarity and coverage, and its share of the candidates. A header chunk, which shares no
    words with a question on who sat, inherits its judgment's match."""
    best_dense: dict[str, float] = {}
    best_cover: dict[str, float] = {}
    count: Counter[str] = Counter(f.chunk.judgment_id for f in fused)
    for f, row in zip(fused, rows, strict=True):
        if is_header_chunk(f.chunk):
            continue
        jid = f.chunk.judgment_id
        best_dense[jid] = max(best_dense.get(jid, 0.0), row["dense_norm"])
        best_cover[jid] = max(best_cover.get(jid, 0.0), row["aligned_window"])
    top_cover = max(best_cover.values(), default=0.0) or 1.0
    for f, row in zip(fused, rows, strict=True):
        jid = f.chunk.judgment_id
        row["judgment_dense"] = best_dense.get(jid, 0.0)
        row["judgment_coverage"] = best_cover.get(jid, 0.0) / top_cover
        row["judgment_share"] = count[jid] / len(fused)
        if header_question and is_header_chunk(f.chunk):
            row["header_q_x_judgment"] = row["judgment_coverage"]
