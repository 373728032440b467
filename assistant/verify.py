"""The one check every quote passes before it is shown: it is the stored judgment text itself."""

from __future__ import annotations

import logging

from assistant.records import Passage
from store.errors import VerificationError

log = logging.getLogger(__name__)


def verify_quote(judgment_text: str, quote: str, start: int, end: int) -> bool:
    """True when `quote` is exactly `judgment_text[start:end]` (and not empty)."""
    in_bounds = 0 <= start < end <= len(judgment_text)
    return bool(quote) and in_bounds and judgment_text[start:end] == quote


def check_passage(passage: Passage, judgment_text: str) -> None:
    """Raise VerificationError unless the passage and each highlight are exact slices."""
    if not verify_quote(judgment_text, passage.text, passage.char_start, passage.char_end):
        raise VerificationError(
            f"passage {passage.judgment.id}[{passage.char_start}:{passage.char_end}] "
            "is not the stored judgment text"
        )
    for h in passage.highlights:
        absolute = passage.char_start + h.start
        if not verify_quote(judgment_text, h.text, absolute, passage.char_start + h.end):
            raise VerificationError(
                f"highlight {h.text[:40]!r} of passage {passage.judgment.id} is not at its offsets"
            )


def keep_verified(
    passages: list[Passage], texts: dict[str, str], *, strict: bool = False
) -> list[Passage]:
    """Passages that pass `check_passage`. A failure is a bug: raised when `strict` (tests),
    logged and dropped otherwise."""
    kept: list[Passage] = []
    for passage in passages:
        try:
            check_passage(passage, texts[passage.judgment.id])
        except VerificationError:
            if strict:
                raise
            log.error("dropped unverifiable passage", exc_info=True)
            continue
        kept.append(passage)
    return kept
