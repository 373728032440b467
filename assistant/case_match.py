"""Which judgment a question names: "the Chambéry appeal", "the 25 February 2021 Cour de
cassation decision", "Uber": the question's rare terms found among the terms that name each case
(`Store.case_terms`: court, date, numbers, parties and counsel of its opening)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

from assistant.expand import question_terms

MIN_SPREAD = 0.3  # best minus worst candidate judgment: below it, the question names no case


def named_case_scores(
    question: str, case_terms: Mapping[str, frozenset[str]]
) -> dict[str, float]:
    """Per judgment, the IDF-weighted share (0 to 1) of the question's terms that name it; a
    term every case shares ("tribunal", "arrêt") weighs little. Empty for a question without
    terms or a store without judgments."""
    terms = set(question_terms(question))
    if not terms or not case_terms:
        return {}
    n = len(case_terms)
    df = Counter(t for card in case_terms.values() for t in card & terms)
    weights = {t: math.log(1 + n / (df.get(t, 0) + 0.5)) for t in terms}
    total = sum(weights.values())
    return {
        jid: sum(w for t, w in weights.items() if t in card) / total
        for jid, card in case_terms.items()
    }


def case_boosts(scores: Mapping[str, float], judgment_ids: set[str]) -> dict[str, float]:
    """The candidates' judgments scaled from 0 (the least named) to 1 (the most), or nothing
    when they are named about equally (a question on a point of law, not on a case)."""
    values = {j: scores.get(j, 0.0) for j in judgment_ids}
    if not values:
        return {}
    low, high = min(values.values()), max(values.values())
    if high - low < MIN_SPREAD:
        return {}
    return {j: (v - low) / (high - low) for j, v in values.items()}
