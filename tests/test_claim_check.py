"""The consistency checks behind « vérifiée » (issue #11), as pure functions: facts stated by a
synthesis sentence must be in the passages it cites, normalised so that a faithful rewording
passes; negation is read so that a faithful answer is not flagged."""

from __future__ import annotations

import pytest

from assistant.claim_check import missing_facts, number_values
from assistant.polarity import claim_clause, disagrees, negation_offsets

SOURCE = (
    "Il y a lieu d'allouer à PERSONNE1.) et SOCIETE2.) chacune le montant de 50.000 euros, soit "
    "1.500.000 euros au total, et 2.740,73 euros de frais, avec les intérêts au taux de 5 % à "
    "partir du 4 décembre 2020, sur base de l'article 1382 du Code civil et de l'article 240 du "
    "Nouveau Code de procédure civile ; l'article L. 442-6 du code de commerce est écarté. "
    "Madame le juge Claudia HOFFMANN, la société Alpha Services et Me Martin étaient présents "
    "le 1er juin 2021."
)


@pytest.mark.parametrize(
    "claim",
    [
        "Le tribunal alloue 50.000 euros.",
        "Le tribunal alloue 50 000 €.",
        "Le tribunal alloue EUR 50000,00.",
        "The court awarded EUR 50,000.",
        "Le tribunal alloue 1,5 million d'euros au total.",
        "Les frais sont de 2 740,73 €, au taux de 5 %.",
        "Les intérêts courent du 04/12/2020.",
        "Les intérêts courent du 2020-12-04, soit depuis décembre 2020, en 2020.",
        "Interest runs from December 4, 2020.",
        "L'audience du 1er juin 2021.",
        "Selon l'art. 240 du NCPC et l'article 1382 du Code civil.",
        "L'article L442-6 est écarté, comme l'article 442-6.",
        "Le Tribunal, comme la Cour de cassation, applique le Code civil à SOCIETE2.).",
        "Microsoft et Internet ne sont pas des parties ; PAR CES MOTIFS, la TVA non plus.",
        "Mme HOFFMANN, Me Martin et la société Alpha Services étaient là.",
        "Le tribunal condamne SOCIETE2.) envers PERSONNE1.) (XIe chambre).",
    ],
)
def test_facts_found_in_the_cited_passages_pass(claim: str) -> None:
    assert missing_facts(claim, [SOURCE]) == []


@pytest.mark.parametrize(
    ("claim", "problems"),
    [
        ("Le tribunal alloue 5.000 euros.", ["montant absent des passages cités : 5.000 euros"]),
        ("Le tribunal alloue 500,- euros.", ["montant absent des passages cités : 500,- euros"]),
        ("Au taux de 7 %.", ["pourcentage absent des passages cités : 7 %"]),
        ("Depuis le 5 décembre 2020.", ["date absente des passages cités : 5 décembre 2020"]),
        ("Depuis le 05/12/2020.", ["date absente des passages cités : 05/12/2020"]),
        ("Depuis janvier 2021.", ["date absente des passages cités : janvier 2021"]),
        ("Depuis 2019.", ["date absente des passages cités : 2019"]),
        (
            "Selon les articles 1382 et 1383 du Code civil.",
            ["article absent des passages cités : article 1383"],
        ),
        ("Selon l'art. 1147 du Code civil.", ["article absent des passages cités : article 1147"]),
        ("SOCIETE3.) doit payer.", ["partie absente des passages cités : SOCIETE3.)"]),
        ("Le juge DUPONT statue.", ["partie absente des passages cités : DUPONT"]),
        ("Me Durand plaide.", ["partie absente des passages cités : Durand"]),
        ("La société Beta Conseil paie.", ["partie absente des passages cités : Beta Conseil"]),
    ],
)
def test_facts_absent_from_the_cited_passages_are_named(claim: str, problems: list[str]) -> None:
    assert missing_facts(claim, [SOURCE]) == problems


def test_amounts_are_compared_as_numbers() -> None:
    assert number_values("50.000") == number_values("50 000") == number_values("50000") == {"50000"}
    assert number_values("500,00") == number_values("500") == {"500"}
    assert number_values("2.740,73") == number_values("2,740.73") == {"2740.73"}
    assert number_values("1,5", "million") == number_values("1.500.000") == {"1500000"}


def test_citations_are_not_numbers_to_check() -> None:
    assert missing_facts("La demande est fondée [2][17] [3-4].", [SOURCE]) == []


@pytest.mark.parametrize(
    ("text", "negations"),
    [
        ("Elle n'établit ainsi pas que les blocages étaient dus", ["n'établit"]),
        ("Elle n’établit ainsi pas que", ["n’établit"]),
        ("elle ne saurait justifier la suspension", ["ne"]),
        ("il n'a commis aucune faute", ["n'a"]),
        ("À aucun moment, SOCIETE3.) a fait valoir", ["aucun"]),
        ("sans fournir le moindre élément objectif probant", ["sans"]),
        ("le tribunal déboute PERSONNE1.) et rejette la demande", ["déboute", "rejette"]),
        ("la demande est déclarée non fondée", ["non"]),
        ("The claim was dismissed: the provider is not liable", ["dismissed", "not"]),
        ("SOCIETE3.) ne conteste d'ailleurs pas les pannes", []),  # an admission
        ("le fait n'est pas contesté", []),
        ("Ce n'est que des jours après qu'SOCIETE3.) a réagi", []),  # restrictive "ne … que"
        ("l'exécution provisoire, sans caution, sans préjudice de", []),
        ("Jugement civil no 2025TALCH11/00011, factures nos NUMERO3.)", []),
        ("la responsabilité d'SOCIETE3.) est donc par principe encourue", []),
    ],
)
def test_negations_are_read_as_a_lawyer_reads_them(text: str, negations: list[str]) -> None:
    assert [text[o:].split()[0].rstrip(":,") for o in negation_offsets(text)] == negations


PASSAGE = (
    "Cependant, il s'agit d'une obligation de moyens renforcée puisque c'est au prestataire de "
    "démontrer qu'il n'a commis aucune faute. Elle n'établit ainsi pas que les blocages étaient "
    "dus à des causes étrangères. La responsabilité est donc par principe encourue."
)


def _disagrees(sentence: str) -> bool:
    """Whether the sentence's one quote, found in PASSAGE, gets a polarity flag."""
    start, end = sentence.index("«"), sentence.index("»") + 1
    quote = sentence[start + 1 : end - 1].strip()
    at = PASSAGE.index(quote)
    claim = claim_clause(sentence, (start, end), [(start, end)])
    return disagrees(claim, PASSAGE, at, at + len(quote))


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        # faithful: no negation on either side, or one that a later clause of the source holds
        ("Le tribunal retient une « obligation de moyens renforcée » [1].", False),
        ("Il « n'établit ainsi pas que les blocages » [1].", False),
        ("Il n'a pas prouvé que les blocages « étaient dus à des causes étrangères » [1].", False),
        ("La responsabilité est « par principe encourue » [1].", False),
        ("Non prouvé : il « n'établit ainsi pas » [1].", False),
        # the quote was cut after the negation of its source
        ("Les blocages « étaient dus à des causes étrangères » [1].", True),
        # the sentence denies what the source clause affirms
        ("La responsabilité n'est pas « par principe encourue » [1].", True),
        (
            "Il n'est pas responsable : « La responsabilité est donc par principe encourue » [1].",
            True,
        ),
        ("The court dismissed the claim: « par principe encourue » [1].", True),
    ],
)
def test_polarity_is_compared_clause_by_clause(sentence: str, flagged: bool) -> None:
    assert _disagrees(sentence) is flagged
