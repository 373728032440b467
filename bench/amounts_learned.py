"""A learned per-mention damages table against the hand-written rules, on the same decisions.

    .venv/bin/python bench/amounts_learned.py --out bench/amounts-learned.json

Experiment for issue 14 (not wired into `assistant.amounts`). Every sum the extractor's
mention finder reads (`find_amounts` in each clause of `_clauses`, any section) is a
candidate. Its label comes from the development label files: a mention is a row when a label
of the same file has its value and currency; its outcome is that label's (the label whose quote
holds the mention when several outcomes share the value, else the most frequent). Features are
generic and few (section kind, cue words before and after the sum, the nearest cue's voice and
mood, position, report and cost markers, the head the rules' head finder names, how the same
sum is told elsewhere in the judgment); two optional groups: 'rules' (the rules' own rows for
the sum, and whether the rules kept this mention) and 'doc' (added in a second round, after
reading the first round's errors: whether the judgment has an operative part, rejects,
condemns, is a supreme court's, rejects the mention's head without a sum, grants its head for
another sum). Two models: (a) row or not, (b) outcome, each a logistic regression or gradient
boosting, with no tuning (threshold 0.5).

Rows of the learned variant: per judgment and (value, currency), the sum is a row when one of
its mentions has p(row) >= 0.5; its outcome is the argmax of the outcome probabilities summed
over those mentions, weighted by p(row); one row per creditor the rules' party finder names
next to those mentions, else one. Rows are scored as `bench/amounts.py` scores them (same
pairing on value, currency and outcome); outcome accuracy is over the labels paired with a row
of the same value and currency whatever its outcome. 'ceiling' builds rows from the mentions'
own targets: what a perfect per-mention classifier would score with this row building.

Evaluation: GroupKFold(5) grouped by decision file over all the sets together, the rules
scored on exactly the same test decisions; then train on the sets labelled before each blind
set and test on it (fresh3; fresh2; fresh), and train on dev, test on dev2 + fresh. The rules
of now were built on dev, dev2, fresh and fresh2, so their figures there are in-sample; each
split also scores the rules as they stood before its test sets were used (`git archive` of
that commit's code, run in a subprocess). The learned features reuse helpers of the rules of
now (cues, report and cost markers, head), so the learned figures are not entirely
out-of-sample either. Held-out label files are refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import amounts as am  # noqa: E402
from assistant.amounts import OUTCOMES, AmountRow, Outcome  # noqa: E402
from bench.amounts import pair, shown_path  # noqa: E402
from ingest.pipeline import judgments_in_file  # noqa: E402
from store.records import Judgment  # noqa: E402

SETS = (  # name, labels, files, corpus (relative to the repository root)
    ("dev", "eval/amounts_dev.jsonl", "eval/amounts_dev_files.txt", "data/corpus"),
    ("dev2", "eval/amounts_dev2.jsonl", "eval/amounts_dev2_files.txt", "../shared/corpus-open"),
    ("fresh", "eval/amounts_dev2_fresh.jsonl", "eval/amounts_dev2_fresh_files.txt",
     "../shared/corpus-open"),
    ("fresh2", "eval/amounts_fresh2.jsonl", "eval/amounts_fresh2_files.txt",
     "../shared/corpus-open"),
    ("fresh3", "eval/amounts_fresh3.jsonl", "eval/amounts_fresh3_files.txt",
     "../shared/corpus-open"),
)
SET_CORPUS = {name: corpus for name, _, _, corpus in SETS}
# Compact cue list, on folded text (lower case, no accents).
CUES = {
    "condamn": r"\bcondamn", "alloue": r"\balloue", "accord": r"\baccord", "fixe": r"\bfix",
    "fonde": r"(?<!non )(?<!non-)\bfonde", "non_fonde": r"\bnon[- ]fonde", "rejet": r"\brejet",
    "deboute": r"\bdebout", "reclame": r"\breclam", "sollicite": r"\bsollicit",
    "demande": r"\bdemand", "voir": r"\bvoir (?:condamn|dire)", "titre": r"\ba titre d",
    "au_titre": r"\bau titre d", "payer": r"\b(?:payer|verser|regler|rembourser)\b",
    "somme": r"\b(?:somme|montant)\b", "indemnite": r"\bindemnit", "confirme": r"\bconfirm",
    "infirme": r"\b(?:infirm|reform|annul|cass)", "depens": r"\bdepens\b",
    "frais": r"\bfrais\b", "amende": r"\bamende", "prix": r"\b(?:prix|factur|loyer|salaire)",
    "interets": r"\binterets\b", "chacun": r"\bchacune?\b", "reconvention": r"reconvention",
    "n_y_avoir_lieu": r"n'y a(?:voir)? (?:pas )?lieu",
}  # fmt: skip
AFTER = {
    "passive_grant": r"^[^;.]{0,60}?\b(?:est|sont) (?:accordee?s?|allouee?s?|fixee?s?)",
    "passive_reject": r"^[^;.]{0,60}?\b(?:est|sont) (?:rejetee?s?|non fondee?s?)",
    "titre": r"^[^;.]{0,40}?\b(?:a|au) titre d", "interets": r"^[^;.]{0,60}?\binterets\b",
}
REPORT = re.compile(r"\bpar (?:jugement|arret|ordonnance|decision)\b|\bl'arret (?:attaque|d'appel)"
                    r"|\bgrief\b|\bpremiers? juges?\b|\bla cour d'appel\b|\ble tribunal a\b")
_CUE_RES = {name: re.compile(rx) for name, rx in CUES.items()}
_AFTER_RES = {name: re.compile(rx) for name, rx in AFTER.items()}
# The extractor as it stood before each blind set was used (the commit of its blind check).
BUILT_BEFORE_FRESH3 = "342acb4"  # built on dev, dev2, fresh and fresh2
BUILT_ON_DEV_DEV2_FRESH = "e1c0ff6"  # before fresh2
BUILT_ON_DEV_DEV2 = "e0d97df"  # before fresh
BUILT_ON_DEV = "726542f"  # before dev2
_BEFORE = 150  # characters before a sum (in its clause) where cue words are looked for


@dataclass
class Mention:
    """One money mention with its features and targets."""

    set: str
    file: str
    judgment: int  # index of the judgment in its file
    money: am.Money
    clause: Any  # assistant.amounts._Clause
    voice: str  # the rules' cue voice for this mention alone: claimed/granted/rejected/none
    features: dict[str, float] = field(default_factory=dict)
    row: int = 0
    outcome: str = ""


@dataclass
class Decision:
    """A labelled decision file: its judgments, mentions, labels and the rules' rows."""

    set: str
    file: str
    judgments: list[Judgment]
    labels: list[dict[str, Any]]
    mentions: list[Mention]
    rule_rows: list[AmountRow]


def load_lines(path: Path) -> list[str]:
    """The non-empty lines of a file, stripped."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def mood(written: str) -> str:
    """The mood of a cue word as written (accents kept): infinitive, participle, conditional,
    imperfect or present."""
    word = written.lower()
    if word.endswith(("rait", "raient")):
        return "conditional"
    if word.endswith(("ait", "aient")):
        return "imperfect"
    if word.endswith("er"):
        return "infinitive"
    if re.search(r"é(?:e|s|es)?$", word):
        return "participle"
    return "present"


def nearest_cue(words: str, written: str, at: int) -> tuple[str, str, int]:
    """(voice, mood, distance) of the nearest rules cue before `at` in a clause, not a noun."""
    cues = [m for m in am._CUES.finditer(words[:at]) if not am._noun(words, m)]
    if not cues:
        return "none", "none", 999
    cue = cues[-1]
    token = re.match(r"\w+", written[cue.start() :])
    return str(cue.lastgroup), mood(token.group() if token else ""), at - cue.start()


def mention_features(judgment: Judgment, clause: Any, money: am.Money, n: int,
                     sums: list[am.Money]) -> dict[str, float]:
    """The features of one mention that do not depend on the other mentions."""
    text = judgment.text
    written = text[clause.start : clause.end]
    words = am.fold(written)
    at, end = money.start, money.end
    before = words[max(0, at - _BEFORE) : at]
    after = words[end : end + 80]
    lead = " ".join(am.fold(text[s:e]) for s, e in clause.leads)
    f: dict[str, float] = {f"kind={clause.kind}": 1.0, "item": float(clause.item)}
    for name, rx in _CUE_RES.items():
        if rx.search(before):
            f[f"before:{name}"] = 1.0
        if rx.search(lead):
            f[f"lead:{name}"] = 1.0
    for name, rx in _AFTER_RES.items():
        if rx.search(after):
            f[f"after:{name}"] = 1.0
    voice, verb_mood, distance = nearest_cue(words, written, at)
    f[f"cue={voice}"] = 1.0
    f[f"mood={verb_mood}"] = 1.0
    f["cue_near"] = float(distance <= 60)
    f["conditional"] = float(bool(am._CONDITIONAL.search(words[:at])))
    f["position"] = (clause.start + at) / max(1, len(text))
    f["prior"] = float(bool(am._PRIOR.search(written.lower())))
    f["reported"] = float(am._reported(words, at) or bool(REPORT.search(before)))
    f["costs"] = float(am._costs(words, at, lead if clause.item else ""))
    f["payment_object"] = float(bool(am._PAYMENT_OBJECT.search(words[max(0, at - 50) : at])))
    previous = sums[n - 1].end if n else 0
    following = sums[n + 1].start if n + 1 < len(sums) else len(words)
    f[f"head={am._head(words, previous, at, following, words + ' ' + lead)}"] = 1.0
    f["log_value"] = math.log10(max(money.value, 1.0)) / 6
    f["eur"] = float(money.currency == "EUR")
    f["sums_in_clause"] = min(len(sums), 6) / 6
    return f


def judgment_mentions(set_name: str, file: str, index: int, judgment: Judgment) -> list[Mention]:
    """Every money mention of a judgment, with its own features."""
    found = []
    for clause in am._clauses(judgment):
        written = judgment.text[clause.start : clause.end]
        sums = am.find_amounts(written, judgment.meta.country)
        words = am.fold(written)
        for n, money in enumerate(sums):
            voice = am._voice(words, money.start, clause.kind, written)
            if voice is None and clause.item:
                lead = " ".join(am.fold(judgment.text[s:e]) for s, e in clause.leads)
                voice = am._voice(lead, len(lead), clause.kind)
            absolute = am.Money(clause.start + money.start, clause.start + money.end,
                                money.value, money.currency)
            mention = Mention(set_name, file, index, absolute, clause, voice or "none")
            mention.features = mention_features(judgment, clause, money, n, sums)
            found.append(mention)
    return found


def add_context(mentions: list[Mention]) -> None:
    """Features of how the same sum is told elsewhere in its judgment."""
    by_sum: dict[tuple[int, float, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        by_sum[(m.judgment, m.money.value, m.money.currency)].append(m)
    for group in by_sum.values():
        kinds = {m.clause.kind for m in group}
        voices = {m.voice for m in group}
        for k, m in enumerate(group):
            f = m.features
            f["same_count"] = min(len(group), 5) / 5
            f["same_in_operative"] = float("operative" in kinds)
            f["same_in_claims"] = float(bool(kinds & {"claims", "procedure", "facts"}))
            for voice in ("claimed", "granted", "rejected"):
                f[f"same_voice={voice}"] = float(voice in voices)
            f["first_of_sum"] = float(k == 0)
            f["last_of_sum"] = float(k == len(group) - 1)


def add_document(judgment: Judgment, mentions: list[Mention]) -> None:
    """Round-2 features, of the judgment as a whole (prefixed 'doc:'): whether it has an
    operative part and what that part does (rejects, condemns), whether the court is a
    supreme court, whether the mention's head is named where a claim is rejected without a sum,
    and whether the same head is granted for another sum (a reduced claim)."""
    text = judgment.text
    operative = " ".join(am.fold(text[c.start : c.end]) for c in am._clauses(judgment)
                         if c.kind == "operative")
    rejected_heads: set[str] = set()
    for clause in am._clauses(judgment):
        words = am.fold(text[clause.start : clause.end])
        if clause.kind in ("reasons", "operative", "other") and re.search(
                r"\b(?:rejet|debout|non[- ]fonde)", words) and not am.find_amounts(
                text[clause.start : clause.end], judgment.meta.country):
            rejected_heads |= {h for _, h in am._heads_in(words)}
    court = am.fold(judgment.meta.court)
    heads = {id(m): next((k[5:] for k in m.features if k.startswith("head=")), "")
             for m in mentions}
    for m in mentions:
        f = m.features
        f["doc:has_operative"] = float(bool(operative))
        f["doc:operative_rejects"] = float(bool(re.search(r"\b(?:rejet|debout)", operative)))
        f["doc:operative_condemns"] = float(bool(re.search(r"\b(?:condamn|alloue)", operative)))
        f["doc:supreme"] = float(bool(re.search(r"cassation|supreme|conseil d'etat", court)))
        f["doc:head_rejected"] = float(heads[id(m)] in rejected_heads - {"dommages"})
        f["doc:head_granted_other_sum"] = float(any(
            o.voice == "granted" and heads[id(o)] == heads[id(m)] and heads[id(m)] != "autre"
            and o.money.value != m.money.value for o in mentions))


def add_rules(mentions: list[Mention], rule_rows: list[AmountRow], kept: set[int]) -> None:
    """The rules' own prediction as features: the outcomes of their rows for this sum, and
    whether this very mention is one the rules kept."""
    outcomes: dict[tuple[float, str], set[str]] = defaultdict(set)
    for row in rule_rows:
        outcomes[(row.value, row.currency)].add(row.outcome)
    for m in mentions:
        found = outcomes.get((m.money.value, m.money.currency), set())
        m.features["rules:row"] = float(bool(found))
        for outcome in found:
            m.features[f"rules:{outcome}"] = 1.0
        m.features["rules:mention_kept"] = float(m.money.start in kept)


def label_mentions(mentions: list[Mention], labels: list[dict[str, Any]],
                   texts: list[str]) -> None:
    """Targets: a row when a label of the file has the value and currency; the outcome of the
    label whose quote holds the mention, else the most frequent among those labels."""
    for m in mentions:
        same = [lab for lab in labels if abs(lab["value"] - m.money.value) < 0.005
                and lab["currency"] == m.money.currency]
        if not same:
            continue
        m.row = 1
        text = texts[m.judgment]
        holding = []
        for lab in same:
            at = text.find(lab["quote"])
            while at >= 0:
                if at <= m.money.start < at + len(lab["quote"]):
                    holding.append(lab["outcome"])
                at = text.find(lab["quote"], at + 1)
        pool = holding or [lab["outcome"] for lab in same]
        m.outcome = Counter(pool).most_common(1)[0][0]


def load(sets: list[tuple[str, str, str, str]]) -> list[Decision]:
    """Every labelled decision of the sets, read as `bench/amounts.py` reads it."""
    decisions = []
    for name, labels_path, files_path, corpus in sets:
        labels = [json.loads(line) for line in load_lines(ROOT / labels_path)]
        for file in load_lines(ROOT / files_path):
            judgments = list(judgments_in_file(ROOT / corpus / file))
            mentions: list[Mention] = []
            rule_rows: list[AmountRow] = []
            for index, judgment in enumerate(judgments):
                mine = judgment_mentions(name, file, index, judgment)
                add_context(mine)
                add_document(judgment, mine)
                rows = list(am.extraction(judgment).rows)
                kept = {m.money.start for m in am._resolve(*am._mentions(judgment))}
                add_rules(mine, rows, kept)
                mentions += mine
                rule_rows += rows
            own = [lab for lab in labels if lab["file"] == file]
            label_mentions(mentions, own, [j.text for j in judgments])
            decisions.append(Decision(name, file, judgments, own, mentions, rule_rows))
    return decisions


# -- models -------------------------------------------------------------------------------------


Model = Callable[[], Any]


def logistic() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0, max_iter=2000)


def boosting() -> Any:
    from sklearn.ensemble import GradientBoostingClassifier

    return GradientBoostingClassifier(n_estimators=150, max_depth=3, learning_rate=0.05,
                                      subsample=0.8, random_state=0)


MODELS: dict[str, Model] = {"logistic": logistic, "boosting": boosting}


def matrix(mentions: list[Mention], names: list[str]) -> np.ndarray:
    """Feature matrix over `names` (features not named are left out)."""
    x = np.zeros((len(mentions), len(names)))
    column = {n: k for k, n in enumerate(names)}
    for i, m in enumerate(mentions):
        for n, v in m.features.items():
            if n in column:
                x[i, column[n]] = v
    return x


def used(name: str, groups: frozenset[str]) -> bool:
    """Whether a feature is in the variant's groups ('rules', 'doc'; the rest always)."""
    prefix = name.split(":", 1)[0] if ":" in name and name.split(":", 1)[0] in (
        "rules", "doc") else ""
    return not prefix or prefix in groups


@dataclass
class Fitted:
    """The two fitted models and the feature names they read."""

    names: list[str]
    row: Any
    outcome: Any
    outcome_classes: list[str]


def train(mentions: list[Mention], make: Model, groups: frozenset[str]) -> Fitted:
    """Fit (a) row or not on every mention, (b) outcome on the row mentions."""
    names = sorted({n for m in mentions for n in m.features if used(n, groups)})
    x = matrix(mentions, names)
    y = np.array([m.row for m in mentions])
    row_model = make().fit(x, y)
    positive = [m for m in mentions if m.row]
    classes = sorted({m.outcome for m in positive})
    outcome_model = make().fit(matrix(positive, names), [m.outcome for m in positive])
    return Fitted(names, row_model, outcome_model, classes)


def learned_rows(decision: Decision, fitted: Fitted, threshold: float = 0.5) -> list[AmountRow]:
    """The learned variant's rows of one decision file (quotes verbatim, as the rules cut)."""
    if not decision.mentions:
        return []
    x = matrix(decision.mentions, fitted.names)
    p_row = fitted.row.predict_proba(x)[:, 1]
    p_outcome = fitted.outcome.predict_proba(x)
    classes = list(fitted.outcome.classes_)
    groups: dict[tuple[int, float, str], list[int]] = defaultdict(list)
    for i, m in enumerate(decision.mentions):
        if p_row[i] >= threshold:
            groups[(m.judgment, m.money.value, m.money.currency)].append(i)
    rows: list[AmountRow] = []
    for (index, _, _), members in groups.items():
        weights = sum(p_row[i] * p_outcome[i] for i in members)
        outcome: Outcome = classes[int(np.argmax(weights))]
        judgment = decision.judgments[index]
        rows += build_rows(judgment, [decision.mentions[i] for i in members], outcome)
    return rows


def build_rows(judgment: Judgment, members: list[Mention], outcome: Outcome) -> list[AmountRow]:
    """Rows of one sum: one per creditor the rules' party finder names next to a mention
    (« chacun » mentions name none), else one; each quoted from its best-placed mention
    (operative part first), cut as the rules cut."""
    text = judgment.text
    made = []
    for m in members:
        creditor, debtor, plural = am._parties(text, m.clause, m.money.start)
        words = am.fold(text[m.clause.start : m.clause.end])
        lead = " ".join(am.fold(text[s:e]) for s, e in m.clause.leads)
        rel = m.money.start - m.clause.start
        head = am._head(words, 0, rel, len(words), words + " " + lead)
        made.append(am._Mention(m.money, m.clause, outcome, head, creditor if not plural else "",
                                debtor, plural))
    by_creditor: dict[str, list[am._Mention]] = defaultdict(list)
    for m in made:
        if m.creditor:
            by_creditor[am.party_key(m.creditor)].append(m)
    chosen = [min(group, key=lambda m: m.rank) for group in by_creditor.values()] or [
        min(made, key=lambda m: m.rank)]
    debtors = [m.debtor for m in sorted(made, key=lambda m: m.rank) if m.debtor]
    rows = []
    for m in chosen:
        start, end = am._quote_span(text, m.clause, m.money)
        rows.append(AmountRow(
            judgment_id=judgment.meta.id, value=m.money.value, currency=m.money.currency,
            amount_text=m.money.written(text), head=m.head, outcome=outcome,
            creditor=m.creditor, debtor=m.debtor or (debtors[0] if debtors else ""),
            section_kind=m.clause.kind, char_start=start, char_end=end,
            quote=text[start:end]))  # fmt: skip
    kept, dropped = am.checked_rows(rows, text, judgment.meta.country)
    assert not dropped, "a learned row's quote is not verbatim"
    return kept


def gold_rows(decision: Decision) -> list[AmountRow]:
    """The rows built from the mentions' own targets: the ceiling of this way of building rows
    (what a perfect per-mention classifier would score)."""
    groups: dict[tuple[int, float, str, str], list[Mention]] = defaultdict(list)
    for m in decision.mentions:
        if m.row:
            groups[(m.judgment, m.money.value, m.money.currency, m.outcome)].append(m)
    return [row for (index, _, _, outcome), members in groups.items()
            for row in build_rows(decision.judgments[index], members, outcome)]  # type: ignore[arg-type]


# -- scoring ------------------------------------------------------------------------------------


def score(decisions: list[Decision], rows_of: Callable[[Decision], list[AmountRow]]) -> dict:
    """Precision and recall of rows (bench/amounts.py pairing), per outcome, and outcome
    accuracy over the labels paired on value and currency alone."""
    counts: Counter[str] = Counter()
    for decision in decisions:
        rows = rows_of(decision)
        labels = decision.labels
        pairs = pair(labels, rows)
        counts["labels"] += len(labels)
        counts["rows"] += len(rows)
        counts["found"] += len(pairs)
        for o in OUTCOMES:
            counts[f"labels:{o}"] += sum(lab["outcome"] == o for lab in labels)
            counts[f"rows:{o}"] += sum(r.outcome == o for r in rows)
            counts[f"found:{o}"] += sum(labels[i]["outcome"] == o for i, _ in pairs)
        loose = pair([{**lab, "outcome": "-"} for lab in labels],
                     [_with_outcome(r, "-") for r in rows])
        counts["value_found"] += len(loose)
        counts["outcome_right"] += sum(labels[i]["outcome"] == rows[j].outcome for i, j in loose)
    return summary(counts)


def _with_outcome(row: AmountRow, outcome: str) -> AmountRow:
    from dataclasses import replace

    return replace(row, outcome=outcome)  # type: ignore[arg-type]


def ratio(hit: int, total: int) -> float | None:
    return round(hit / total, 3) if total else None


def summary(counts: Counter[str]) -> dict:
    return {
        "labels": counts["labels"], "rows": counts["rows"], "found": counts["found"],
        "precision": ratio(counts["found"], counts["rows"]),
        "recall": ratio(counts["found"], counts["labels"]),
        "value_found": counts["value_found"],
        "outcome_accuracy": ratio(counts["outcome_right"], counts["value_found"]),
        "per_outcome": {o: {"labels": counts[f"labels:{o}"], "rows": counts[f"rows:{o}"],
                            "found": counts[f"found:{o}"]} for o in OUTCOMES},
    }  # fmt: skip


def mention_scores(mentions: list[Mention], fitted: list[tuple[Fitted, list[Mention]]]) -> dict:
    """Mention-level figures out of fold: row or not (true/false positives, misses) and the
    outcome model's accuracy on the mentions that are rows."""
    counts: Counter[str] = Counter()
    for model, test in fitted:
        if not test:
            continue
        x = matrix(test, model.names)
        predicted = model.row.predict_proba(x)[:, 1] >= 0.5
        outcome = model.outcome.predict(x)
        for m, row, said in zip(test, predicted, outcome, strict=True):
            counts["tp" if row and m.row else "fp" if row else "fn" if m.row else "tn"] += 1
            if m.row:
                counts["row_mentions"] += 1
                counts["outcome_right"] += int(said == m.outcome)
    return {"mentions": len(mentions), "row_mentions": counts["row_mentions"],
            "row_tp": counts["tp"], "row_fp": counts["fp"], "row_fn": counts["fn"],
            "outcome_right": counts["outcome_right"],
            "outcome_accuracy": ratio(counts["outcome_right"], counts["row_mentions"])}


# -- the rules as they were ----------------------------------------------------------------------


_OLD_ROWS = """
import json, sys
from pathlib import Path
from assistant.amounts import extraction
try:  # the bench's own reader in older commits, ingest's since bce987f
    from bench.amounts import judgments_of
except ImportError:
    from ingest.pipeline import judgments_in_file as judgments_of
corpus, files = Path(sys.argv[1]), json.loads(sys.argv[2])
print(json.dumps({f: [r.to_dict() for j in judgments_of(corpus / f)
                      for r in extraction(j).rows] for f in files}))
"""


def old_rules_rows(commit: str, decisions: list[Decision]) -> dict[str, list[AmountRow]]:
    """The rows the extractor of `commit` gives each decision (its code only -- assistant,
    ingest, store and its bench reader -- taken with `git archive`, run in a subprocess)."""
    names = set(AmountRow.__dataclass_fields__)
    archive = subprocess.run(["git", "archive", commit, "assistant", "ingest", "store",
                              "bench/amounts.py"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    rows: dict[str, list[AmountRow]] = {}
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        for corpus in sorted({SET_CORPUS[d.set] for d in decisions}):
            files = [d.file for d in decisions if SET_CORPUS[d.set] == corpus]
            done = subprocess.run(
                [sys.executable, "-c", _OLD_ROWS, str(ROOT / corpus), json.dumps(files)],
                cwd=folder, env={"PYTHONPATH": folder, "PATH": "/usr/bin:/bin"},
                check=True, capture_output=True, text=True)
            for file, found in json.loads(done.stdout).items():
                rows[file] = [AmountRow(**{k: v for k, v in r.items() if k in names})
                              for r in found]
    return rows


# -- experiments --------------------------------------------------------------------------------


GROUPS = (frozenset(), frozenset({"rules"}), frozenset({"doc"}), frozenset({"doc", "rules"}))


def variants() -> list[tuple[str, Model, frozenset[str]]]:
    """(name, model, feature groups): round 1 without 'doc', round 2 with it."""
    return [(name + "".join(f"+{g}" for g in sorted(groups)), make, groups)
            for name, make in MODELS.items() for groups in GROUPS]


def grouped_cv(decisions: list[Decision], folds: int) -> dict:
    """GroupKFold by decision file: the learned variants out of fold, the rules on the same
    test decisions (pooled counts, and per fold)."""
    from sklearn.model_selection import GroupKFold

    index = np.arange(len(decisions))
    splits = list(GroupKFold(n_splits=folds).split(index, groups=[d.file for d in decisions]))
    result: dict[str, Any] = {"folds": folds, "decisions": len(decisions)}
    result["rules"] = score(decisions, lambda d: d.rule_rows)
    result["ceiling"] = score(decisions, gold_rows)
    result["rules_per_fold"] = [score([decisions[i] for i in test], lambda d: d.rule_rows)
                                for _, test in splits]
    for name, make, groups in variants():
        rows_by_file: dict[str, list[AmountRow]] = {}
        fold_scores = []
        models = []
        for train_index, test_index in splits:
            train_mentions = [m for i in train_index for m in decisions[i].mentions]
            fitted = train(train_mentions, make, groups)
            test = [decisions[i] for i in test_index]
            for d in test:
                rows_by_file[d.file] = learned_rows(d, fitted)
            fold_scores.append(score(test, lambda d, r=rows_by_file: r[d.file]))
            models.append((fitted, [m for d in test for m in d.mentions]))
        result[name] = score(decisions, lambda d, r=rows_by_file: r[d.file])
        result[name]["mention_level"] = mention_scores(
            [m for d in decisions for m in d.mentions], models)
        result[f"{name}_per_fold"] = fold_scores
    return result


def split(decisions: list[Decision], train_sets: set[str], test_sets: set[str],
          old_rules: str) -> dict:
    """Train on `train_sets`, test on `test_sets`; the rules of now and the rules of commit
    `old_rules` (built before the test sets were used) on the same test decisions."""
    training = [m for d in decisions if d.set in train_sets for m in d.mentions]
    test = [d for d in decisions if d.set in test_sets]
    old = old_rules_rows(old_rules, test)
    result: dict[str, Any] = {"train": sorted(train_sets), "test": sorted(test_sets),
                              "rules": score(test, lambda d: d.rule_rows),
                              "ceiling": score(test, gold_rows),
                              f"rules@{old_rules}": score(test, lambda d: old[d.file])}
    for name, make, groups in variants():
        fitted = train(training, make, groups)
        result[name] = score(test, lambda d, f=fitted: learned_rows(d, f))
    return result


def line(name: str, s: dict) -> str:
    def shown(v: float | None) -> str:
        return "–" if v is None else f"{v:.3f}"

    return (f"{name:18s} rows {s['rows']:3d} found {s['found']:3d}/{s['labels']:3d}  "
            f"P {shown(s['precision'])}  R {shown(s['recall'])}  "
            f"outcome {shown(s['outcome_accuracy'])} ({s['value_found']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="write the results here (JSON)")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    if any("heldout" in part for s in SETS for part in s):
        parser.error("held-out label files are not for this experiment")
    decisions = load(list(SETS))
    mentions = [m for d in decisions for m in d.mentions]
    data = {"mentions": len(mentions), "row_mentions": sum(m.row for m in mentions),
            "decisions": len(decisions),
            "labels": sum(len(d.labels) for d in decisions),
            "outcomes_of_row_mentions": Counter(m.outcome for m in mentions if m.row)}
    cv = grouped_cv(decisions, args.folds)
    fresh3 = split(decisions, {"dev", "dev2", "fresh", "fresh2"}, {"fresh3"},
                   BUILT_BEFORE_FRESH3)
    fresh2 = split(decisions, {"dev", "dev2", "fresh"}, {"fresh2"}, BUILT_ON_DEV_DEV2_FRESH)
    fresh = split(decisions, {"dev", "dev2"}, {"fresh"}, BUILT_ON_DEV_DEV2)
    later = split(decisions, {"dev"}, {"dev2", "fresh"}, BUILT_ON_DEV)
    print(json.dumps(data))
    for title, block in (("grouped CV", cv),
                         ("train dev+dev2+fresh+fresh2, test fresh3", fresh3),
                         ("train dev+dev2+fresh, test fresh2", fresh2),
                         ("train dev+dev2, test fresh", fresh),
                         ("train dev, test dev2+fresh", later)):
        print(f"\n{title}")
        for name in block:
            if isinstance(block[name], dict) and "precision" in block[name]:
                print(line(name, block[name]))
    if args.out:
        result = {"command": f"python bench/amounts_learned.py --out {shown_path(args.out)}",
                  "date": dt.date.today().isoformat(), "data": data,
                  "grouped_cv": cv, "train_four_test_fresh3": fresh3,
                  "train_dev_dev2_fresh_test_fresh2": fresh2,
                  "train_dev_dev2_test_fresh": fresh,
                  "train_dev_test_dev2_fresh": later}
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")


if __name__ == "__main__":
    main()
