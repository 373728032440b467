"""The page's HTML is built from escaped corpus text: what the judgment says is shown as
characters, never interpreted as HTML or Markdown, and our own marks sit on the right words."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from conftest import TAL_META

from assistant.page_render import (
    MARK_ID,
    card_html,
    copy_text,
    highlighted_html,
    judgment_viewer_html,
    lead_html,
    location_text,
    passage_html,
)
from assistant.records import Answer, Highlight, Passage
from store.records import Judgment, JudgmentMeta

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
LU_TEXT = (SAMPLE / "TAL_2025-01-24_2025TALCH11-00011.txt").read_text(encoding="utf-8")
META = TAL_META


class _TextOf(HTMLParser):
    """Collects the text a browser would show, and the text inside <mark> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.marked: list[str] = []
        self.tags: list[str] = []
        self._in_mark = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "mark":
            self._in_mark += 1
            self.marked.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_mark:
            self.marked[-1] += data


def _parse(markup: str) -> _TextOf:
    parser = _TextOf()
    parser.feed(markup)
    return parser


def _passage(
    text: str,
    highlights: tuple[Highlight, ...] = (),
    judgment: JudgmentMeta = META,
    **fields: object,
) -> Passage:
    return Passage(
        rank=1,
        score=1.0,
        text=text,
        judgment=judgment,
        char_start=0,
        char_end=len(text),
        highlights=highlights,
        citation="Trib. arr. Luxembourg, XIe ch., 24 janvier 2025",
        **fields,  # type: ignore[arg-type]
    )


def _hl(text: str, part: str) -> Highlight:
    start = text.index(part)
    return Highlight(text=part, start=start, end=start + len(part))


def test_script_tags_and_markdown_in_the_corpus_are_shown_as_characters() -> None:
    text = "Le site affichait <script>alert('x')</script> et **PERSONNE1.)** & <b>gras</b>."
    markup = passage_html(_passage(text))
    assert "<script>" not in markup and "<b>" not in markup
    parsed = _parse(markup)
    assert "".join(parsed.text) == text  # a browser shows exactly the corpus characters
    assert parsed.tags == []
    assert "**PERSONNE1.)**" in markup  # no Markdown is interpreted either


def test_highlights_wrap_exactly_their_span_of_escaped_text() -> None:
    text = LU_TEXT[LU_TEXT.index("Quant au dommage moral") :][:600]
    first = _hl(text, "Quant au dommage moral")
    second = _hl(text, "atteinte à l'honneur et à la dignité")
    parsed = _parse(passage_html(_passage(text, (second, first))))
    assert "".join(parsed.text) == text
    assert parsed.marked == [first.text, second.text]


def test_overlapping_highlights_are_merged_into_one_mark() -> None:
    text = "<i>a</i> bcdef ghij"
    markup = highlighted_html(text, (Highlight("bcd", 9, 12), Highlight("cdef", 10, 14)))
    assert _parse(markup).marked == ["bcdef"]
    assert markup.startswith("&lt;i&gt;")


def test_highlight_on_escaped_characters_keeps_them_literal() -> None:
    text = "x <script>y</script> z"
    markup = highlighted_html(text, (_hl(text, "<script>y</script>"),))
    assert _parse(markup).marked == ["<script>y</script>"]
    assert "<mark>&lt;script&gt;y&lt;/script&gt;</mark>" in markup


def test_card_shows_rank_quote_and_location_escaped() -> None:
    passage = _passage(
        "Le tribunal retient la responsabilité.",
        section_path=("MOTIFS DE LA DÉCISION", "a) <Quant> aux **pannes**"),
        paragraph_start=57,
        paragraph_end=58,
        page_start=4,
        page_end=4,
    )
    parsed = _parse(card_html(passage))
    shown = "".join(parsed.text)
    assert "[1]" in shown
    assert "Le tribunal retient la responsabilité." in shown
    assert "MOTIFS DE LA DÉCISION › a) <Quant> aux **pannes** · §§ 57–58 · p. 4" in shown
    assert "quant" not in parsed.tags


def test_location_text_omits_what_is_unknown() -> None:
    assert location_text(_passage("t")) == ""
    assert location_text(_passage("t", paragraph_start=3, paragraph_end=3)) == "§ 3"
    assert location_text(_passage("t", paragraph_start=0, paragraph_end=0)) == ""
    assert location_text(_passage("t", paragraph_start=0, paragraph_end=2)) == "§§ 1–2"


def test_lead_is_escaped_and_no_answer_is_styled_apart() -> None:
    answer = Answer(question="q", lead="Rien sur <script>.", passages=(), no_answer=True)
    markup = lead_html(answer)
    assert "la-noanswer" in markup and "&lt;script&gt;" in markup
    answered = Answer(question="q", lead="Voici.", passages=(), no_answer=False)
    assert "la-noanswer" not in lead_html(answered)


def test_viewer_shows_the_whole_judgment_with_the_passage_marked_and_scrolled_to() -> None:
    start = LU_TEXT.index("Quant au dommage moral")
    end = start + 300
    judgment = Judgment(meta=META, text=LU_TEXT)
    markup = judgment_viewer_html(judgment, start, end)
    body = markup.split('<div class="text">', 1)[1].split("</div>", 1)[0]
    parsed = _parse(body)
    assert "".join(parsed.text) == LU_TEXT  # the whole text, characters intact (** included)
    assert parsed.marked == [LU_TEXT[start:end]]
    assert f'<mark id="{MARK_ID}">' in markup
    assert re.search(rf"getElementById\('{MARK_ID}'\).*scrollIntoView", markup)


def test_viewer_escapes_script_in_the_judgment_text_and_metadata() -> None:
    text = "Avant <script>alert(1)</script> après."
    meta = JudgmentMeta(id="x", court="<img src=x onerror=alert(1)>")
    markup = judgment_viewer_html(Judgment(meta=meta, text=text), 0, 5)
    assert "<script>alert(1)" not in markup
    assert "<img" not in markup
    assert markup.count("<script>") == 1  # only our own scroll script


# values copied from ../shared/corpus-open/records/FR_CE-Fiscal_113e978fb0.json
CE_META = JudgmentMeta(
    id="ce-495133",
    court="Conseil d'État",
    chamber="3ème et 8ème chambres réunies",
    date="2026-04-03",
    decision_number="495133",
    country="FR",
    ecli="ECLI:FR:CECHR:2026:495133.20260403",
    url="https://www.conseil-etat.fr/fr/arianeweb/CE/decision/2026-04-03/495133",
    summary="Le sommaire <b>rédigé</b> par le centre de documentation.",
)
CE_TEXT = "Considérant que la <requête> doit être rejetée."


def test_card_shows_court_country_ecli_and_publication_link_but_never_the_summary() -> None:
    markup = card_html(_passage(CE_TEXT, judgment=CE_META))
    parsed = _parse(markup)
    shown = "".join(parsed.text)
    assert "Conseil d'État · France (FR) · ECLI:FR:CECHR:2026:495133.20260403" in shown
    assert f'href="{CE_META.url}"' in markup and "publication officielle" in shown
    assert CE_TEXT in shown
    assert "sommaire" not in shown.lower() and "rédigé" not in shown  # not a quote
    assert parsed.tags.count("a") == 1 and "b" not in parsed.tags


def test_a_publication_address_that_is_not_http_gives_no_link() -> None:
    hostile = replace(CE_META, url='javascript:alert(1)"><script>x</script>')
    markup = card_html(_passage(CE_TEXT, judgment=hostile))
    assert "<a " not in markup and "javascript" not in markup and "<script>" not in markup
    quoted = replace(CE_META, url='https://example.org/a"b<c>')
    assert 'href="https://example.org/a&quot;b&lt;c&gt;"' in card_html(
        _passage(CE_TEXT, judgment=quoted)
    )


def test_a_card_without_court_country_or_ecli_has_no_source_line() -> None:
    bare = JudgmentMeta(id="x", source_path="/c/x.txt")
    assert "la-source" not in card_html(_passage("t", judgment=bare))
    # the country comes from the ECLI when the record did not set it
    from_ecli = replace(CE_META, country="", url="")
    assert "France (FR)" in "".join(_parse(card_html(_passage("t", judgment=from_ecli))).text)


def test_the_copied_citation_ends_with_the_ecli_when_known() -> None:
    citation = "CE, 3e-8e ch. réunies, 3 avril 2026, n° 495133"
    passage = replace(_passage(CE_TEXT, judgment=CE_META), citation=citation)
    assert copy_text(passage) == f"{citation} — ECLI:FR:CECHR:2026:495133.20260403"
    assert copy_text(replace(passage, judgment=META)) == citation


def test_viewer_title_names_the_country_and_the_ecli() -> None:
    markup = judgment_viewer_html(Judgment(meta=CE_META, text=CE_TEXT), 0, 5)
    title = markup.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert "France (FR)" in title and CE_META.ecli in title
    assert "sommaire" not in markup.lower()  # the summary is shown apart, labelled
