"""The damages table: sums claimed, granted and rejected in a judgment, each backed by a
verbatim span of the judgment text (labelling rules: eval/amounts_and_tags.md).

How a judgment is read, in four steps:
1. Clauses: the text is cut into sentences, `;`-clauses, list items and table rows, each in its
   section (claims, reasons, operative...), and a hard-wrapped operative part into its rulings
   (« condamne X …,\ndéboute X du surplus de sa demande, »). A list item or table row also reads the
   lead-in that introduces it ("le tribunal a :", "chiffrent leurs préjudices comme suit :"),
   what it pays and to whom (« Condamne X à payer à Y : - 12.345,67 € bruts … »).
2. Mentions: each sum written with a currency ("2.000 euros", "1 500,50 €", "EUR 3.000") that is
   the object of a payment (somme, montant, indemnité, payer, préjudice...) gets the voice of the
   nearest cue before it: the court grants (condamne, alloue, fixe, déclare fondée, ordonne le
   remboursement, « dit que X redoit », « est redevable envers », « liquide les dépens de X à
   1.430 € (indemnité de procédure) ») or rejects (déboute, rejette, non or mal fondée, « laisse
   d'être fondée », abjuger, ne saurait prospérer; a grant verb negated, « il n'y a pas lieu de
   condamner », rejects), or a party claims (demande, sollicite, réclame, requiert, voir
   condamner, se voir allouer, évalue son préjudice; a request in the infinitive, « Condamner B à
   lui payer … »; any cue in the parties' sections, in the conditional or in a party's words told
   in the reasons, « X soutient que Y doit être condamnée à … »); with no cue before it, or a
   claim's cue only, the ruling after it in its sentence ("770 euros est accordée", "la demande
   de X en paiement de 5.000 euros est à déclarer non fondée"). A cue used as a noun ("la
   condamnation de", "sur demande"), a bare past participle ("le plafond fixé à") and an
   undeclared "fondée" ("fondée sur") are no cues; "réduit ... de 8.000 euros à 4.000 euros"
   rejects the first sum and grants the second. Not mentions: sums without a cue (a price, an
   invoice told as a fact); a demand told as a fact (« Par courrier du …, X a réclamé … », « X
   avait réclamé » at an earlier stage, « X se voit réclamer »); sums of another decision,
   restated ("le tribunal a condamné", "d'avoir condamné") or reported (a cassation grievance,
   "fait grief à l'arrêt de", "pour condamner ..., l'arrêt retient", "casse et annule ... en ce
   qu'il", "par jugement du", "par une délibération du", "au lieu de", "... euros accordée par le
   tribunal"; not "confirme ... en ce qu'il", which this court decides); a sum a text or another
   body fixes ("l'arrêté qui fixe ce montant à", "(ci-après : le décret) fixe à"); court costs
   (dépens, droits de rôle, a fund's contribution, "les frais sont fixés à"). The head of damage
   is the one named right after the sum ("... euros à titre de préjudice moral"), else the most
   specific one named next to it, else in the clause.
3. Claims resolved: a total claimed under no specific head whose parts are claimed too gives way
   to them (and parts of one head to their total); a claim granted in full is the grant; a claim
   the court reduced (granted under the same head for less; a party's one claim of damages with
   no head, granted to it for less) or rejected by head ("déclare non fondée la demande ... d'un
   dommage matériel") or as a counterclaim is rejected -- a rejection without a sum counts when
   it rules on a claim or names a head (the damages claim covers the heads of loss, "toutes ses
   demandes" a party's claims, "la demande en paiement d'une indemnité de départ n'est pas
   fondée" the claims whose words name what they are for, "le préjudice matériel n'est pas
   établi" that head, and "cette demande n'est pas fondée", "il n'y a pas lieu d'y faire droit"
   the claim just told, or the one the paragraph is about, « Quant au préjudice matériel, … »,
   which "il y a lieu d'y faire droit" grants); other claims stay claimed (the decision does not
   rule on them). When the court condemns one party only, a claim that names no debtor and is not
   a counterclaim is taken to be against that party; "rejette la demande formée par X et la
   condamne" condemns X.
4. Rows: mentions of the same sum, head and outcome are one row per creditor (a sum said in the
   reasons and again in the operative part is one row, quoted from the operative part).

Every row's quote is checked in code: `judgment.text[char_start:char_end] == quote` and the
quote holds the amount as written, which parses back to `value`; a row that fails is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal, Protocol

from assistant.citations import format_citation
from store.records import Judgment, JudgmentMeta, Section

Outcome = Literal["claimed", "granted", "rejected"]
OUTCOMES: tuple[Outcome, ...] = ("claimed", "granted", "rejected")
# Heads of damage, most specific first: the order decides when a clause names several.
_HEAD_WORDS: tuple[tuple[str, str], ...] = (
    ("indemnite_procedure", r"art(?:icle|\.)\s*(?:240|700|238-1|618-1|475-1|1022|l\.\s*761-1)\b"
                            r"|10 juillet 1991|91-647"  # art. 37 of the French legal-aid law
                            # « indemnités de procédure », « indemnité\ndeprocédure » (words
                            # run together in open-data texts)
                            r"|indemnites?\s*de\s*procedure|indemnites? procedurales?"
                            r"|frais irrepetibles"
                            r"|frais (?:non compris dans les depens|de procedure)"),
    ("astreinte", r"astreinte"),
    ("penalite", r"clause penale|penalite|indemnite de (?:resiliation|rupture)"),
    ("perte_de_chance", r"perte (?:de|d'une) chance"),
    ("perte_exploitation", r"perte de clientele|manque a gagner|perte d'exploitation"
                           r"|perte de chiffre d'affaires"),
    ("image", r"\bimage\b|reputation|prejudice commercial"),
    ("moral", r"\bmora(?:l|ux)\b"),
    # not "le matériel informatique", "vente de matériel": the goods of the case
    ("materiel", r"(?:prejudices?|dommages?)\s+(?:materiels?|financiers?)|frais engages"
                 r"|^\|\s*(?:materiel|financier)"),
    ("remboursement", r"rembours|restitu"),
    # not « 5.432,10 € à majorer des intérêts moratoires »: a sum that bears interest
    ("interets", r"au titre des interets"
                 r"|(?<!des )(?<!les )interets (?:de retard|echus|moratoires)"),
    ("paiement", r"factur|\bprix\b|honoraires|redevance|loyers?\b|echeances"),
    ("dommages", r"dommages?[- ](?:et[- ])?interets|prejudice|indemnisation|reparation"),
)  # fmt: skip
HEADS: tuple[str, ...] = tuple(head for head, _ in _HEAD_WORDS) + ("autre",)
_GENERIC_HEADS = frozenset({"dommages", "autre"})
# damages for an abusive procedure are a claim of their own, not the loss the case is about
_ABUSE = re.compile(r"abusi|vexatoire|dilatoire")
_LOSS_HEADS = frozenset({"perte_de_chance", "perte_exploitation", "image", "moral", "materiel"})
_HEAD_REACH = 100  # characters on each side of a sum where its head is looked for

# Groups of three after a dot or space, or wrapped at the end of a line ("27\n000 euros").
# thousands grouped by dots, spaces or (Swiss) apostrophes; a decimal comma
_NUMBER = (r"\d{1,3}(?:(?:[ \u00a0]?\n[ \t]*|[. \u00a0\u202f'’])\d{3})+(?:,\d{1,2})?"
           r"|\d+(?:,\d{1,2})?")
_CURRENCIES = (  # ISO code, how decisions write it
    ("EUR", r"EUR|euros?|€"),
    ("LUF", r"LUF|francs? luxembourgeois"),
    ("BEF", r"BEF|francs? belges"),
    ("FRF", r"FRF|francs? français"),
    ("CHF", r"CHF|francs? suisses"),
    ("XOF", r"XOF|F ?CFA|(?:francs?|frs\.?) CFA"),
    ("CAD", r"CAD|dollars? canadiens"),
    ("USD", r"USD|US\$|\$|dollars?"),
    ("TND", r"TND|dinars?"),
    ("GBP", r"GBP|£"),
)
# bare « francs » (« frs ») are the francs of the judgment's country (_FRANCS_BY_COUNTRY)
# in any case: « 5.000 EUROS » in an operative part written in capitals, « 2.000 Euros »
_CURRENCY_WORDS = "(?i:" + "|".join(words for _, words in _CURRENCIES) + "|francs?|frs\\.?)"
_MONEY = re.compile(  # the lookahead fails fast where no sum can start
    rf"(?=[\dECULBFXTG€£])(?<![\dA-ZÀ-Ý_.,'’])"
    rf"(?:(?P<num>{_NUMBER})(?:\.-|,-)?\s?(?:HT|TTC|hors taxes)?\s?"
    rf"(?P<cur>{_CURRENCY_WORDS})(?!\w)"
    rf"|(?P<cur2>EUR|€|CHF|USD|CAD|LUF|BEF|FRF|XOF|TND|GBP|£)\s?(?P<num2>{_NUMBER})(?:\.-|,-)?"
    rf"(?!\d|[.,]\d))"
)
_FRANCS_BY_COUNTRY = {"LU": "LUF", "BE": "BEF", "CH": "CHF", "FR": "FRF",
                      **dict.fromkeys(("BJ", "BF", "CI", "ML", "NE", "SN", "TG"), "XOF")}

# Cues, on folded text (lower case, no accents, same length). The nearest one before a sum
# gives its voice; a claim cue wins over a grant cue at the same place ("voir condamner").
# « Aucune indemnité de procédure ne sera allouée », « Aucune indemnité ne sera donc due »: a
# refusal worded as no award
_NO_AWARD = (r"aucune?\s+(?:somme|indemnite)(?=[^.;]{0,40}\bne\s+(?:sera|seront|peut\s+etre"
             r"|peuvent\s+etre|est|sont)\s+(?:donc\s+)?(?:due|allouee|accordee)s?\b)")
# Luxembourg's « cette demande laisse (partant) d'être fondée »
_UNFOUNDED = r"laisse(?:nt)?\s+(?:partant\s+|donc\s+|des lors\s+)?d'etre\s+fondee?s?"
# « la demande ne saurait prospérer », « le tribunal ne peut faire droit à la demande »
_CANNOT_SUCCEED = (r"ne (?:saurait|sauraient|peut|peuvent|pourra|pourront|pourrait)\s+(?:pas\s+)?"
                   r"(?:prosperer|aboutir|etre accueillie?s?|faire droit|etre fait droit)\b")
_CUE_WORDS = {  # the verbs of eval/amounts_and_tags.md and the usual verbs of a claim
    "claim": (r"voir condamn", r"demand(?:e|ent|er|ait|aient|erait|eraient)\b",
              r"sollicit", r"reclam(?!ant)", r"chiffr", r"conclu(?:t|ent|ait|aient)? au?x?\b",
              r"en paiement d(?:e\b|')", r"mettre a la charge d",
              # « requiert la condamnation de », « demande à se voir allouer », a party's
              # « évalue son préjudice à »
              r"requi(?:ert|erent)\b", r"poursui(?:t|vent) la condamnation",
              r"entend(?:ent)? obtenir", r"se voir (?:allouer|accorder|octroyer|rembourser)",
              r"(?:evalu|estim)(?:e|ent)\s+(?:son|sa|ses|leur|leurs)\b"),
    "reject": (r"debout", r"rejet[teao]", r"non[- ]fonde", r"mal[- ]fonde", r"abjug",
               r"n'y (?:avoir|a pas) lieu (?:a\b|de\b|d')", _NO_AWARD, _CANNOT_SUCCEED),
    "grant": (r"condamn", r"alloue", r"fix", r"fonde", r"verser(?:a|ont)\b",
              r"accord(?:e|ent|er|ons)\b", r"(?:fait|faire) droit\b",
              r"tenue?s? de (?:payer|verser|rembourser|restituer)\b", r"(?:a|ont) droit a\b",
              r"evalu(?:e|ons)\b", r"etablie?s? (?:a hauteur|a concurrence|au montant|a la somme)",
              # Luxembourg's « dit que X redoit à Y … », « est redevable de », « ordonne le
              # remboursement de »; Belgium's « liquide les dépens de X à 1.430 € (indemnité de
              # procédure) » (court costs alone stay out: `_costs`)
              r"redoi(?:t|vent)\b", r"redevables?\b", r"liquid(?:e|ons)\b",
              r"ordonn(?:e|ons) (?:le |la )?(?:paiement|remboursement|restitution|versement)"),
    # « réduit la demande de 8.000 euros à 4.000 euros »: the sum claimed is rejected, the
    # sum it is brought down to granted
    "reduce": (r"redui", r"ramen"),
}
_CUES = re.compile("|".join(f"(?P<{voice}>" + "|".join(rf"\b{w}\w*" for w in words) + ")"
                            for voice, words in _CUE_WORDS.items()))
_REJECT_CUE = re.compile("|".join(rf"\b{w}" for w in _CUE_WORDS["reject"]))
_NOUN_BEFORE = re.compile(r"(?:\b(?:la|sa|leur|une|cette|de|en|des|les|ses|leurs|sur)\s+)$")
_SUM_NOUN_BEFORE = re.compile(r"\b(?:montants?|sommes?)\s+$")
# A grant verb the court negates: « il n'y a pas lieu de condamner », « ne saurait faire droit »
_NEGATED = re.compile(r"(?:\bn'y (?:a|avoir) pas lieu (?:de |d')|\bne (?:saurait|sauraient|peut"
                      r"|peuvent|pourra|pourront|pourrait)\s+(?:pas\s+)?(?:etre\s+)?)$")
# A text or another body as the subject of a ruling verb: « l'arrêté ministériel qui fixe ce
# montant à 12,50 euros », « (ci-après : le décret-programme du 11 décembre 2024) fixe à … »
_WHO_BEFORE = re.compile(r"(?:\bqui|\(ci-apres\b[^()]*\))\s+$")
_AUXILIARY = re.compile(r"\b(?:est|sont|etre|sera|seront|soit|soient)\s+$")
_DECLARED = re.compile(r"\b(?:dit|disons|declare|declarons|juge|est|sont|etre|et|bien|partiellement"
                       r"|recevable)\b(?:[^;.]|\.\))*$")  # « PERSONNE1.) »: a pseudonym's dot
_NOUN_CUE = re.compile(r"demand|condamnation|fixation")
# « la demande en paiement de », « la demande de X en paiement de »: a claim named
_CLAIM_NOUN_BEFORE = re.compile(
    r"\b(?:demandes?|actions?|requetes?)(?:\s+(?:de\s+|d')[^,;]{1,60}?)?\s+$")
# What a rejection without a sum rules on: a claim ("déboute X de sa demande", "la demande
# reconventionnelle est à rejeter", "la dit non fondée et en déboute"), not a plea or a ground
# ("le moyen est non fondé").
_RULED_CLAIM = re.compile(r"\b(?:la|les|sa|ses|leur|leurs) (?:demandes?|pretentions?"
                          r"|reclamations?)\b|\b(?:la|les) dit\b|\ben debout")
# A rejection of a whole application, on folded text: "La requête de M. B... est rejetée",
# "Le recours de X est rejeté", "Le pourvoi de X n'est pas admis", "Le surplus des
# conclusions du recours est rejeté", and the civil courts' "Rejette le surplus des demandes",
# "Déboute les parties de toutes autres demandes" -- every claim still open falls with it.
_WHOLE_REJECTION = re.compile(
    r"^\W*(?:article \d+\w*\s*\.?\s*[-–:]\s*)?(?:(?:la requete|le recours|le pourvoi|l'appel"
    r"|le surplus des (?:conclusions|demandes|pretentions))\b[^;]{0,120}?\b(?:est|sont)"
    r" (?:rejetee?s?|pas admise?s?)\b"
    r"|(?:rejette|deboute)\b[^;]{0,80}?\b(?:du|le) surplus\b"
    r"|(?:rejette|deboute)\b[^;]{0,80}?\btoutes? (?:les |ses |leurs )?(?:autres?|plus amples"
    r"|autres plus amples) (?:demandes?|conclusions|pretentions)\b"
    # « Rejette les demandes plus amples ou contraires », « Déboute les parties de leurs
    # demandes plus amples ou contraires »
    r"|(?:rejette|deboute)\b[^;]{0,80}?\b(?:les|leurs|ses) (?:autres )?(?:demandes|pretentions)"
    r" (?:plus amples|contraires|autres)\b"
    # « Déboute les parties de leurs autres demandes », « Rejette toute demande plus ample ou
    # contraire », « Dit les demandes non fondées pour le surplus »
    r"|(?:rejette|deboute)\b[^;]{0,80}?\b(?:les|leurs|ses) autres (?:demandes|pretentions"
    r"|conclusions)\b"
    r"|(?:rejette|deboute)\b[^;]{0,80}?\btoute (?:autre )?(?:demande|pretention) (?:plus ample"
    r"|contraire)\b"
    r"|(?:dit|declare)\b[^;]{0,80}?\b(?:non|mal)[- ]fondee?s? pour le surplus\b)")
# After a sum, in its sentence: « … 770 euros est accordée », « la demande de X en paiement de
# 5.000 euros est partant à déclarer non fondée », « … n'est pas fondée »
_THEREFORE = r"(?:(?:partant|donc|des lors|par consequent|en consequence|egalement|ainsi),?\s+)?"
# « n'est pas fondée », « n'est dès lors pas fondée », « n'est pas davantage justifiée »
_NOT_FOUNDED = (r"n'(?:est|sont|sera|seront)\s+" + _THEREFORE + r"pas\s+(?:davantage\s+"
                r"|non plus\s+)?(?:fondee?s?|justifiee?s?|etablie?s?)")
# A claim's rejection in a clause without a sum, wherever the claim is named in it: « La demande
# en paiement d'une indemnité de départ n'est pas fondée », « … est partant à rejeter »
_REJECTED = (r"(?:(?:est|sont|sera|seront)\s+" + _THEREFORE + r"(?:a\s+(?:rejeter|abjuger)"
             r"|rejetee?s?|abjugee?s?|(?:a\s+(?:declarer|dire)\s+)?(?:non|mal)[- ]fondee?s?"
             r"|declaree?s?\s+(?:non|mal)[- ]fondee?s?)|" + _NOT_FOUNDED + "|" + _UNFOUNDED + "|"
             + _CANNOT_SUCCEED + ")")
_VERDICT_REJECTS = re.compile(r"\b" + _REJECTED + r"\b")
_PASSIVE = re.compile(
    r"(?:[^;.]|\.\)){0,80}?\b(?:(?P<reject>(?:est|sont|sera|seront)\s+" + _THEREFORE
    + r"(?:rejetee?s?|declaree?s?\s+(?:non|mal)[- ]fondee?s?"
    r"|a\s+(?:declarer\s+|dire\s+)?(?:non|mal)[- ]fondee?s?|a\s+(?:rejeter|abjuger)|abjugee?s?"
    r"|(?:non|mal)[- ]fondee?s?)"
    r"|n'(?:est|sont)\s+" + _THEREFORE + r"pas\s+(?:davantage\s+|non plus\s+)?"
    r"(?:fondee?s?|justifiee?s?)|"
    + _UNFOUNDED + "|" + _CANNOT_SUCCEED + ")"
    r"|(?P<founded>(?:est|sont|sera|seront)\s+" + _THEREFORE
    + r"(?:a\s+(?:declarer\s+|dire\s+)?|declaree?s?\s+)?(?:fondee?s?|justifiee?s?)"
    r"(?!\s+(?:a\s+concurrence|en\s+son\s+principe|pour\s+partie|en\s+partie|pour\s+le)))"
    r"|(?:est|sont)\s+fixee?s?|(?:(?:est|sont)\s+)?(?:accordee?s?|allouee?s?))\b")
# A ruling on the claim just told, without naming it again: « Faute de preuve, cette demande est
# à rejeter », « Cette demande n'est pas fondée », « La demande sera rejetée ».
_THAT_CLAIM_REJECTED = re.compile(
    r"^\W*(?:[^;.,]{0,60},\s*)?(?:(?:cette|ces|la|les|sa|ses|leur|leurs) (?:demande|pretention"
    r"|reclamation)s?|(?:ce|ces) (?:dommages?|prejudices?))\s+" + _REJECTED + r"\b"
    # « Il n'y a pas lieu d'y faire droit », « il convient de l'en débouter »
    r"|^\W*(?:[^;.,]{0,60},\s*)?il (?:n'y a pas lieu|ne saurait etre question) d'y faire droit\b"
    r"|^\W*(?:[^;.,]{0,60},\s*)?il (?:y a lieu|convient|echet|s'impose) de (?:l'|les )en"
    r" debouter\b")
# « Il y a lieu d'y faire droit »: the claim just told is granted as claimed
_THAT_CLAIM_GRANTED = re.compile(
    r"^\W*(?:[^;.,]{0,60},\s*)?il (?:y a lieu|convient|echet) d'y faire droit\s*(?:[.;]|$)")
# « déboute X de sa demande en … »: whose claim it is
_DEBOUTED = re.compile(r"\bdébout\w*\s+(?P<p>[^;:]{2,120}?)\s+de\s+(?:sa|ses|leur|leurs)\s+demande",
                       re.IGNORECASE)
# « déboute X de toutes ses demandes », « de l'ensemble de ses demandes », « dit les demandes
# de X non fondées » (on the text with its accents)
_ALL_CLAIMS_OF = re.compile(
    r"\bdébout\w*\s+(?P<p>[^;:]{2,120}?)\s+de\s+(?:l['’]ensemble\s+de\s+|toutes\s+)?"
    r"(?:ses|leurs)\s+(?:demandes|prétentions)\b(?!\s+(?:en|de|d['’]|tendant|au|à|formulées))"
    r"|\b(?:dit|déclare)\s+(?:les|ses|leurs)\s+demandes\s+(?:de|d['’])\s*(?P<q>[^;:]{2,120}?)"
    r"\s+(?:non|mal)[- ]fondées\b"
    r"|\b(?:dit|déclare)\s+(?:non|mal)[- ]fondées\s+(?:les|ses|leurs)\s+demandes\s+(?:de|d['’])"
    r"\s*(?P<r>[^;:]{2,120}?)(?=\s*(?:[;,]|\.?\s*$)|\s+et\s)", re.IGNORECASE)
_CONDITIONAL = re.compile(r"\b\w+(?:rait|raient)\b(?:\s+\S+){0,3}\s*$")
# On lower-case text with its accents: "a rejeté" (another decision), not "à rejeter".
_PRIOR = re.compile(
    r"\b(?:a|ont|avait|avaient|avoir|ayant)\s+(?:(?:été|notamment|ainsi|donc|aussi|en outre"
    r"|par ailleurs|\w+ment)\s+){0,2}(?:condamné|alloué|débouté|rejeté|fixé|accordé|ordonné"
    r"|fait droit)"
)
# A demand told as a fact: in a letter (« Par courriel du 16 octobre 2019, X a demandé à W … »),
# at an earlier stage, in the pluperfect (« En première instance, X avait réclamé … »), or made
# of a party outside the proceedings
_DEMAND_TOLD = re.compile(
    r"^\W*par (?:(?:un|une|le|la|les|ses|son|sa|leur|leurs|des) )?(?:courriers?|lettres?|courriels?"
    r"|e-?mails?|messages?|fax|telecopies?|mises? en demeure|sommations?)\b"
    r"|\bavai(?:t|ent) (?:reclame|demande|sollicite|conclu)"
    r"|\bse voi(?:t|ent) reclamer\b")  # « X se voit réclamer le paiement de taxes de … »
_PRIOR_LEAD = re.compile(r"\b(?:a|ont|avait|avaient)\s*:\s*$")
# On folded text, before a sum in its clause: the sum is another decision's, told by this one
# (a cassation ruling's moyens and its reading of the attacked decision, an appeal's account
# of the judgment) -- unless the court confirms that ruling ("confirme le jugement en ce
# qu'il ...").
# « accordée par le tribunal », « allouée par les premiers juges »
_BY_ANOTHER_COURT = (r"(?:accordee?s?|allouee?s?|prononcee?s?|fixee?s?) par (?:le tribunal"
                     r"|les? premiers? juges?|la cour d'appel|l'arret|le jugement)\b")
_REPORTED = re.compile(
    r"\bf(?:ait|ont) grief au?x?\b|\breproch\w* a l'arret|\bcritique l'arret|\bcasse et annule"
    r"|\ben ce qu'(?:il|elle)s?\b|\bqu'en (?:condamnant|fixant|allouant|accordant|limitant)"
    r"|\bpour (?:condamner|fixer|allouer|accorder|limiter|rejeter|debouter)\b"
    r"|\bl'arret (?:attaque |d'appel )?(?:retient|enonce|constate|releve|ajoute|considere|estime)"
    r"|\b(?:la cour d'appel|les juges(?: du fond| d'appel)?|les? premiers? juges?|le tribunal)"
    r"\s+(?:l'\s*)?(?:a|ont|avait|avaient)\s"
    r"|\bpar (?:(?:un|une|le|la|l') ?)?(?:jugement|arret|ordonnance|decision|deliberation)\b"
    r"[^,;]{0,40}?\b(?:du|rendue?)\b"
    # not the court itself: « la Cour d'appel, quatrième chambre, …, statuant contradictoirement »
    r"|\bau lieu de\b|\bla cour d'appel\b(?!,?\s*(?:\w+\s+chambre|siegeant|statuant))"
    r"|\b" + _BY_ANOTHER_COURT)
# The same, told after the sum: « Pour condamner …, l'arrêt retient que … » (the motive the
# attacked decision gave), « la somme de 800 000 euros accordée par le tribunal »
_REPORTED_AFTER = re.compile(
    r"^\W*pour\b[^;]*?,\s*(?:l'arret(?: attaque| d'appel)?|la cour d'appel|les juges du fond"
    r"|le jugement(?: attaque)?)\s+(?:retient|enonce|constate|releve|ajoute|considere|estime)\b")
_REPORTED_BY = re.compile(r"\s*" + _BY_ANOTHER_COURT)
# A party's words in the reasons: « SOCIETE1.) soutient que … », « Les appelants font valoir
# que … » (on folded text)
_PARTY_SAYS = re.compile(
    r"^\W*(?P<subject>[^;]{1,80}?)\s+(?:soutien(?:t|nent)|font valoir|fait valoir"
    r"|expos(?:e|ent)|pretend(?:ent)?|affirm(?:e|ent)|allegu(?:e|ent)|argu(?:e|ent)"
    r"|repliqu(?:e|ent)|retorqu(?:e|ent)|expliqu(?:e|ent)|fai(?:t|ent|sait) plaider"
    r"|estim(?:e|ent)|consider(?:e|ent))\s+(?:[^;]{0,40}?\s)?qu(?:e\b|')")
_COURT_SUBJECT = re.compile(r"\b(?:tribunal|cour|juges?|juridiction|conseil|nous|il|on)\b")
# « Si X soutient que …, il y a lieu de condamner … »: the court speaks again
_COURT_TURN = re.compile(r",\s*(?:(?:or|partant|des lors)\s+)?(?:il y a lieu|il convient"
                         r"|le tribunal|la cour)\b|\b(?:mais|toutefois|cependant)\b")
_CONFIRMED = re.compile(r"\bconfirm\w*")
# « Confirme le jugement en ce qu'il a condamné X à payer … »: the court makes the award its own
_CONFIRMED_AWARD = re.compile(r"^\W*confirm\w*\b[^;]{0,80}?\ben ce qu'(?:il|elle)s?\b")
# Court costs, not sums owed between parties: dépens, court fees, the contributions to a fund.
_COSTS = re.compile(r"\bdepens\b|\bdroits? de role\b|\bcontribution\b|\bfrais (?:et honoraires )?"
                    r"d'expertise\b|\b(?:les|ces) frais(?: exposes)? sont\b")
_PAYING = re.compile(r"\b(?:payer|verser|regler|rembourser|restituer)\b")
_PAYMENT_OBJECT = re.compile(
    r"(?:somme|montant|indemnit|payer|verser|regler|rembours|restitu|paiement|allocation"
    r"|allouer|prejudice|dommage|evalu|fix|hauteur|concurrence|total|astreinte"
    r"|fondee?s? pour)"
    r"|\b(?:demande|reclame|sollicite)n?t?\s+$"  # « M. [N] demande 3 000 euros en réparation »
)
# "la somme de quatre-vingt-deux millions ... francs ( 82.905.000 frs CFA)": the sum in words
# before its figures, whose payment object is read before the words
_IN_WORDS = re.compile(r"(?:[a-z-]+ ){1,14}\(\s*$")
_COUNTERCLAIM = re.compile(r"reconvention")
# « la partie requérante demande l'annulation de la décision … d'un montant de 640.000 euros »
_ANNULMENT = re.compile(r"\s+(?:l['’]annulation|la suspension|l['’]abrogation)\b")
_NEAR = 100  # characters before a sum where what it is (reported, costs) is read
_ITEM = re.compile(r"^\s*(?:[-–•*|]|\d+(?:°\)?|[.)])\s|[a-z]\)\s)")
# Luxembourg's operative parts, hard-wrapped: one ruling a line-ending comma, each opening on
# its verb (« condamne X à payer …,\ndéboute X du surplus de sa demande,\ncondamne X aux
# frais »)
_NEXT_RULING = re.compile(
    r",[ \t]*\n(?=[ \t]*(?:(?:partant|par (?:reformation|confirmation)"
    r"|en consequence|pour le surplus),?\s+)?(?:condamne|deboute|dit|declare|rejette"
    r"|recoit|ordonne|fixe|alloue|accorde|confirme|reforme|infirme|annule|met|laisse"
    r"|renvoie|reserve|constate|prononce|ecarte|sursoit|decharge|(?:le|la|les) dit"
    r"|en deboute|se declare)\b)")
_CLAUSE_END = re.compile(r"\n\s*\n|;\s+|(?<=[.!?:])\s+(?=[-–•«(\"A-ZÀ-Þ])|\n(?=\s*[-–•*|])"
                         r"|(?<=[.;:])\n")
# A full stop that ends an abbreviation or initial ("M.", "MM. Y...", "art.") ends no clause.
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]{1,3}|M|MM|Mme|Me|Mes|art|al|cf|n°|no|p|pp)\.|\.\.\.)$")
_SECTION_PREFERENCE = {"operative": 0, "reasons": 1, "other": 2, "claims": 3, "procedure": 4,
                       "facts": 5, "header": 6}  # fmt: skip

# Parties, on the original text.
_PARTY_STOP = (r"(?=\s*(?:,|;|\(|$|\.\s*$|\bsur base\b|\bau titre\b|\bsur le fondement\b"
               r"|\bà titre\b"
               r"|\ben application\b|\bune indemnité\b|\bau paiement\b|\bà la charge\b|\bune\b"
               r"|\ben (?:allocation|paiement|obtention|réparation|remboursement|indemnisation)\b"
               r"|\bet (?:la |le |les )?condamn"
               r"|\bet (?:la|une) somme\b"
               r"|\bet\s+(?:de\s+)?(?:lui|leur)\b|\bou qui mieux\b"
               r"|\bdu chef\b|\bpour\b|\bavec\b|\bla somme\b|\bune somme\b|\ble montant\b"
               r"|\bun montant\b|\bles montants\b|\bla demande\b|\bchacune?\b|\best\b|\bsont\b"
               r"|\bde la somme\b|\bdu montant\b"
               r"|(?<=\s)\d[\d .,\u00a0]*\s?(?:€|euros?\b|EUR\b)"  # « payer à Y 1.500 € »
               r"|\bpour autant\b|\ben ce qu|\btendant\b|\bqui\b"
               r"|\bà (?:lui |leur )?(?:payer|verser)\b|\b(?:de|à) \d"
               r"|\bà (?:concurrence|hauteur)\b|\b(?:non |mal )?fondée?s?\b))")  # fmt: skip
# a pseudonym run into the word before it in open-data texts (« àPERSONNE1.) »)
_PSEUDONYM = r"(?:PERSONNE|SOCIETE)\d"
_DEBTOR = re.compile(
    r"condamn\w*(?:\s+|(?=" + _PSEUDONYM + r"))(?!(?:à|a|au)\s)(?P<p>.+?)"
    r"(?:\s+|(?<=\.\)))(?:[àa]\s+(?:lui\s+|leur\s+)?(?:payer|verser|régler"
    r"|rembourser|restituer)|au paiement)"
    rf"|(?:à l['’]encontre|à la charge) d(?:e\s+|['’])(?P<q>.+?){_PARTY_STOP}"
    r"|^\W*(?P<v>[^,;:]{2,80}?)\s+verser(?:a|ont)\b"  # "L'Etat versera à X une somme de"
    # Belgian Conseil d'État: "La partie requérante supporte les dépens, à savoir ... et
    # l'indemnité de procédure de 770 euros accordée à la partie adverse"
    r"|^\W*(?P<w>[^,;:]{2,80}?)\s+supporte(?:nt)?\s+les\s+dépens\b",
    re.IGNORECASE | re.DOTALL,  # names run over the line breaks of hard-wrapped texts
)
_CREDITOR = re.compile(
    r"(?:payer|verser(?:a|ont)?|régler|rembourser|restituer|allouer|accorder|accorde|accordée?s?"
    r"|redoi(?:t|vent)|remboursement|restitution)\s+(?:à|a|au|aux)(?:\s+|(?=" + _PSEUDONYM + r"))"
    r"(?!titre\b)"
    rf"(?P<p>.+?){_PARTY_STOP}|(?:au profit de|redevables? envers)\s+(?P<q>.+?){_PARTY_STOP}"
    rf"|\bla demande (?:principale )?d(?:e\s+|['’])(?P<r>.+?){_PARTY_STOP}"
    rf"|(?:formulée?s?|réclamée?s?|demandée?s?) par\s+(?P<s>.+?){_PARTY_STOP}"
    # « débouter SOCIETE1.) de sa demande en paiement de la somme de … »
    r"|débout\w*\s+(?!(?:les\s+parties|de\s|d['’]))(?P<u>.+?)\s+(?:de\s+(?:sa|ses|leur|leurs)"
    r"\s+demandes?|du\s+surplus)\b"
    # "L'ANAH versera la somme de 2 000 euros à Mme A..."
    r"|\b(?:la|une) somme de\s+[\d .,]+\s*(?:euros?|€|EUR)\s+(?:à|au|aux)\s+"
    r"(?!titre\b|verser\b|payer\b|majorer\b|augmenter\b|compter\b|partir\b)"
    rf"(?P<t>.+?){_PARTY_STOP}",
    re.IGNORECASE | re.DOTALL,  # names run over the line breaks of hard-wrapped texts
)
# The subject of a clause ("Par acte du ..., PERSONNE1.) et SOCIETE2.) ont ...", "Elle
# demande ..."): who claims a sum that names no creditor; a pronoun is the last one named.
_SUBJECT = re.compile(r"^\W*(?i:(?:mais\s+)?(?:attendu|considérant)\s+qu(?:e\s+|'))?"
                      r"(?:[^,;:]{0,120},\s*){0,3}?(?P<p>[^,;:]{2,80}?)"
                      # "X, représenté par Me Y," or "..., par Me Y, cabinet Z,"
                      r"(?:,\s*représentée?s?\s+par\s+[^,;:]{2,60}(?:,[^,;:]{2,60})?,)?"
                      r"\s+(?:ont|a|demande|demandent"
                      r"|sollicite|sollicitent|réclame|réclament|conclut|concluent|requiert"
                      r"|requièrent|poursuit|poursuivent)\b")
_NAME_WORD = re.compile(r"^(?:et|de|la|le|les|l['’]|société|sociétés|M\.|MM\.|Mme|Me"
                        r"|parties?|adverses?|requérante?s?|défenderesses?|demanderesses?"
                        r"|intervenante?s?|intimée?s?|appelante?s?"  # parties named by their role
                        r"|épouse|veuve|née"
                        r"|\S*[A-Z\[]\S*)$")
_HEADING_LINE = re.compile(r"(?:[IVX]+\.|\d+\.|[A-Z]\.)?[^\n.;:!?]{2,80}\n(?=\S)")
_SUBJECT_PRONOUNS = frozenset({"Elle", "Elles", "Il", "Ils"})
_LEGAL_FORM = re.compile(
    r"^(?:(?:le|la|l['’])\s*)?(?:groupement d['’]intérêt économique"
    r"|société anonyme(?: de droit \w+)?"
    r"|société à responsabilité limitée|société par actions simplifiée|société civile"
    r"|association sans but lucratif)\s+(?=\S)", re.IGNORECASE)  # fmt: skip
_LEADING = re.compile(r"^(?:à l['’]encontre d(?:e\s+|['’])|(?:à|au|aux|de|du|des)\s+|d['’]\s*"
                      r"|(?:in solidum|solidairement)(?:\s+|$))+", re.IGNORECASE)
_PSEUDONYM_ARTICLE = re.compile(r"\b(?:de\s+)?(?:l['’]|le\s+|la\s+)(?=[A-Z]+\d+\.\))")
_PRONOUNS = frozenset({"lui", "leur", "elle", "elles", "il", "ils", "les", "la", "le", "eux"})
_PLURAL = re.compile(r"\bchacune?\b", re.IGNORECASE)


@dataclass(frozen=True)
class AmountRow:
    """One line of the damages table: a sum, its head of damage and outcome, who owes it to
    whom, and the verbatim span it comes from (`quote == judgment.text[char_start:char_end]`,
    holding `amount_text`, the amount as written). The judgment's citation fields travel with
    the row so that the table can be shown, sorted and exported on its own."""

    judgment_id: str
    value: float
    currency: str  # ISO 4217
    amount_text: str
    head: str  # one of HEADS
    outcome: Outcome
    creditor: str  # as the text names the party, "" when it does not say
    debtor: str
    section_kind: str
    char_start: int
    char_end: int
    quote: str
    court: str = ""
    date: str = ""
    decision_number: str = ""
    ecli: str = ""
    citation: str = ""  # the judgment and the pinpoint of the quote (no ECLI)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Extraction:
    """The rows of one judgment and those dropped because their quote failed the check."""

    rows: tuple[AmountRow, ...]
    dropped: tuple[AmountRow, ...] = ()


@dataclass(frozen=True)
class AmountFilters:
    """Which rows `amounts_in_store` returns; empty fields do not restrict."""

    courts: tuple[str, ...] = ()
    date_from: str = ""  # ISO, inclusive
    date_to: str = ""
    heads: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    min_value: float | None = None
    max_value: float | None = None

    def keeps_judgment(self, meta: JudgmentMeta) -> bool:
        if self.courts and meta.court not in self.courts:
            return False
        if self.date_from and (not meta.date or meta.date < self.date_from):
            return False
        return not (self.date_to and (not meta.date or meta.date > self.date_to))

    def keeps(self, row: AmountRow) -> bool:
        return ((not self.heads or row.head in self.heads)
                and (not self.outcomes or row.outcome in self.outcomes)
                and (self.min_value is None or row.value >= self.min_value)
                and (self.max_value is None or row.value <= self.max_value))  # fmt: skip


# -- amounts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    start: int
    end: int
    value: float
    currency: str

    def written(self, text: str) -> str:
        return text[self.start : self.end]


def parse_number(written: str) -> float:
    """'2.000' -> 2000.0, '1 500,50' -> 1500.5, '1.250.-' -> 1250.0 (French, Luxembourg and
    Belgian writing: dots or spaces group thousands, the comma marks decimals)."""
    digits = re.sub(r"[.,]-$", "", written.strip())
    whole, _, cents = digits.partition(",")
    return float(re.sub(r"[.\s'’]", "", whole) + (f".{cents}" if cents else ""))


def _iso(written: str, country: str) -> str:
    code = next((code for code, words in _CURRENCIES
                 if re.fullmatch(words, written, re.IGNORECASE)), "")
    return code or _FRANCS_BY_COUNTRY.get(country, "FRF")


def find_amounts(text: str, country: str = "") -> list[Money]:
    """Every sum written with its currency in `text`, in order."""
    found = []
    for match in _MONEY.finditer(text):
        number = match.group("num") or match.group("num2")
        currency = match.group("cur") or match.group("cur2")
        found.append(Money(match.start(), match.end(), parse_number(number),
                           _iso(currency, country)))
    return found


def parse_amount(written: str, country: str = "") -> tuple[float, str] | None:
    """(value, ISO currency) of a sum written alone ('EUR 3.000' -> (3000.0, 'EUR')), or None."""
    found = find_amounts(written.strip(), country)
    return (found[0].value, found[0].currency) if len(found) == 1 else None


# -- clauses ------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents, one character for one (offsets stay valid)."""
    return text.translate(_FOLDED)


class _FoldTable(dict[int, str]):
    """str.translate's table for `fold`, filled in as characters are first met."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        base = unicodedata.normalize("NFD", ch)[0] if ch.isalpha() else ch
        self[code] = folded = (
            "'" if ch in "’`" else base.lower() if len(base.lower()) == 1 else ch
        )
        return folded


_FOLDED = _FoldTable()


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int
    section: Section | None
    item: bool  # a list item or table row
    leads: tuple[tuple[int, int], ...] = ()  # the lead-ins ("... comme suit :") of an item

    @property
    def kind(self) -> str:
        return self.section.kind if self.section else "other"


def _deepest(sections: Sequence[Section], offset: int) -> Section | None:
    best = None
    for section in sections:
        if section.char_start <= offset < section.char_end and (
                best is None or len(section.path) >= len(best.path)):
            best = section
    return best


def _clauses(judgment: Judgment) -> list[_Clause]:
    text = judgment.text
    clauses: list[_Clause] = []
    leads: list[tuple[int, int]] = []
    cuts = [0, *(m.end() for m in _CLAUSE_END.finditer(text)  # a blank line always cuts
                 if "\n\n" in m.group().replace(" ", "")
                 or not _ABBREVIATION.search(text[max(0, m.start() - 12) : m.start()])),
            *(m.end() for m in _NEXT_RULING.finditer(fold(text))), len(text)]
    cuts.sort()
    for begin, stop in zip(cuts, cuts[1:], strict=False):
        piece = text[begin:stop]
        start, end = begin + len(piece) - len(piece.lstrip()), begin + len(piece.rstrip())
        if end <= start:
            continue
        item = bool(_ITEM.match(text[start:end]))
        lead = text[start:end].endswith(":")
        if not item and not lead:
            leads = []
        clauses.append(_Clause(start, end, _deepest(judgment.sections, start), item,
                               tuple(leads) if item else ()))
        if lead:
            leads = [*leads, (start, end)] if item else [(start, end)]
    return clauses


# -- mentions -----------------------------------------------------------------------------------


@dataclass
class _Mention:
    money: Money
    clause: _Clause
    outcome: Outcome
    head: str
    creditor: str = ""
    debtor: str = ""
    plural: bool = False
    counterclaim: bool = False
    dropped: bool = False
    titled: bool = False  # its head is named right after it (« … euros à titre de dommages … »)
    context: str = ""  # what the clause says the sum is for, folded (« indemnité de départ »)

    @property
    def rank(self) -> tuple[int, int]:
        return (_SECTION_PREFERENCE.get(self.clause.kind, 2), -self.money.start)


@dataclass(frozen=True)
class _Ruling:
    """A rejection without a sum: which heads it covers, whether it is the counterclaim's,
    and the party whose claim it rejects."""

    heads: frozenset[str]
    counterclaim: bool
    party: str
    only_party: bool = False  # « déboute X de toutes ses demandes »: X's claims, whatever head
    any_loss: bool = False  # « déboute X de sa demande en dommages et intérêts »: all loss
    objects: frozenset[str] = frozenset()  # « … d'une indemnité de départ »: {"depart"}

    def covers(self, claim: _Mention) -> bool:
        same_party = bool(claim.creditor) and party_key(claim.creditor) == party_key(self.party)
        if self.only_party:
            return same_party
        if claim.head in self.heads or (claim.counterclaim and self.counterclaim):
            return True
        if self.objects and _names_all(claim.context, self.objects):
            return same_party or not (self.party and claim.creditor)
        return self.any_loss and claim.head in _LOSS_HEADS and (
            same_party or not (self.party and claim.creditor))


def _heads_in(folded: str) -> list[tuple[int, str]]:
    """(position, head) of every head named in `folded`, also over a line break (« une
    indemnité\nde procédure » in hard-wrapped text)."""
    folded = folded.replace("\n", " ")  # the same length: positions hold
    return [(m.start(), head) for head, words in _HEAD_WORDS for m in re.finditer(words, folded)]


# « 10.000 euros au titre du préjudice matériel »: the head the sum is claimed or granted for
_FOR_HEAD = re.compile(r"\s*(?:\(\s*[^()]{0,40}\)\s*)?(?:au|a) titre d|\s*en reparation d")
_TITLE_END = re.compile(r"[,;]|\bainsi\b|\boutre\b")


def _titled(folded: str, end: int) -> bool:
    """« … à 1.430 € à titre d'indemnité de procédure »: a sum given a head of damage right
    after it is a sum owed, whatever comes before it."""
    return bool(_FOR_HEAD.match(folded, end)) and _specific_head(folded[end : end + 60])


def _head(folded: str, before: int, at: int, after: int, context: str, end: int = -1) -> str:
    """The head the words right after the sum give it (« … euros au titre du préjudice
    moral »; when they name none of the table's, « à titre d'indemnité compensatoire de
    préavis », the head named before the sum, else « autre »), else the most specific head
    named between the previous sum and the next one, else in the clause and its lead-ins."""
    order = {head: n for n, head in enumerate(HEADS)}
    before, after = max(before, at - _HEAD_REACH), min(after, at + _HEAD_REACH)
    if end >= 0 and _FOR_HEAD.match(folded, end):
        title = folded[end:after]
        named = _heads_in(title[: next((m.start() for m in _TITLE_END.finditer(title)
                                        if m.start() > 0), len(title))])
        named = named or _heads_in(folded[before:at])  # « … à lui rembourser la somme de »
        return min((order[h], p, h) for p, h in named)[2] if named else "autre"
    near = [(order[h], abs(before + p - at), h) for p, h in _heads_in(folded[before:after])]
    if not near:
        near = [(order[h], 0, h) for _, h in _heads_in(context)]
    return min(near)[2] if near else "autre"


def _specific_head(folded: str) -> bool:
    return any(head not in _GENERIC_HEADS for _, head in _heads_in(folded))


# Words that name any claim or party, not what a claim is for
_CLAIM_WORDS = frozenset({
    "demande", "demandes", "paiement", "allocation", "obtention", "octroi", "versement",
    "condamnation", "indemnisation", "reparation", "somme", "sommes", "montant", "montants",
    "indemnite", "indemnites", "dommages", "dommage", "interets", "prejudice", "prejudices",
    "titre", "tendant", "relative", "relatives", "formulee", "formulees", "formee", "partie",
    "parties", "cette", "pour", "dans", "avec", "sans", "leur", "leurs", "elle", "elles",
    "sont", "etre", "base", "article", "frais", "chef", "principale", "subsidiaire",
    "reconventionnelle", "reconventionnelles", "presente", "instance", "outre", "encore",
    "egalement", "aussi", "ainsi", "societe",
})
_CLAIM_NAMED = re.compile(r"\b(?:demandes?|pretentions?|reclamations?)\b")
# what comes after names what the claim is for (« du salarié en paiement d'heures … »)
_CLAIM_FOR = re.compile(r"\b(?:en (?:paiement|allocation|obtention|octroi|versement|condamnation"
                        r"|indemnisation|remboursement|reparation|restitution)|tendant (?:a|aux?)"
                        r"|relatives? (?:a|aux?)|au titre|a titre|pour)\b")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_PUNCTUATION = re.compile(r"[,;:]")


def _objects(raw: str) -> frozenset[str]:
    """What a claim is for, in the words of a phrase that names it (« en paiement d'une
    indemnité de départ » -> {"depart"}): at most four words of four letters or more, folded,
    without the words that name any claim, names (capitalised) or numbers."""
    folded = fold(raw)
    after = _CLAIM_FOR.search(folded)
    start = after.end() if after else 0
    words = [re.sub(r"^\w['’]", "", fold(m.group())) for m in _WORD.finditer(raw, start)
             if m.group()[0].islower()]
    return frozenset([w for w in words if len(w) >= 4 and w not in _CLAIM_WORDS][:4])


def _ruled_objects(raw: str, folded: str) -> frozenset[str]:
    """What the claim a ruling names is for: the words after « la demande » up to the verdict
    or a comma (« La demande relative aux frais de déménagement est à rejeter, faute … »)."""
    named = _CLAIM_NAMED.search(folded)
    if not named:
        return frozenset()
    verdict = _VERDICT_REJECTS.search(folded, named.end())
    stop = verdict.start() if verdict else len(folded)
    comma = _PUNCTUATION.search(folded, named.end(), stop)
    return _objects(raw[named.end() : comma.start() if comma else stop])


def _names_all(context: str, objects: frozenset[str]) -> bool:
    """Whether a folded context names every word of `objects`, give or take an ending."""
    words = [re.sub(r"^\w'", "", w) for w in re.findall(r"[a-z][a-z'-]*", context)]
    return all(any(w.startswith(o[: max(4, len(o) - 2)]) for w in words) for o in objects)


# A plea or a ground is not a claim: « Le moyen tiré de l'article 240 n'est pas fondé »
_PLEA = re.compile(r"^\W*(?:[^,;]{0,40},\s*)?(?:le|les|ce|ces|l'|son|sa|ses|leur|leurs)\s*"
                   r"(?:\w+\s+)?(?:moyens?|griefs?|branches?|exceptions?|fins? de non-recevoir"
                   r"|appels?|pourvois?|recours)\b")
# « en ce qui concerne le préjudice matériel, … »: what the sentences after it rule on
_TOPIC = re.compile(r"^\W*(?:quant (?:aux?|a la|a l')|en ce qui concerne|s'agissant d[eu']?s?"
                    r"|concernant)\s*(?P<t>[^,;.]{3,100})")
_CONTEXT_BEFORE = re.compile(r".*(?:[,;]|\bet\b|\bainsi que\b)", re.DOTALL)
_CONTEXT_AFTER = re.compile(r"[,;:]|\bet\b(?! interets)|\bainsi que\b")


def _sum_context(folded: str, previous: int, at: int, end: int, following: int) -> str:
    """What a sum is for, by the words around it up to the neighbouring sums, a comma or an
    « et » (« une indemnité de départ de 4.000 euros et une indemnité de préavis … »)."""
    before = folded[max(previous, at - 120) : at]
    cut = _CONTEXT_BEFORE.match(before)
    after = folded[end : min(following, end + 120)]
    stop = _CONTEXT_AFTER.search(after)
    return before[cut.end() if cut else 0 :] + " " + after[: stop.start() if stop else None]


def _noun(folded: str, cue: re.Match[str]) -> bool:
    """'la demande de X', 'sollicitent la condamnation de X' name a claim or a ruling; they are
    not a party asking nor the court ruling."""
    if cue.group().startswith("en paiement"):  # "la demande en paiement de": a claim named
        return bool(_CLAIM_NOUN_BEFORE.search(folded[: cue.start()]))
    return bool(_NOUN_CUE.match(cue.group()) and _NOUN_BEFORE.search(folded[: cue.start()]))


def _no_ruling(folded: str, cue: re.Match[str], written: str) -> bool:
    """A ruling verb that does not rule here: a bare past participle ("le plafond fixé à 60
    euros", "la somme allouée") without "est", "sont", "être"; "fondé(e)" that is not declared
    ("une recommandation fondée sur ...", not "dit la demande fondée")."""
    word = cue.group()
    if cue.lastgroup == "claim" and _SUM_NOUN_BEFORE.search(folded, 0, cue.start()):
        return True  # « le montant réclamé », « les sommes demandées »: what is owed, not a claim
    if cue.lastgroup != "claim" and word.endswith(("ant", "ants")):
        return True  # "un arrêté fixant le taux", "en le déboutant": a participle, not a ruling
    if cue.lastgroup == "grant" and _NEGATED.search(folded, 0, cue.start()):
        return True  # « il n'y a pas lieu de condamner X à payer … »: the cue before rejects
    if cue.lastgroup != "claim" and _WHO_BEFORE.search(folded, 0, cue.start()):
        return True  # not the court
    if word.startswith(("fix", "allou", "evalu")) and "é" in written[cue.start() + 1 : cue.end()]:
        return not _AUXILIARY.search(folded, 0, cue.start())
    if word.startswith("fonde"):
        return not _DECLARED.search(folded, max(0, cue.start() - 60), cue.start())
    return False


def _quoted(before: str) -> bool:
    """Whether a sum after `before` is inside a quotation that `before` opens."""
    return before.count("«") > before.count("»")


def _voice(folded: str, at: int, kind: str, written: str = "",
           after: int | None = None) -> Outcome | None:
    """The outcome the nearest cue before position `at` of a clause gives (else a ruling's
    participle after the sum, which ends at `after`: "... 770 euros est accordée"), or None.
    `written` is the clause with its accents, which tell "fixe" (the court rules) from "fixé"
    (a fact)."""
    cues = [m for m in _CUES.finditer(folded[:at])
            if not _noun(folded, m) and not _no_ruling(folded, m, written)]
    passive = _PASSIVE.match(folded, at if after is None else after)
    ruled = passive is not None and (passive.group("reject") or passive.group("founded"))
    if not cues or (cues[-1].lastgroup == "claim" and ruled):
        # « la demande de X en paiement de la somme de 5.000 euros est à déclarer non fondée »
        if passive is None:
            return None
        if kind in ("claims", "procedure", "facts"):
            return "claimed"  # a party's word that a sum is to be rejected or granted
        return "rejected" if passive.group("reject") else "granted"
    cue = cues[-1]
    annulment = [m for m in cues if m.lastgroup == "claim" and _ANNULMENT.match(folded, m.end())]
    if annulment and (annulment[-1] is cue or _quoted(folded[annulment[-1].end() : at])):
        return None  # the sums of the decision whose annulment is asked are not claimed
    if cue.lastgroup == "claim" or kind in ("claims", "procedure", "facts"):
        return "claimed"
    if cue.lastgroup == "reduce":
        if any(m.lastgroup == "claim" for m in cues):
            return "claimed"  # « elle demande de réduire le montant des astreintes à 100 euros »
        return "granted" if re.search(r"\ba\s*$", folded[cue.end() : at]) else "rejected"
    if cue.lastgroup == "grant" and _CONDITIONAL.search(folded[: cue.start()]):
        return "claimed"
    return "rejected" if cue.lastgroup == "reject" else "granted"


def _party(raw: str | None) -> str:
    """A party as the text names it: without the preposition, legal form or apposition;
    '' for a pronoun."""
    if not raw:
        return ""
    name = re.sub(r"«[^»]*»|\*", " ", raw)
    name = re.sub(r"(?<=\w)(?=" + _PSEUDONYM + ")", " ", name)  # « la sociétéSOCIETE1.) »
    name = " ".join(name.split()).strip(" ,:")
    parts = name.split(",")
    if not (" et " in parts[-1] and all(len(part.split()) <= 4 for part in parts)):
        name = parts[0].strip()  # an apposition, unless the commas list parties: "X, Y et Z"
    name = _LEGAL_FORM.sub("", _LEADING.sub("", re.sub(r"\s+ou qui mieux\b.*$", "", name)))
    name = _PSEUDONYM_ARTICLE.sub("", name)
    name = re.sub(r"\bet\s+(?:de\s+|à\s+)?", "et ", name)
    lower = name.lower()
    if lower in _PRONOUNS or lower.startswith("chacun") \
            or len(name) > 150 \
            or not re.search(r"[A-Za-zÀ-ÿ]", name):
        return ""
    return name


def _parties(text: str, clause: _Clause, at: int) -> tuple[str, str, bool]:
    """(creditor, debtor, plural) for a sum at offset `at` inside `clause`: the party named
    last before the sum, else just after it."""
    words = text[clause.start : clause.end]
    at -= clause.start

    def named(pattern: re.Pattern[str], groups: str) -> str:
        before = after = ""
        for match in pattern.finditer(words):
            name = _party(next((match.group(g) for g in groups if match.group(g)), None))
            if name and match.start() < at:
                before = name
            elif name and match.start() < at + _NEAR and not after:
                after = name
        return before or after

    # whom the court « déboute » claimed the sum; a party asking to « débouter » the other did not
    court = clause.kind in ("reasons", "operative", "other")
    creditor, debtor = named(_CREDITOR, "pqrstu" if court else "pqrst"), named(_DEBTOR, "pqvw")
    plural = bool(_PLURAL.search(words[max(0, at - 80) : at + 60]))
    return creditor, debtor, plural


_EACH_OF = re.compile(rf"\bchacune?\s+(?:de|des|d['’])\s*(?P<p>.+?){_PARTY_STOP}",
                      re.IGNORECASE | re.DOTALL)
_BOTH = re.compile(r"\btant\s+(?:à|au|aux)\s+(?P<a>.+?)\s+qu['’](?:à|au|aux)\s+"
                   rf"(?P<b>.+?){_PARTY_STOP}", re.IGNORECASE | re.DOTALL)


def _each_creditor(clause: str, at: int, creditor: str, plural: bool) -> list[str]:
    """The creditors of a sum that goes to each of several parties (« à A et à B, chacun »,
    « à chacun de A et B », « tant à A qu'à B »): one row each. [] when it goes to one party,
    or to several together (« la somme globale de ... à A et B »)."""
    near = clause[max(0, at - 200) : at + 100]
    both = _BOTH.search(near)
    if both:
        names = [_party(both.group("a")), _party(both.group("b"))]
    elif plural:
        each_of = _EACH_OF.search(near)
        listed = _party(each_of.group("p")) if each_of else creditor
        names = [_party(part) for part in re.split(r"\s*,\s*|\s+et\s+", listed) if part]
    else:
        return []
    names = [name for name in names if name]
    return names if len(names) >= 2 else []


def _subject(clause: str, last: str) -> str:
    """The party a clause starts with, the `last` one named for 'Elle', 'Ils'..., else ''.
    A heading line the clause starts with ("V. Indemnité de procédure et dépens") is skipped."""
    heading = _HEADING_LINE.match(clause)
    for start in (0, heading.end()) if heading else (0,):
        match = _SUBJECT.match(clause[start:])
        if not match:
            continue
        if match.group("p") in _SUBJECT_PRONOUNS:
            return last
        if all(_NAME_WORD.match(w) for w in match.group("p").split()):
            return _party(match.group("p"))
    return ""


# A party's request as its conclusions word it, in the infinitive (« Condamner B à lui payer la
# somme de 20.000 euros ; », « - allouer à X … »): the court rules in the present
_REQUESTED = re.compile(r"^\W*(?:(?:\d{1,2}°\)?|[a-z]\)|[-–•*])\s*)?(?:condamner|allouer|ordonner"
                        r"|fixer|dire|declarer|juger|debouter|rejeter|constater|mettre a la charge)"
                        r"\b")


# « … à lui payer »: the sum goes to the party that asks
_TO_HIM = re.compile(r"\b(?:lui|leur)\s+(?:payer|verser|rembourser|restituer|allouer|accorder)\b")


def _party_says(folded: str, at: int) -> bool:
    """Whether the sum at `at` of a clause is told in a party's words, not the court's: « X
    soutient que Y doit être condamnée à lui payer … », « X fait valoir que Y lui redoit … »,
    with no turn to the court's voice in between (« …, mais il y a lieu de condamner … »)."""
    says = _PARTY_SAYS.search(folded, 0, at)
    if says is None or _COURT_SUBJECT.search(says.group("subject")):
        return False
    return not _COURT_TURN.search(folded, says.end(), at)


def _reported(folded: str, at: int, end: int) -> bool:
    """Whether the sum at `at` (to `end`) of a clause is another decision's, told by this one:
    a report marker before it, unless the only one is "en ce qu'il ..." after this court's
    confirmation ("le jugement doit être confirmé en ce qu'il rejette ..."); or the attacked
    decision's motive ("Pour condamner …, l'arrêt retient"), or "accordée par le tribunal"
    right after it."""
    if _REPORTED_AFTER.match(folded) or _REPORTED_BY.match(folded, end):
        return True
    before = folded[:at]
    marks = list(_REPORTED.finditer(before))
    if not marks:
        return False
    if any(not mark.group().startswith("en ce qu") for mark in marks):
        return True  # "fait grief à l'arrêt de confirmer le jugement en ce qu'il ..."
    return not _CONFIRMED.search(before[: marks[-1].start()])


def _costs(folded: str, at: int, lead: str) -> bool:
    """Whether the sum at `at` is court costs (dépens, court fees, a fund's contribution): the
    last thing named before it in its clause with no payment verb in between ("la contribution
    ..., liquidée par la cour à la somme de 22,00 €"), or named just after it ("22 EUR à titre
    de contribution"), or in the lead-in of its list item -- and no head of damage is named
    next to it."""
    before = folded[:at]
    costs = list(_COSTS.finditer(before))
    heads = _heads_in(before)
    told_before = bool(costs) and not _PAYING.search(before, costs[-1].end()) and all(
        p < costs[-1].start() for p, _ in heads)
    if not (told_before or _COSTS.search(folded, at, at + 40) or _COSTS.search(lead)):
        return False
    return not _specific_head(folded[max(0, at - _NEAR) : at + 60])


_NAMED = re.compile(rf"(?:formée?s? par|la demande d(?:e\s+|['’]))\s*(?P<p>.+?){_PARTY_STOP}",
                    re.DOTALL)
_PRONOUN_DEBTOR = re.compile(r"\b(?:la|le|les)\s+condamn\w*\s+(?:in solidum\s+)?(?:à|au)\b"
                             r"(?:(?!condamn)[^;])*$")


def _named_in(clause: str) -> str:
    """The party whose claim a clause names ("rejette la demande formée par X"), else ''."""
    found = [_party(m.group("p")) for m in _NAMED.finditer(clause)]
    return next((name for name in reversed(found) if name), "")


_WHOLE_PARTY = re.compile(r"\b(?:requête|recours|pourvoi|appel) d(?:e\s+|['’])(?P<p>.+?)"
                          r"(?=\s+(?:est|sont|n['’]est)\b)", re.DOTALL)


def _named_whole(clause: str) -> str:
    """The party whose whole application a clause rejects ("La requête de M. B... est
    rejetée"), else ''."""
    match = _WHOLE_PARTY.search(clause)
    return _party(match.group("p")) if match else ""


def _pronoun_debtor(before: str, last_named: str) -> str:
    """'rejette la demande formée par X et la condamne à payer': the pronoun is X."""
    return last_named if _PRONOUN_DEBTOR.search(before) else ""


def _rejects(words: str) -> bool:
    """Whether the first cue of a clause that is not used as a noun rejects."""
    if not _REJECT_CUE.search(words):
        return False
    first = next((m for m in _CUES.finditer(words) if not _noun(words, m)), None)
    return bool(first) and first.lastgroup == "reject"  # type: ignore[union-attr]


def _mentions(judgment: Judgment) -> tuple[list[_Mention], list[_Ruling]]:
    text, country = judgment.text, judgment.meta.country
    folded = fold(text)
    mentions: list[_Mention] = []
    rulings: list[_Ruling] = []
    told: list[_Mention] = []  # the mentions of the last clause that holds sums
    claimant = ""  # the last party named as the subject of a clause
    last_named = ""  # the last party whose claim a clause names ("la demande formée par X")
    topic: _Ruling | None = None  # what the clauses since the last sum rule on (« Quant au … »)
    for clause in _clauses(judgment):
        if clause.kind == "header":
            continue
        subject = _subject(text[clause.start : clause.end], claimant)
        claimant = subject or claimant
        last_named = _named_in(text[clause.start : clause.end]) or last_named
        words = folded[clause.start : clause.end]
        lead_words = " ".join(folded[s:e] for s, e in clause.leads)
        section_words = fold(" ".join(clause.section.path)) if clause.section else ""
        # « VI. Indemnité de procédure »: the title a clause that names no head falls under
        heading_words = fold(clause.section.path[-1]) if clause.section and \
            clause.section.path else ""
        lower = text[clause.start : clause.end].lower()
        if (_PRIOR.search(lower) and not _CONFIRMED_AWARD.search(words)) \
                or _PRIOR_LEAD.search(lead_words):
            continue  # another decision's award, restated
        counterclaim = bool(_COUNTERCLAIM.search(words + section_words + lead_words))
        sums = find_amounts(text[clause.start : clause.end], country)
        if sums:
            topic = None
        elif about := _TOPIC.match(words):
            heads = frozenset(h for _, h in _heads_in(about.group("t")))
            topic = _Ruling(heads, bool(_COUNTERCLAIM.search(about.group("t"))), "",
                            any_loss="dommages" in heads and not heads & _LOSS_HEADS,
                            objects=_objects(text[clause.start + about.start("t") :
                                                  clause.start + about.end("t")]))
            if not (topic.heads or topic.objects or topic.counterclaim):
                topic = None
        if not sums and clause.kind in ("reasons", "operative", "other") \
                and (ruled := _THAT_CLAIM_REJECTED.match(words)
                     or _THAT_CLAIM_GRANTED.match(words)):
            granted = ruled.re is _THAT_CLAIM_GRANTED
            if topic and not granted:  # « Quant au préjudice matériel, … Sa demande est à rejeter »
                rulings.append(topic)
            for mention in told:
                if mention.outcome == "claimed" and (not topic or topic.covers(mention)):
                    mention.outcome = "granted" if granted else "rejected"
        if sums:
            told = []
        whole = _WHOLE_REJECTION.match(words) if not sums else None
        if clause.kind == "opinion":
            pass  # the prosecutor's opinion appended to a ruling tells claims, it rules on none
        elif whole and clause.kind in ("operative", "other"):
            rulings.append(_Ruling(frozenset(HEADS), False, _named_whole(
                text[clause.start : clause.start + whole.end()])))
        elif not sums and clause.kind in ("reasons", "operative", "other") and \
                (every := _ALL_CLAIMS_OF.search(text[clause.start : clause.end])):
            party = every.group("p") or every.group("q") or every.group("r")
            rulings.append(_Ruling(frozenset(HEADS), False, _party(party), True))
        elif not sums and clause.kind in ("reasons", "operative", "other") and \
                (_rejects(words) or (_VERDICT_REJECTS.search(words) and not _PLEA.search(words)
                                     and not _THAT_CLAIM_REJECTED.match(words))) and \
                (_RULED_CLAIM.search(words) or _specific_head(words)
                 or (re.search(_NO_AWARD, words) and _specific_head(heading_words))):
            demand = re.search(r"\b[Ll]a demande (?:principale )?d(?:e\s+|['’])(.+?)" + _PARTY_STOP,
                               text[clause.start : clause.end])
            debouted = _DEBOUTED.search(text[clause.start : clause.end])
            heads = frozenset(h for _, h in _heads_in(words)) \
                or frozenset(h for _, h in _heads_in(heading_words))
            party = demand.group(1) if demand else debouted.group("p") if debouted else ""
            rulings.append(_Ruling(heads, counterclaim, _party(party),
                                   any_loss="dommages" in heads and not heads & _LOSS_HEADS
                                   and not _ABUSE.search(words),
                                   objects=_ruled_objects(text[clause.start : clause.end], words)))
        for n, money in enumerate(sums):
            at, end = money.start, money.end
            spelled = _IN_WORDS.search(words[max(0, at - 150) : at])
            lead = max(0, at - 150) + spelled.start() if spelled else at
            if not (_PAYMENT_OBJECT.search(words[max(0, lead - 50) : at])
                    or words.startswith("|") or _titled(words, end)
                    # « Condamne X à payer à Y : - 12.345,67 € bruts à titre d'indemnité … »
                    or (clause.item and _PAYMENT_OBJECT.search(lead_words[-80:])
                        and not _COSTS.search(lead_words[-80:]))):
                continue
            if _reported(words, at, end) or (clause.item and _REPORTED.search(lead_words)) \
                    or _costs(words, at, lead_words if clause.item else ""):
                continue
            kind = "claims" if _party_says(words, at) or _REQUESTED.match(words) else clause.kind
            outcome = _voice(words, at, kind, text[clause.start : clause.end], end)
            if outcome is None and clause.item:
                outcome = _voice(lead_words, len(lead_words), clause.kind)
            if outcome is None or (outcome != "claimed" and clause.kind == "opinion") \
                    or (outcome == "claimed" and _DEMAND_TOLD.search(words, 0, at)):
                continue
            previous = sums[n - 1].end if n else 0
            following = sums[n + 1].start if n + 1 < len(sums) else len(words)
            head = _head(words, previous, at, following,
                         " ".join((words, lead_words, heading_words)), end)
            absolute = replace(money, start=clause.start + at, end=clause.start + end)
            creditor, debtor, plural = _parties(text, clause, clause.start + at)
            for s, e in reversed(clause.leads):  # « Condamne X à payer à Y : - 500 € … »
                if not (creditor and debtor):
                    lead_creditor, lead_debtor, _ = _parties(text, replace(clause, start=s, end=e,
                                                                           leads=()), e)
                    creditor, debtor = creditor or lead_creditor, debtor or lead_debtor
            if outcome == "claimed" and not creditor:
                # "SOCIETE3.) demande ... à lui payer", "Elle demande", "X demande : - ..."
                creditor = subject or next(
                    (name for s, e in clause.leads if (name := _subject(text[s:e], ""))), "")
                if not creditor and _REQUESTED.match(words) and _TO_HIM.search(words, 0, at):
                    creditor = claimant  # « A demande au Tribunal de : » … « Condamner B à lui … »
            if outcome != "claimed":  # "la condamne à payer" names its debtor before
                debtor = _pronoun_debtor(text[clause.start : clause.start + at],
                                         last_named) or debtor
            each = _each_creditor(text[clause.start : clause.end], at, creditor, plural)
            for name in each or [creditor]:
                mentions.append(_Mention(absolute, clause, outcome, head, name, debtor,
                                         plural and not each, counterclaim,
                                         titled=head != "autre"
                                         and bool(_FOR_HEAD.match(words, end)),
                                         context=_sum_context(words, previous, at, end,
                                                              following)))
                told.append(mentions[-1])
    return mentions, rulings


# -- claims resolved, rows merged ---------------------------------------------------------------


def _drop_totals(claims: list[_Mention]) -> None:
    """A sum claimed that equals a run of 2 to 6 sums claimed next to each other is their
    total: the parts give way to it when they all have its head, it gives way to them when it
    has no specific head (« 70.000 euros » of damages = the four heads of the table)."""
    for total in claims:
        for i in range(len(claims)):
            run: list[_Mention] = []
            for part in claims[i : i + 6]:
                if part is total or part.money.value >= total.money.value:
                    break
                run.append(part)
                if len(run) >= 2 and abs(sum(p.money.value for p in run)
                                         - total.money.value) < 0.005:
                    if all(p.head == total.head for p in run):
                        for p in run:
                            p.dropped = True
                    elif total.head in _GENERIC_HEADS:
                        total.dropped = True
                    break


def _reduced_damages(claim: _Mention, claims: list[_Mention], decided: list[_Mention]) -> bool:
    """« X demande 5.000.000 FCFA à titre de dommages-intérêts » and the court grants X
    2.000.000 FCFA of dommages-intérêts: the one damages claim of a party, granted for less
    (damages for an abusive procedure are a claim of their own)."""
    if claim.head != "dommages" or not claim.creditor:
        return False
    key, abuse = party_key(claim.creditor), bool(_ABUSE.search(claim.context))
    if sum(1 for c in claims if c.head == "dommages" and not c.dropped
           and party_key(c.creditor) == key) != 1:
        return False
    return any(d.outcome == "granted" and d.head == "dommages" and d.creditor
               and party_key(d.creditor) == key and d.money.value < claim.money.value
               and d.money.currency == claim.money.currency
               and bool(_ABUSE.search(d.context)) == abuse for d in decided)


def _resolve(mentions: list[_Mention], rulings: list[_Ruling]) -> list[_Mention]:
    claims = [m for m in mentions if m.outcome == "claimed"]
    _drop_totals(claims)
    decided = [m for m in mentions if m.outcome != "claimed"]
    for claim in claims:
        if claim.dropped:
            continue
        same_sum = [d for d in decided if d.money.value == claim.money.value
                    and d.money.currency == claim.money.currency
                    and (d.head == claim.head or {d.head, claim.head} & _GENERIC_HEADS)]
        if same_sum:
            claim.dropped = True  # the grant (or rejection) of this very sum is its row
        elif any(d.outcome == "granted" and d.head == claim.head
                 for d in decided if claim.head not in _GENERIC_HEADS) \
                or _reduced_damages(claim, claims, decided):
            claim.outcome = "rejected"  # reduced: granted under the same head for less
        else:
            covering = [r for r in rulings if r.covers(claim)]
            if covering:
                claim.outcome = "rejected"
                claim.creditor = claim.creditor or next((r.party for r in covering if r.party), "")
    kept = [m for m in mentions if not m.dropped]
    condemned = {party_key(m.debtor): m.debtor for m in kept if m.outcome == "granted" and m.debtor}
    if len(condemned) == 1:  # one party condemned: the other claims against it are against it
        ((key, debtor),) = condemned.items()
        for m in kept:
            if not m.debtor and not m.counterclaim and party_key(m.creditor) != key:
                m.debtor = debtor
    return kept


def _rows_of(group: list[_Mention]) -> list[tuple[_Mention, str, str]]:
    """(representative mention, creditor, debtor) of each row in a group of mentions of one
    sum, head and outcome: one per creditor named; mentions naming none count as the most
    that one part of the judgment says the sum."""
    named: dict[str, list[_Mention]] = {}
    unnamed: list[_Mention] = []
    for m in group:
        if m.creditor and not m.plural:
            named.setdefault(party_key(m.creditor), []).append(m)
        elif not m.plural:
            unnamed.append(m)
    per_part = Counter(m.clause.kind for m in unnamed)
    extra = max(per_part.values(), default=0) - len(named)
    debtors = [m.debtor for m in sorted(group, key=lambda m: m.rank) if m.debtor]
    rows = []
    for mentions in named.values():
        best = min(mentions, key=lambda m: m.rank)
        rows.append((best, best.creditor, best.debtor or (debtors[0] if debtors else "")))
    if extra > 0:
        part = min(per_part, key=lambda k: (-per_part[k], _SECTION_PREFERENCE.get(k, 2)))
        for m in sorted((m for m in unnamed if m.clause.kind == part), key=lambda m: m.rank)[
                :extra]:
            rows.append((m, "", m.debtor or (debtors[0] if debtors else "")))
    if not rows:
        best = min(group, key=lambda m: m.rank)
        rows.append((best, "", best.debtor or (debtors[0] if debtors else "")))
    return rows


def party_key(party: str) -> str:
    """A party name reduced for comparison: cleaned as the table shows it, folded, without
    articles ("l'SOCIETE1.)" and "SOCIETE1.)" are one party) or a leading « société »."""
    cleaned = _party(party) or party
    key = " ".join(re.sub(r"\b(?:l'|le |la |les )", " ", fold(cleaned)).split())
    return re.sub(r"^(?:societe|compagnie) (?=\S)", "", key)  # « Compagnie X » = « société X »


def _quote_span(text: str, clause: _Clause, money: Money, limit: int = 400) -> tuple[int, int]:
    """The clause around the sum, cut at word boundaries to at most `limit` characters (and
    widened to 20 when the clause is shorter)."""
    start, end = clause.start, clause.end
    if end - start < 20:
        start, end = max(0, end - 20), max(end, min(len(text), start + 20))
    if end - start > limit:
        room = (limit - (money.end - money.start)) // 2
        start = max(start, money.start - room)
        end = min(end, start + limit)
        start = max(clause.start, min(start, end - limit))
        while start < money.start and start > clause.start and not text[start - 1].isspace():
            start += 1
        while end > money.end and end < clause.end and not text[end].isspace():
            end -= 1
    return start, end


_TRADE_NAME = re.compile(
    r"(?<![^\s('’])(?P<name>(?:[A-ZÀ-Þ][^\s,;:(«»]*\s){0,2}[A-ZÀ-Þ][^\s,;:(«»]*)"
    r"\s*,\s*(?:exerçant|agissant|opérant)"
    r"\s+sous\s+(?:la\s+|l['’]\s*)?(?:dénomination|enseigne|nom)(?:\s+commerciale?)?"
    r"\s*«\s*(?P<alias>[^»]{1,60}?)\s*»")


def _trade_names(text: str) -> dict[str, str]:
    """party_key of a trade name -> the party that trades under it ("l'SOCIETE1.), exerçant
    sous la dénomination « SOCIETE2.) »"): one party, whichever name a sentence uses."""
    names: dict[str, str] = {}
    for match in _TRADE_NAME.finditer(text):
        party, alias = _party(match.group("name")), _party(match.group("alias"))
        if party and alias:
            names.setdefault(party_key(alias), party)
    return names


def extraction(judgment: Judgment) -> Extraction:
    """The damages table of one judgment, every quote checked against its text."""
    mentions, rulings = _mentions(judgment)
    mentions = _resolve(mentions, rulings)
    trade_names = _trade_names(judgment.text)
    for m in mentions:
        m.creditor = trade_names.get(party_key(m.creditor), m.creditor)
        m.debtor = trade_names.get(party_key(m.debtor), m.debtor)
    specific: dict[tuple[float, str, str], set[str]] = {}
    for m in mentions:
        if m.head not in _GENERIC_HEADS:
            specific.setdefault((m.money.value, m.money.currency, m.outcome), set()).add(m.head)
    groups: dict[tuple[float, str, str, str], list[_Mention]] = {}
    for m in mentions:
        heads = specific.get((m.money.value, m.money.currency, m.outcome), set())
        if m.head in _GENERIC_HEADS and len(heads) == 1 and not m.titled:
            m.head = next(iter(heads))  # "ce préjudice ... 500 euros" is the image one
        groups.setdefault((m.money.value, m.money.currency, m.head, m.outcome), []).append(m)
    text, meta = judgment.text, judgment.meta
    rows = []
    for group in groups.values():
        for m, creditor, debtor in _rows_of(group):
            start, end = _quote_span(text, m.clause, m.money)
            paragraph = next((p for p in judgment.paragraphs
                              if p.char_start <= m.money.start < p.char_end), None)
            number = paragraph.number if paragraph else None
            label = paragraph.label if paragraph else ""
            section = m.clause.section
            rows.append(AmountRow(
                judgment_id=meta.id, value=m.money.value, currency=m.money.currency,
                amount_text=m.money.written(text), head=m.head, outcome=m.outcome,
                creditor=creditor, debtor=debtor, section_kind=m.clause.kind,
                char_start=start, char_end=end, quote=text[start:end], court=meta.court,
                date=meta.date, decision_number=meta.decision_number, ecli=meta.ecli,
                citation=format_citation(meta, section.path if section else (), m.clause.kind,
                                         number, number, paragraph_label_start=label,
                                         paragraph_label_end=label),
            ))  # fmt: skip
    rows.sort(key=lambda r: r.char_start)
    kept, dropped = checked_rows(rows, text, meta.country)
    return Extraction(tuple(kept), tuple(dropped))


def checked_rows(rows: Iterable[AmountRow], text: str,
                 country: str = "") -> tuple[list[AmountRow], list[AmountRow]]:
    """(kept, dropped): a row is kept only when its quote is the slice of `text` at its
    offsets, holds the amount as written, and that amount parses back to its value."""
    kept: list[AmountRow] = []
    dropped: list[AmountRow] = []
    for row in rows:
        parsed = parse_amount(row.amount_text, country)
        ok = (0 <= row.char_start < row.char_end <= len(text)
              and text[row.char_start : row.char_end] == row.quote
              and row.amount_text in row.quote
              and parsed is not None and abs(parsed[0] - row.value) < 0.005
              and parsed[1] == row.currency)  # fmt: skip
        (kept if ok else dropped).append(row)
    return kept, dropped


def extract_amounts(judgment: Judgment) -> list[AmountRow]:
    """The sums claimed, granted and rejected in `judgment`, in text order."""
    return list(extraction(judgment).rows)


# -- the store ----------------------------------------------------------------------------------


class JudgmentSource(Protocol):
    """What `amounts_in_store` reads (`store.Store` provides it)."""

    def judgments(self) -> list[JudgmentMeta]: ...
    def judgment(self, judgment_id: str) -> Judgment: ...


@dataclass
class AmountsCache:
    """Rows per (judgment id, content hash): a judgment is read and analysed once per
    version, however many times the table is asked for."""

    rows: dict[tuple[str, str], tuple[AmountRow, ...]] = field(default_factory=dict)

    def of(self, source: JudgmentSource, meta: JudgmentMeta) -> tuple[AmountRow, ...]:
        key = (meta.id, meta.content_hash)
        if key not in self.rows:
            self.rows[key] = extraction(source.judgment(meta.id)).rows
        return self.rows[key]


_CACHE = AmountsCache()


def amounts_in_store(store: JudgmentSource, filters: AmountFilters | None = None,
                     cache: AmountsCache | None = None) -> list[AmountRow]:
    """The rows of every judgment of `store` that pass `filters`, by date, judgment, place."""
    filters = filters or AmountFilters()
    cache = cache if cache is not None else _CACHE
    rows = [row for meta in store.judgments() if filters.keeps_judgment(meta)
            for row in cache.of(store, meta) if filters.keeps(row)]
    return sorted(rows, key=lambda r: (r.date, r.judgment_id, r.char_start))
