"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from store.records import Chunk, Judgment, JudgmentMeta, SectionKind

# The sample Luxembourg judgment's metadata, as the parser extracts it (tests/test_parse.py).
TAL_META = JudgmentMeta(
    id="tal-2025talch11-00011",
    court="Tribunal d'arrondissement de Luxembourg",
    chamber="XIe chambre",
    date="2025-01-24",
    decision_number="2025TALCH11/00011",
    docket_number="TAL-2021-06580",
)

# -- store: small judgments built in code --------------------------------------------------------

JudgmentFactory = Callable[..., tuple[Judgment, list[Chunk]]]


def build_judgment(
    judgment_id: str,
    paragraphs: Sequence[str],
    *,
    court: str = "Trib. arr. Luxembourg",
    chamber: str = "",
    date: str = "",
    kinds: Sequence[SectionKind] | None = None,
    source_path: str = "",
    content_hash: str = "",
) -> tuple[Judgment, list[Chunk]]:
    """A judgment whose text is `paragraphs` joined by blank lines, one chunk per paragraph
    (chunk text is the exact slice of the judgment text)."""
    text = "\n\n".join(paragraphs)
    chunks: list[Chunk] = []
    start = 0
    for ordinal, paragraph in enumerate(paragraphs):
        end = start + len(paragraph)
        kind: SectionKind = kinds[ordinal] if kinds else "reasons"
        chunks.append(
            Chunk(
                id=f"{judgment_id}:{ordinal:04d}",
                judgment_id=judgment_id,
                ordinal=ordinal,
                text=text[start:end],
                char_start=start,
                char_end=end,
                section_path=("MOTIFS DE LA DÉCISION",) if kind == "reasons" else (),
                section_kind=kind,
                paragraph_start=ordinal + 1,
                paragraph_end=ordinal + 1,
            )
        )
        start = end + 2
    meta = JudgmentMeta(
        id=judgment_id,
        court=court,
        chamber=chamber,
        date=date,
        source_path=source_path or f"/corpus/{judgment_id}.txt",
        content_hash=content_hash or f"hash-of-{judgment_id}",
    )
    return Judgment(meta=meta, text=text), chunks


@pytest.fixture
def make_judgment() -> JudgmentFactory:
    """`make_judgment(id, paragraphs, court=, chamber=, date=, kinds=)` -> (judgment, chunks)."""
    return build_judgment
