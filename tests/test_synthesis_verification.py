"""What « vérifiée » certifies (issue #11), through the real langchain-openai and
langchain-ollama clients against a local stand-in serving adversarial syntheses: a sentence is
verified only when it carries a verbatim quote of a passage it cites and what it states agrees
with the passages it cites (amounts, dates, article numbers, party names, polarity). Only the
faithful answer is verified; every other one is flagged with its exact reason. A reply that the
passages do not answer is a no-answer, neither verified nor flagged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TAL_META
from langchain_core.language_models import BaseChatModel
from llm_standin import StandIn

from assistant.llm import make_chat_model, synthesize
from assistant.page_render import synthesis_html
from assistant.records import Answer, Passage
from assistant.settings import LLMSettings
from assistant.synthesis_check import check_synthesis, flagged_sentences, render_with_markers

SAMPLE = Path(__file__).parent.parent / "data" / "sample" / "TAL_2025-01-24_2025TALCH11-00011.txt"
QUESTION = "Le prestataire peut-il invoquer une cyberattaque pour s'exonérer de sa responsabilité ?"
PROVIDERS = ["openai", "ollama"]


def paragraph(text: str, opening: str, rank: int) -> Passage:
    start = text.index(opening)
    end = text.index("\n", start)
    return Passage(
        rank=rank,
        score=1.0 / rank,
        text=text[start:end],
        judgment=TAL_META,
        char_start=start,
        char_end=end,
        citation=f"Trib. arr. Luxembourg, XIe ch., 24 janvier 2025, n° 2025TALCH11/00011 [{rank}]",
    )


@pytest.fixture(scope="module")
def passages() -> list[Passage]:
    """What retrieval returns for the question, from the sample judgment: [1] the attacks are
    not proven to be an outside cause (the opposite of force majeure), [2] liability is
    incurred, [3] 2.000 euros each for moral damage, [4] 500 euros each for the harm to image."""
    text = SAMPLE.read_text(encoding="utf-8")
    return [
        paragraph(text, "SOCIETE3.) ne conteste d'ailleurs pas les pannes", 1),
        paragraph(text, "Le Tribunal retient sur base des considérations qui précèdent", 2),
        paragraph(text, "Eu égard aux circonstances de l'espèce, il y a lieu d'allouer", 3),
        paragraph(text, "À défaut d'éléments probants versés par les parties demanderesses", 4),
    ]


@pytest.fixture(scope="module")
def server() -> Iterator[StandIn]:
    standin = StandIn().start()
    yield standin
    standin.stop()


def model_for(server: StandIn, provider: str, completion: str) -> BaseChatModel:
    server.mode, server.completion, server.responder = "ok", completion, None
    url = server.openai_url if provider == "openai" else server.ollama_url
    chat = make_chat_model(LLMSettings(spec=f"{provider}:stand-in", base_url=url, timeout_s=10))
    assert chat is not None
    return chat


# Faithful: every sentence quotes the passage it cites, negations included, and adds only
# facts found there. It must stay verified.
FAITHFUL = (
    "Le tribunal relève que SOCIETE3.) « se limite à faire plaider que les incidents seraient "
    "liés à des pannes dues à des attaques sur les systèmes de messageries, sans fournir le "
    "moindre élément objectif probant » [1]. "
    "Le prestataire n'a donc pas établi que les blocages « étaient dus à des causes étrangères "
    "imprévisibles et irrésistibles dans son chef » [1]. "
    "Il « ne conteste d'ailleurs pas les pannes invoquées par PERSONNE1.) et SOCIETE2.) » [1]. "
    "Sa responsabilité est donc « par principe encourue » pour les pannes survenues entre le "
    "3 décembre 2020 et le 8 décembre 2020 [2]. "
    "Le tribunal alloue à chacune 2.000 euros « à titre de dommages et intérêts pour préjudice "
    "moral » [3]."
)

# (case, synthesis, the exact reasons of its one sentence)
ADVERSARIAL = [
    (
        "issue: force majeure, no quote",
        "Le prestataire n'est pas responsable : la cyberattaque constitue un cas de force "
        "majeure qui l'exonère [1].",
        ("aucune citation",),
    ),
    (
        "issue: invented amount, no quote",
        "Le tribunal a alloué 50.000 euros de dommages et intérêts à chacune des parties "
        "demanderesses [1].",
        ("aucune citation", "montant absent des passages cités : 50.000 euros"),
    ),
    (
        "force majeure with a quote cut after its negation",
        "Le prestataire n'est pas responsable : la cyberattaque constitue un cas de force "
        "majeure, les blocages « étaient dus à des causes étrangères imprévisibles et "
        "irrésistibles dans son chef » [1].",
        ("négation contraire au passage [1]",),
    ),
    (
        "negation flip",
        "La responsabilité d'SOCIETE3.) n'est pas « par principe encourue » pour les pannes "
        "survenues entre le 3 décembre 2020 et le 8 décembre 2020 [2].",
        ("négation contraire au passage [2]",),
    ),
    (
        "claim denied before a colon, quote affirms",
        "Le prestataire n'est pas responsable : « la responsabilité d'SOCIETE3.) est donc par "
        "principe encourue » [2].",
        ("négation contraire au passage [2]",),
    ),
    (
        "swapped amount",
        "Le tribunal évalue l'atteinte à l'image à 2.000 euros « au profit de chacune des "
        "parties demanderesses » [4].",
        ("montant absent des passages cités : 2.000 euros",),
    ),
    (
        "invented date",
        "Les pannes du 8 janvier 2021 engagent la responsabilité d'SOCIETE3.), qui est « par "
        "principe encourue » [2].",
        ("date absente des passages cités : 8 janvier 2021",),
    ),
    (
        "invented article",
        "En application de l'article 1382 du Code civil, la responsabilité est « par principe "
        "encourue » [2].",
        ("article absent des passages cités : article 1382",),
    ),
    (
        "invented party",
        "SOCIETE9.) « ne conteste d'ailleurs pas les pannes invoquées par PERSONNE1.) » [1].",
        ("partie absente des passages cités : SOCIETE9.)",),
    ),
    (
        "quote from an uncited passage",
        "Le tribunal retient que « la responsabilité d'SOCIETE3.) est donc par principe "
        "encourue » [1].",
        (
            "citation absente du passage cité ([1]), trouvée dans [2] : « la responsabilité "
            "d'SOCIETE3.) est donc par principe encourue » (retirée)",
        ),
    ),
]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_faithful_answer_is_verified(
    server: StandIn, passages: list[Passage], provider: str
) -> None:
    synthesis = synthesize(QUESTION, passages, model_for(server, provider, FAITHFUL))
    assert [s.problems for s in synthesis.sentences] == [()] * 5
    assert synthesis.verified and not synthesis.no_answer
    assert synthesis.text == FAITHFUL and render_with_markers(synthesis) == FAITHFUL
    assert flagged_sentences(synthesis) == []
    assert "Synthèse (vérifiée)" in synthesis_html(synthesis)


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize(
    ("completion", "reasons"),
    [pytest.param(c, r, id=case) for case, c, r in ADVERSARIAL],
)
def test_an_adversarial_synthesis_is_not_verified_and_says_why(
    server: StandIn,
    passages: list[Passage],
    provider: str,
    completion: str,
    reasons: tuple[str, ...],
) -> None:
    synthesis = synthesize(QUESTION, passages, model_for(server, provider, completion))
    (sentence,) = synthesis.sentences
    assert sentence.problems == reasons
    assert not sentence.verified and not synthesis.verified
    page = synthesis_html(synthesis)
    assert "Synthèse (NON vérifiée — à contrôler)" in page and 'data-status="unverified"' in page
    (flag,) = flagged_sentences(synthesis)
    assert flag.endswith(" — " + " ; ".join(reasons))


@pytest.mark.parametrize("provider", PROVIDERS)
def test_one_bad_sentence_withholds_the_badge_from_a_faithful_answer(
    server: StandIn, passages: list[Passage], provider: str
) -> None:
    invented = ADVERSARIAL[1][1]
    synthesis = synthesize(
        QUESTION, passages, model_for(server, provider, f"{FAITHFUL} {invented}")
    )
    assert [s.verified for s in synthesis.sentences] == [True] * 5 + [False]
    assert not synthesis.verified
    answer = Answer(QUESTION, "lead", tuple(passages), no_answer=False, synthesis=synthesis)
    data = answer.to_json()["answer"]
    assert data["verified"] is False and data["synthesis_no_answer"] is False
    assert [s["problems"] for s in data["synthesis_sentences"]][-1] == [
        "aucune citation",
        "montant absent des passages cités : 50.000 euros",
    ]


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize(
    "reply",
    [
        "Les passages fournis ne permettent pas de répondre à la question.",
        "The passages do not answer the question.",
        "Les passages fournis ne permettent pas de répondre à la question : ils portent sur "
        "la responsabilité contractuelle du prestataire.",
    ],
)
def test_a_reply_that_the_passages_do_not_answer_is_a_no_answer(
    server: StandIn, passages: list[Passage], provider: str, reply: str
) -> None:
    synthesis = synthesize(QUESTION, passages, model_for(server, provider, reply))
    assert synthesis.no_answer and not synthesis.verified
    assert synthesis.sentences == () and flagged_sentences(synthesis) == []
    assert synthesis.text == reply
    page = synthesis_html(synthesis)
    assert "Synthèse : Les passages ne permettent pas de répondre." in page
    assert "⚠" not in page and "vérifiée" not in page
    answer = Answer(QUESTION, "lead", tuple(passages), no_answer=False, synthesis=synthesis)
    data = answer.to_json()["answer"]
    assert (data["synthesis_no_answer"], data["verified"]) == (True, False)


def test_a_reply_that_quotes_is_checked_even_if_it_starts_like_a_no_answer(
    passages: list[Passage],
) -> None:
    text = (
        "Les passages ne permettent pas de répondre entièrement à la question. Le tribunal "
        "relève que SOCIETE3.) « ne conteste d'ailleurs pas les pannes » [1]."
    )
    synthesis = check_synthesis(text, passages)
    assert not synthesis.no_answer and not synthesis.verified
    assert [s.problems for s in synthesis.sentences] == [
        ("aucun renvoi à un passage", "aucune citation"),
        (),
    ]


def test_the_terminal_shows_each_unverified_sentence_and_a_no_answer(
    passages: list[Passage],
) -> None:
    from assistant.cli import render_text

    invented = ADVERSARIAL[1][1]
    flagged = Answer(
        QUESTION,
        "lead",
        tuple(passages),
        no_answer=False,
        synthesis=check_synthesis(f"{FAITHFUL} {invented}", passages),
    )
    shown = render_text(flagged, width=400)
    assert "Synthèse (NON vérifiée) :" in shown
    assert (
        f"⚠ « {invented} » — aucune citation ; montant absent des passages cités : 50.000 euros"
    ) in shown.splitlines()
    silent = Answer(
        QUESTION,
        "lead",
        tuple(passages),
        no_answer=False,
        synthesis=check_synthesis("The passages do not answer the question.", passages),
    )
    shown = render_text(silent)
    assert "Synthèse : Les passages ne permettent pas de répondre." in shown
    assert "vérifiée" not in shown and "⚠" not in shown
