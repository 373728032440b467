"""Records the assistant returns: Hit (from store) -> Passage -> Answer.

Both the extractive path and the LLM path return the same `Answer`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from store.records import JudgmentMeta

if TYPE_CHECKING:
    from assistant.amounts import AmountRow


@dataclass(frozen=True)
class Highlight:
    """An exact substring of a passage: `passage.text[start:end] == text`."""

    text: str
    start: int  # offset inside the passage text
    end: int


@dataclass(frozen=True)
class Passage:
    """A retrieved, merged and verified span of one judgment, ready to quote.

    `text == judgment text[char_start:char_end]` is checked before a passage is returned.
    """

    rank: int
    score: float
    text: str
    judgment: JudgmentMeta
    char_start: int
    char_end: int
    section_path: tuple[str, ...] = ()
    section_kind: str = "other"
    paragraph_start: int | None = None
    paragraph_end: int | None = None
    page_start: int | None = None
    page_end: int | None = None
    paragraph_label_start: str = ""  # the court's lettered labels (« B.5.2 »), if any
    paragraph_label_end: str = ""
    highlights: tuple[Highlight, ...] = ()
    citation: str = ""
    chunk_ids: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The passage object of `ask --json` (DESIGN.md)."""
        j = self.judgment
        return {
            "rank": self.rank,
            "score": self.score,
            "text": self.text,
            "highlights": [h.text for h in self.highlights],
            "judgment": {
                "id": j.id,
                "court": j.court,
                "chamber": j.chamber,
                "date": j.date,
                "decision_number": j.decision_number,
                "docket_number": j.docket_number,
                "title": j.title,
                "source_path": j.source_path,
                "country": j.country,
                "ecli": j.ecli,
                "url": j.url,
            },
            "section_path": " › ".join(self.section_path),
            "section_kind": self.section_kind,
            "paragraph_start": self.paragraph_start,
            "paragraph_end": self.paragraph_end,
            "paragraph_label_start": self.paragraph_label_start,
            "paragraph_label_end": self.paragraph_label_end,
            "page_start": self.page_start,
            "page_end": self.page_end,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "citation": self.citation,
        }


@dataclass(frozen=True)
class SynthesisSentence:
    """One sentence of an LLM synthesis after checking."""

    text: str
    citations: tuple[int, ...]  # passage ranks cited as [n]
    verified: bool
    problems: tuple[str, ...] = ()  # e.g. "aucune citation", "négation contraire au passage [1]"


@dataclass(frozen=True)
class Synthesis:
    """A checked LLM answer: `verified` only when every sentence passed every check."""

    text: str
    sentences: tuple[SynthesisSentence, ...]
    verified: bool
    model: str = ""
    notice: str = ""  # one line shown to the user, e.g. a fallback reason
    no_answer: bool = False  # the model said the passages do not answer: not verified, not flagged


@dataclass(frozen=True)
class Answer:
    question: str
    lead: str
    passages: tuple[Passage, ...]
    no_answer: bool
    synthesis: Synthesis | None = None
    notice: str = ""  # e.g. "LLM unavailable: extractive answer shown"
    standalone_question: str = ""  # the question as searched (follow-ups rewritten)
    extra: dict[str, Any] = field(default_factory=dict)
    # For a question on sums: the damages-table rows of the judgments quoted, each with its
    # own verbatim span (assistant/amounts.py).
    amounts: tuple[AmountRow, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The object printed by `ask --json` (DESIGN.md). With a synthesis, two more keys:
        `synthesis_no_answer` (the model said the passages do not answer; `verified` is then
        false) and `synthesis_sentences` (each sentence with its citations, whether it is
        verified and the reasons when it is not)."""
        answer: dict[str, Any] = {
            "lead": self.lead,
            "no_answer": self.no_answer,
            "synthesis": self.synthesis.text if self.synthesis else None,
            "verified": self.synthesis.verified if self.synthesis else None,
        }
        if self.synthesis is not None:
            answer["synthesis_no_answer"] = self.synthesis.no_answer
            answer["synthesis_sentences"] = [
                {
                    "text": s.text,
                    "citations": list(s.citations),
                    "verified": s.verified,
                    "problems": list(s.problems),
                }
                for s in self.synthesis.sentences
            ]
        found: dict[str, Any] = {
            "question": self.question,
            "answer": answer,
            "passages": [p.to_json() for p in self.passages],
        }
        if self.amounts:  # a question on sums: the damages-table rows of the quoted judgments
            found["amounts"] = [row.to_dict() for row in self.amounts]
        return found
