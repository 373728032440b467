"""Evaluation metrics for the development question set (DESIGN.md, "eval").

Pure functions: no store, no model. A question file holds one JSON object a line,
`{"id", "question", "gold": [exact substrings], ...}`; `"gold": []` marks a question the corpus
cannot answer. A passage answers a question when, after `fold`, it contains one gold string.
Retrieval metrics (hit@k, MRR@10) are computed over the answerable questions from the ranked
passages, whether or not the assistant declined; abstention is scored separately.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HIT_KS = (1, 3, 5)
MRR_K = 10

_WHITESPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Fold for matching: ’ to ', drop '*', collapse whitespace runs to one space, strip."""
    text = text.replace("\u2019", "'").replace("*", "")
    return _WHITESPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class EvalQuestion:
    """One line of a question file; `extras` keeps the other keys (lang, style, source...)."""

    id: str
    question: str
    gold: tuple[str, ...]
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def answerable(self) -> bool:
        return bool(self.gold)


@dataclass(frozen=True)
class EvalResult:
    """What the assistant returned for one question: ranked passage texts and the decline flag."""

    question: EvalQuestion
    passage_texts: list[str]
    declined: bool


@dataclass(frozen=True)
class EvalReport:
    """Scores of one run. Rates are None when their denominator is zero."""

    n_questions: int
    n_answerable: int
    n_unanswerable: int
    hit_at: dict[int, float | None]  # k -> share of answerable questions hit within k
    mrr_at_10: float | None
    n_declined: int
    declined_unanswerable: int
    wrongly_declined_answerable: int

    @property
    def abstention_recall(self) -> float | None:
        """Declined unanswerable questions / unanswerable questions."""
        return _ratio(self.declined_unanswerable, self.n_unanswerable)

    @property
    def abstention_precision(self) -> float | None:
        """Declined unanswerable questions / all declined questions."""
        return _ratio(self.declined_unanswerable, self.n_declined)


@dataclass(frozen=True)
class Miss:
    """An answerable question not hit within k; `rank` is its first hit beyond k, if any."""

    id: str
    question: str
    rank: int | None


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def load_questions(path: Path | str) -> list[EvalQuestion]:
    """Read a JSONL question file. Blank lines are skipped; a malformed line, an empty gold
    string or a repeated id raises ValueError naming the file and line."""
    path = Path(path)
    questions: list[EvalQuestion] = []
    seen: set[str] = set()
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}: not JSON ({exc.msg})") from exc
        question = _question_from_json(obj, where)
        if question.id in seen:
            raise ValueError(f"{where}: duplicate id {question.id!r}")
        seen.add(question.id)
        questions.append(question)
    return questions


def _question_from_json(obj: object, where: str) -> EvalQuestion:
    if not isinstance(obj, dict):
        raise ValueError(f"{where}: expected a JSON object")
    qid, text, gold = obj.get("id"), obj.get("question"), obj.get("gold")
    if not isinstance(qid, str) or not qid.strip():
        raise ValueError(f"{where}: 'id' must be a non-empty string")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{where}: 'question' must be a non-empty string")
    if not isinstance(gold, list) or not all(isinstance(g, str) for g in gold):
        raise ValueError(f"{where}: 'gold' must be a list of strings")
    if any(not fold(g) for g in gold):
        raise ValueError(f"{where}: empty gold string")
    extras = {k: v for k, v in obj.items() if k not in ("id", "question", "gold")}
    return EvalQuestion(id=qid, question=text, gold=tuple(gold), extras=extras)


def passage_answers(passage_text: str, gold: Sequence[str]) -> bool:
    """True when the folded passage contains one folded gold string."""
    folded = fold(passage_text)
    return any(fold(g) in folded for g in gold if fold(g))


def first_hit_rank(
    passage_texts: Sequence[str], gold: Sequence[str], k: int | None = None
) -> int | None:
    """1-based rank of the first passage (among the first k, default all) that answers."""
    limit = len(passage_texts) if k is None else min(k, len(passage_texts))
    for i in range(limit):
        if passage_answers(passage_texts[i], gold):
            return i + 1
    return None


def score(results: Sequence[EvalResult]) -> EvalReport:
    """hit@1/3/5 and MRR@10 over the answerable questions; decline counts over all."""
    answerable = [r for r in results if r.question.answerable]
    unanswerable = [r for r in results if not r.question.answerable]
    ranks = [first_hit_rank(r.passage_texts, r.question.gold, MRR_K) for r in answerable]
    hit_at: dict[int, float | None] = {
        k: _ratio(sum(1 for rank in ranks if rank is not None and rank <= k), len(ranks))
        for k in HIT_KS
    }
    mrr = sum(1.0 / rank for rank in ranks if rank is not None) / len(ranks) if ranks else None
    return EvalReport(
        n_questions=len(results),
        n_answerable=len(answerable),
        n_unanswerable=len(unanswerable),
        hit_at=hit_at,
        mrr_at_10=mrr,
        n_declined=sum(1 for r in results if r.declined),
        declined_unanswerable=sum(1 for r in unanswerable if r.declined),
        wrongly_declined_answerable=sum(1 for r in answerable if r.declined),
    )


def misses(results: Sequence[EvalResult], k: int = 5) -> list[Miss]:
    """Answerable questions whose first answering passage is not within the first k."""
    out: list[Miss] = []
    for r in results:
        if not r.question.answerable:
            continue
        rank = first_hit_rank(r.passage_texts, r.question.gold)
        if rank is None or rank > k:
            out.append(Miss(id=r.question.id, question=r.question.question, rank=rank))
    return out


def result_from_ask_json(question: EvalQuestion, ask: Mapping[str, Any]) -> EvalResult:
    """Build a result from an `ask --json` object (or an eval dump line)."""
    passages = sorted(ask.get("passages", []), key=lambda p: p.get("rank", 0))
    return EvalResult(
        question=question,
        passage_texts=[str(p.get("text", "")) for p in passages],
        declined=bool(ask.get("answer", {}).get("no_answer", False)),
    )


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def format_report(report: EvalReport) -> str:
    """The lines `legal-assistant eval` prints, one `name value` pair a line."""
    lines = [
        f"questions {report.n_questions}",
        f"answerable {report.n_answerable}",
        f"unanswerable {report.n_unanswerable}",
    ]
    lines += [f"hit@{k} {_fmt(report.hit_at.get(k))}" for k in HIT_KS]
    lines += [
        f"MRR@{MRR_K} {_fmt(report.mrr_at_10)}",
        f"declined_unanswerable {report.declined_unanswerable}/{report.n_unanswerable}"
        f" {_fmt(report.abstention_recall)}",
        f"decline_precision {_fmt(report.abstention_precision)}"
        f" ({report.declined_unanswerable}/{report.n_declined})",
        f"wrongly_declined_answerable {report.wrongly_declined_answerable}/{report.n_answerable}",
    ]
    return "\n".join(lines)


def format_misses(found: Sequence[Miss]) -> str:
    """One line per miss: id, first rank (or '-'), question."""
    return "\n".join(
        f"{m.id}\t{m.rank if m.rank is not None else '-'}\t{m.question}" for m in found
    )
