"""Records that cross module boundaries: Judgment -> Chunk -> Hit.

`ingest/` builds Judgment and Chunk records, `store/` keeps them and returns Hit records,
`assistant/` turns hits into passages and answers. Every offset points into `Judgment.text`,
the canonical text, so a quote can always be located and checked.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SectionKind = Literal[
    "header", "facts", "procedure", "claims", "reasons", "operative", "opinion", "other"]
SECTION_KINDS: tuple[SectionKind, ...] = (
    "header",
    "facts",
    "procedure",
    "claims",
    "reasons",
    "operative",
    "opinion",  # the public prosecutor's opinion published with the ruling
    "other",
)


@dataclass(frozen=True)
class Section:
    """A heading of the judgment and the span of text it governs.

    `path` lists the headings from the top-level section down to this one, e.g.
    ("MOTIFS DE LA DÉCISION", "Quant au fond", "a) Quant aux pannes ...").
    `heading_start`/`heading_end` locate the heading line itself; `char_start`/`char_end` the
    whole span (heading included) up to the next heading of the same or higher level.
    """

    path: tuple[str, ...]
    kind: SectionKind
    char_start: int
    char_end: int
    heading_start: int
    heading_end: int

    @property
    def title(self) -> str:
        return self.path[-1] if self.path else ""


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of canonical text: `number` counts from 1 in reading order unless the
    judgment numbers its own paragraphs; `page` is the source page where it starts (1-based)
    when the source has pages; `label` is the court's lettered label (« B.5.2 ») of the
    paragraph it opens or falls under, when the judgment numbers that way (else "")."""

    number: int
    char_start: int
    char_end: int
    page: int | None = None
    page_end: int | None = None
    label: str = ""


@dataclass(frozen=True)
class JudgmentMeta:
    """What identifies and cites a judgment, without its text."""

    id: str
    court: str = ""
    chamber: str = ""
    date: str = ""  # ISO YYYY-MM-DD, "" when unknown
    decision_number: str = ""
    docket_number: str = ""
    matter: str = ""
    title: str = ""
    source_path: str = ""
    content_hash: str = ""
    country: str = ""  # ISO 3166 alpha-2 of the court ("FR", "BE", "LU"...), "" when unknown
    ecli: str = ""  # European Case Law Identifier, when published or found in the text
    url: str = ""  # where the decision is published, from an open-data record
    summary: str = ""  # sommaire / titrage / abstract: shown labelled, never quoted as the court's

    @property
    def date_int(self) -> int:
        """The date as YYYYMMDD (0 when unknown), for range filters in Chroma."""
        return int(self.date.replace("-", "")) if self.date else 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Judgment:
    """A parsed judgment: metadata, canonical text and its structure."""

    meta: JudgmentMeta
    text: str
    sections: tuple[Section, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    warnings: tuple[str, ...] = ()  # e.g. "date not found", "not recognised as a judgment"

    @property
    def id(self) -> str:
        return self.meta.id

    def to_dict(self) -> dict[str, Any]:
        return {
            "meta": self.meta.to_dict(),
            "text": self.text,
            "sections": [asdict(s) for s in self.sections],
            "paragraphs": [asdict(p) for p in self.paragraphs],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Judgment:
        return cls(
            meta=JudgmentMeta(**data["meta"]),
            text=data["text"],
            sections=tuple(
                Section(**{**s, "path": tuple(s["path"])}) for s in data.get("sections", [])
            ),
            paragraphs=tuple(Paragraph(**p) for p in data.get("paragraphs", [])),
            warnings=tuple(data.get("warnings", [])),
        )


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of one judgment: `text == judgment.text[char_start:char_end]`."""

    id: str  # f"{judgment_id}:{ordinal:04d}"
    judgment_id: str
    ordinal: int
    text: str
    char_start: int
    char_end: int
    section_path: tuple[str, ...] = ()
    section_kind: SectionKind = "other"
    paragraph_start: int | None = None
    paragraph_end: int | None = None
    page_start: int | None = None
    page_end: int | None = None
    # the court's lettered labels (« B.5.2 ») of its first and last paragraphs, when every
    # paragraph of it has one (else "")
    paragraph_label_start: str = ""
    paragraph_label_end: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["section_path"] = list(self.section_path)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        return cls(**{**data, "section_path": tuple(data.get("section_path", ()))})


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions applied to both dense and lexical search. Empty means no restriction."""

    courts: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    chambers: tuple[str, ...] = ()
    section_kinds: tuple[SectionKind, ...] = ()
    date_from: str = ""  # ISO, inclusive
    date_to: str = ""  # ISO, inclusive
    judgment_ids: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return self == SearchFilters()


@dataclass(frozen=True)
class Hit:
    """A chunk found by one retriever, with its rank (1-based) and raw score."""

    chunk: Chunk
    score: float
    rank: int
    source: Literal["dense", "lexical"]


@dataclass(frozen=True)
class StoreStats:
    judgments: int
    chunks: int
    courts: tuple[str, ...]
    chambers: tuple[str, ...]
    date_min: str
    date_max: str
    model: str
    location: str
    generation: int = 0
    countries: tuple[str, ...] = ()
    # (court, country, number of judgments), one per court name and country, sorted
    court_counts: tuple[tuple[str, str, int], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
