"""Passage-level labels for the issue tagger (issue 14): draw the sentence windows to label.

    .venv/bin/python bench/tag_windows.py --store STORE --out eval/tag_windows_pool.jsonl

STORE holds `../shared/corpus` and `../shared/corpus-open` (the 579-decision store). The
decisions of the frozen sets (`eval/tags_heldout.jsonl`, `eval/amounts_heldout_files.txt`) are
left out: their file names are read, nothing else. For each issue of the taxonomy the draw
takes the windows the committed tagger scores highest (at most two per decision), windows that
name the issue's usual words (sampling only: the tagger never reads them), and windows drawn
at random over the whole pool, so the labels hold hard negatives and ordinary text as well as
likely positives. Deterministic (--seed, 0 by default). `--exclude` leaves out the decisions of
other label files (a second draw leaves out those already labelled). Each line: id, file
(relative to its corpus folder), char_start/char_end in the judgment text, the window text,
300 characters of context on each side, and why it was drawn (`reasons`, never shown to the
labeller).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.issue_tags import classifier_for, load_params, load_taxonomy  # noqa: E402
from store.embeddings import make_embeddings  # noqa: E402
from store.sentences import sentence_windows  # noqa: E402
from store.store import Store  # noqa: E402

TOP_PER_ISSUE = 20
WORDS_PER_ISSUE = 15
RANDOM = 150
CONTEXT = 300

# Sampling only: windows naming these words are likely to discuss the issue or to be near misses.
ISSUE_WORDS = {
    "obligation_moyens_resultat": r"obligation de (moyens|résultat)",
    "delivrance_conforme": r"délivrance|conformité|non[- ]conform",
    "devoir_de_conseil": r"devoir de (conseil|mise en garde|information)|obligation d'information",
    "recette": r"\brecette\b|procès-verbal de réception|\bréserves\b",
    "exception_inexecution_suspension": r"exception d'inexécution|suspen(du|sion|dre)",
    "force_majeure_cyberattaque": r"force majeure|cause étrangère|cyber|piratage|rançongiciel",
    "clause_limitative": r"clause (limitative|exonératoire|exclusive)|limitation de responsabilité",
    "reversibilite_donnees": r"restitu\w+ (des|les) (données|fichiers)|réversibilité|migration",
    "resiliation": r"résili|résolution (judiciaire|du contrat)|préavis",
    "penalites": r"clause pénale|pénalités?|indemnité de résiliation",
    "hebergement_sous_traitance": r"héberge|sous-trait|maintenance|infogérance",
    "preuve_dysfonctionnements": r"dysfonctionnement|panne|expert(ise)?|constat d'huissier",
    "quantum_prejudice": r"préjudice (matériel|moral|commercial)|perte de chance|lien de causalité",
    "propriete_logiciel": r"logiciel|code source|droit d'auteur|contrefaçon",
    "paiement_prix": r"factures?|paiement du prix|impayé",
}


def frozen_files() -> set[str]:
    """The frozen sets' decisions, by file name only."""
    files: set[str] = set()
    tags = ROOT / "eval" / "tags_heldout.jsonl"
    for line in tags.read_text(encoding="utf-8").splitlines():
        if line.strip():
            files.add(json.loads(line)["file"])
    amounts = ROOT / "eval" / "amounts_heldout_files.txt"
    files |= {x.strip() for x in amounts.read_text(encoding="utf-8").splitlines() if x.strip()}
    return files


def corpus_file(source_path: str) -> str:
    """The source path relative to its corpus folder, as the label files write it."""
    source = source_path.split("#", 1)[0].replace("\\", "/")
    for folder in ("/corpus-open/", "/corpus/"):
        if folder in source:
            return source.split(folder, 1)[1]
    for folder in ("/records/", "/dila-cass/"):  # the open corpus's files copied elsewhere
        if folder in source:
            return folder[1:] + source.split(folder, 1)[1]
    return source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--model", default="e5")
    parser.add_argument("--exclude", type=Path, action="append", default=[],
                        help="a label file (JSON lines with `file`) whose decisions are left out, "
                        "e.g. the windows already labelled")  # fmt: skip
    parser.add_argument("--top", type=int, default=TOP_PER_ISSUE, help="top windows per issue")
    parser.add_argument("--words", type=int, default=WORDS_PER_ISSUE,
                        help="windows naming the issue's words, per issue")  # fmt: skip
    parser.add_argument("--random", type=int, default=RANDOM, help="windows at random")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--prefix", default="w", help="the windows' id prefix")
    args = parser.parse_args()
    embeddings, model_id = make_embeddings(args.model)
    store = Store.open(args.store, model_id)
    taxonomy, params = load_taxonomy(), load_params()
    classifier = classifier_for(embeddings, model_id, taxonomy, params)
    left_out = frozen_files()
    for path in args.exclude:
        lines = path.read_text(encoding="utf-8").splitlines()
        left_out |= {json.loads(x)["file"] for x in lines if x.strip()}

    windows: list[dict] = []
    scores: list[np.ndarray] = []
    for meta in store.judgments():
        file = corpus_file(meta.source_path)
        if file in left_out:
            continue
        text = store.judgment(meta.id).text
        chunks = store.chunks_of(meta.id)
        vectors = store.sentence_vectors([c.id for c in chunks])
        for chunk in chunks:
            spans = sentence_windows(chunk.text)
            rows = vectors.get(chunk.id)
            if not spans or rows is None or len(rows) != len(spans):
                continue
            scores.append(classifier.probabilities(rows))
            for span in spans:
                start, end = chunk.char_start + span.start, chunk.char_start + span.end
                windows.append({"file": file, "court": meta.court, "judgment": meta.id,
                                "char_start": start, "char_end": end, "text": text[start:end],
                                "before": text[max(0, start - CONTEXT) : start],
                                "after": text[end : end + CONTEXT]})  # fmt: skip
    probabilities = np.vstack(scores)
    rng = random.Random(args.seed)
    chosen: dict[int, list[str]] = {}

    def take(indices: list[int], reason: str, limit: int) -> None:
        per_decision: dict[str, int] = {}
        taken = 0
        for i in indices:
            j = windows[i]["judgment"]
            if taken >= limit or per_decision.get(j, 0) >= 2:
                continue
            per_decision[j] = per_decision.get(j, 0) + 1
            chosen.setdefault(i, []).append(reason)
            taken += 1

    for k, issue in enumerate(taxonomy.ids):
        take(list(np.argsort(-probabilities[:, k], kind="stable")), f"top:{issue}", args.top)
        pattern = re.compile(ISSUE_WORDS[issue], re.IGNORECASE)
        named = [i for i, w in enumerate(windows) if pattern.search(w["text"])]
        rng.shuffle(named)
        take(named, f"words:{issue}", args.words)
    take(rng.sample(range(len(windows)), len(windows)), "random", args.random)

    order = sorted(chosen)
    rng.shuffle(order)
    with args.out.open("w", encoding="utf-8") as out:
        for n, i in enumerate(order, 1):
            w = windows[i]
            fields = {k: v for k, v in w.items() if k != "judgment"}
            line = {"id": f"{args.prefix}{n:04d}", **fields, "reasons": chosen[i]}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(f"{len(order)} windows from {len({windows[i]['file'] for i in order})} decisions "
          f"(pool: {len(windows)} windows) -> {args.out}")  # fmt: skip


if __name__ == "__main__":
    main()
