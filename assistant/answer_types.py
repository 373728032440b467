"""The kind of fact a question asks for (an amount of money, a date) and which sentences of a
chunk state one: the sentence that answers "how much?" names a sum, the one that answers
"when?" a date."""

from __future__ import annotations

import re
from functools import lru_cache

from store.sentences import sentence_spans

_MONTHS = (
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre"
    r"|d[ée]cembre"
)
_AMOUNT_QUESTION = re.compile(
    r"\b(combien|montants?|quelle somme|sommes? (?:de|r[ée]clam|allou|accord)|chiffr\w*|tarif"
    r"|taux horaire|prix|co[uû]ts?|how much|what amount|amounts?|sums?|costs?|price)\b",
    re.IGNORECASE,
)
_DATE_QUESTION = re.compile(
    r"\b(quand|quelles? dates?|quel jour|depuis quand|jusqu.(?:à )?quand|p[ée]riodes?|dates?"
    r"|when|what day|which day|what date|which date)\b",
    re.IGNORECASE,
)
AMOUNT = re.compile(r"\d[\d. ]*(?:,\d+)?\s*(?:(?:euros?|EUR|francs?)\b|€)", re.IGNORECASE)
DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:er)?\s+(?:{_MONTHS})\s+\d{{4}}|(?:{_MONTHS})\s+\d{{4}}"
    r"|\d{1,2}[./]\d{1,2}[./]\d{2,4})\b",
    re.IGNORECASE,
)
_KINDS = {"amount": AMOUNT, "date": DATE}


def expected_answer(question: str) -> str | None:
    """'amount' when the question asks how much, 'date' when it asks when, else None."""
    if _AMOUNT_QUESTION.search(question):
        return "amount"
    if _DATE_QUESTION.search(question):
        return "date"
    return None


@lru_cache(maxsize=8192)
def sentences_stating(text: str, kind: str) -> tuple[bool, ...]:
    """For each sentence of `text` (`store.sentences.sentence_spans`), whether it states a fact
    of `kind` ('amount' or 'date')."""
    pattern = _KINDS[kind]
    return tuple(bool(pattern.search(text[s.start : s.end])) for s in sentence_spans(text))
