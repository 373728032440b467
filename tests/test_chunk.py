"""chunk_judgment: structure-following chunks that are always exact slices of the text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_fixtures import LUXEMBOURG, corpus_files, split_paragraph_pdf

from ingest.chunk import chunk_judgment
from ingest.parse import parse_judgment
from ingest.read import RawDocument, read_document
from store.records import Chunk, Judgment


def _check(judgment: Judgment, chunks: list[Chunk], max_chars: int) -> None:
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert chunk.text == judgment.text[chunk.char_start:chunk.char_end]
        assert chunk.id == f"{judgment.id}:{chunk.ordinal:04d}"
        assert 0 < len(chunk.text) <= max_chars + max_chars // 4  # a tiny piece joined
        assert chunk.text == chunk.text.strip()
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert before.char_end <= after.char_start
        assert not judgment.text[before.char_end:after.char_start].strip()  # nothing is lost


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_chunks_are_exact_slices(path: Path) -> None:
    judgment = parse_judgment(read_document(path))
    chunks = chunk_judgment(judgment)
    _check(judgment, chunks, 1000)
    assert chunks[0].char_start == 0 and chunks[-1].char_end == len(judgment.text)


_WORD = st.text(alphabet="abcdeéèàçXYZ’'.,;:()", min_size=1, max_size=14)
_SENTENCE = st.lists(_WORD, min_size=1, max_size=40).map(" ".join)
_PARAGRAPH = st.one_of(
    st.lists(_SENTENCE, min_size=1, max_size=8).map(". ".join),
    st.sampled_from(["MOTIFS DE LA DÉCISION", "PAR CES MOTIFS", "Quant au fond",
                     "a) Quant aux pannes", "FAITS CONSTANTS", "1. Le moyen."]),
)


@settings(max_examples=60, deadline=None)
@given(paragraphs=st.lists(_PARAGRAPH, min_size=1, max_size=12),
       breaks=st.lists(st.sampled_from(["\n\n", "\n\n\n", "\f", "\n \n", "\n"]), min_size=12,
                       max_size=12),
       max_chars=st.integers(min_value=60, max_value=1200))
def test_generated_texts_chunk_into_exact_slices(paragraphs: list[str], breaks: list[str],
                                                 max_chars: int) -> None:
    raw_text = "".join(p + b for p, b in zip(paragraphs, breaks, strict=False))
    if not raw_text.strip():
        return
    judgment = parse_judgment(RawDocument(Path("gen.txt"), "txt", raw_text))
    _check(judgment, chunk_judgment(judgment, max_chars=max_chars), max_chars)


def test_chunks_never_cross_a_section_and_carry_their_section() -> None:
    judgment = parse_judgment(read_document(LUXEMBOURG))
    chunks = chunk_judgment(judgment)
    for chunk in chunks:
        holders = [s for s in judgment.sections
                   if s.char_start < chunk.char_end <= s.char_end]
        deepest = max(holders, key=lambda s: len(s.path))
        assert chunk.section_path == deepest.path and chunk.section_kind == deepest.kind
        if chunk.char_start < deepest.char_start:  # only the headings of enclosing sections
            lead = judgment.text[chunk.char_start:deepest.char_start].split("\n\n")
            titles = {s.title for s in judgment.sections if s.path == deepest.path[:len(s.path)]}
            assert {t for t in lead if t} <= titles
    kinds = {c.section_kind for c in chunks}
    assert {"header", "facts", "procedure", "claims", "reasons", "operative"} <= kinds


def test_a_short_operative_part_joins_the_reasons_it_rules_on() -> None:
    reasons = ("Considérant que l'opération notifiée n'est pas de nature à porter atteinte à la "
               "concurrence sur les marchés concernés.")
    text = (f"Décision n° 26-DCC-49 du 10 février 2026\n\nConsidérant ce qui suit :\n\n{reasons}"
            "\n\nDÉCIDE\n\nArticle unique : L'opération notifiée est autorisée.")
    judgment = parse_judgment(RawDocument(path=Path("adlc.txt"), format="txt", text=text))
    assert [s.kind for s in judgment.sections if s.path] == ["reasons", "operative"]
    chunks = chunk_judgment(judgment)
    ruling = next(c for c in chunks if "est autorisée" in c.text)
    assert reasons in ruling.text and ruling.section_kind == "reasons"  # cited where it starts
    _check(judgment, chunks, 1000)
    # a long operative part keeps its own chunks
    long_ruling = text + "\n\n" + "Article 2 : La présente décision sera publiée. " * 8
    judgment = parse_judgment(RawDocument(path=Path("adlc.txt"), format="txt", text=long_ruling))
    ruling = next(c for c in chunk_judgment(judgment) if "est autorisée" in c.text)
    assert reasons not in ruling.text and ruling.section_kind == "operative"


def test_a_piece_too_short_to_stand_alone_joins_a_neighbour_in_its_own_section() -> None:
    maintenance = "Attendu que la société a manqué à son obligation de maintenance du serveur. "
    attack = "Le prestataire soutient que la coupure résulte d'une attaque imprévisible. "
    ruling = "le tribunal condamne la société au paiement de 2.000 euros. " * 6
    text = (f"Tribunal d'arrondissement de Luxembourg\n\nMOTIFS DE LA DÉCISION\n\n"
            f"{('Il convient d’examiner la demande. ' * 8).strip()}\n\n"
            f"{(maintenance * 13).strip()}\n\nLa demande est recevable.\n\n"
            f"{(attack * 13).strip()}\n\nLe moyen n'est donc pas fondé.\n\n"
            f"PAR CES MOTIFS\n\n{ruling.strip()}")
    judgment = parse_judgment(RawDocument(Path("t.txt"), "txt", text))
    chunks = chunk_judgment(judgment)
    _check(judgment, chunks, 1000)
    reasons = [c for c in chunks if c.section_kind == "reasons"]
    assert all(len(c.text) >= 200 for c in reasons)
    admissible = next(c for c in reasons if "La demande est recevable." in c.text)
    assert "attaque imprévisible" in admissible.text  # with the paragraph after it
    last = next(c for c in reasons if "Le moyen n'est donc pas fondé." in c.text)
    assert last.text.endswith("Le moyen n'est donc pas fondé.") and len(last.text) > 1000
    (operative,) = [c for c in chunks if "PAR CES MOTIFS" in c.text]
    assert operative.section_kind == "operative" and "moyen" not in operative.text


def test_headings_go_with_the_following_paragraph() -> None:
    judgment = parse_judgment(read_document(LUXEMBOURG))
    chunks = chunk_judgment(judgment)
    for section in judgment.sections:
        if not section.path:
            continue
        holder = next(c for c in chunks if c.char_start <= section.heading_start < c.char_end)
        assert holder.char_end > section.heading_end  # never a heading alone
    pannes = next(c for c in chunks if "\n\na) Quant aux pannes" in "\n\n" + c.text)
    assert pannes.section_path[-1].startswith("a) Quant aux pannes")


def test_paragraphs_are_merged_up_to_the_limit_and_long_ones_cut_at_sentences() -> None:
    judgment = parse_judgment(read_document(LUXEMBOURG))
    small = chunk_judgment(judgment, max_chars=500)
    large = chunk_judgment(judgment, max_chars=1000)
    assert len(large) < len(small)
    assert any(c.paragraph_start != c.paragraph_end for c in large)  # merged paragraphs
    paragraph_ends = {p.char_end for p in judgment.paragraphs}
    cut = [c for c in small if c.char_end not in paragraph_ends]  # ends inside a paragraph
    assert cut
    assert sum(c.text.endswith((".", "»", ";")) for c in cut) >= 0.85 * len(cut)


def test_long_paragraph_without_punctuation_is_cut_at_whitespace() -> None:
    text = "MOTIFS\n\n" + " ".join(["mot"] * 400)
    judgment = parse_judgment(RawDocument(Path("x.txt"), "txt", text))
    chunks = chunk_judgment(judgment, max_chars=100)
    assert chunks[0].text.startswith("MOTIFS\n\nmot mot")  # the heading leads the first piece
    assert all(c.text.split()[-1] == "mot" and c.text.split()[0] in ("mot", "MOTIFS")
               for c in chunks)


def test_pdf_chunks_know_their_pages(tmp_path: Path) -> None:
    judgment = parse_judgment(read_document(split_paragraph_pdf(tmp_path)))
    chunks = chunk_judgment(judgment, max_chars=400)
    assert chunks[0].page_start == 1 and chunks[-1].page_end == 2
    assert any(c.page_start == 1 and c.page_end == 2 for c in chunks)


def test_header_chunks_hold_the_header_and_not_the_procedural_history() -> None:
    # Chambéry has no heading between the composition of the court and MOTIFS: the
    # narrative ("Par acte ...", "Par jugement ...", the parties' conclusions) is not header.
    path = next(p for p in corpus_files() if "chambery" in p.name)
    judgment = parse_judgment(read_document(path, 10**8))
    chunks = chunk_judgment(judgment)
    header = [c for c in chunks if c.section_kind == "header"]
    assert any("COMPOSITION DE LA COUR" in c.text for c in header)
    assert not any(re.search(r"^Par (?:acte|jugement|ordonnance|arrêt)", c.text, re.MULTILINE)
                   for c in header)
    kinds = [c.section_kind for c in chunks]
    assert kinds.index("procedure") < kinds.index("claims") < kinds.index("reasons")
    narrative = next(c for c in chunks if "Par jugement en date du 3 juin" in c.text)
    assert narrative.section_kind == "procedure" and narrative.section_path == ()
