"""What each thesaurus group does to the landed ranking: every development question that calls
the group up is answered again without it, ranked by the packaged ranker, and its rank and
no-answer decision compared with those it gets with the whole thesaurus.

    .venv/bin/python bench/ablate_thesaurus.py [--store bench/.store-open-e5/store]
        [--questions eval/dev_questions.jsonl ...] [--out bench/thesaurus-ablation-mixed.json]

A group "pays" when more of its questions get worse without it (a lower reciprocal rank of the
first answering passage, an answerable question declined, an unanswerable one answered) than
better. The ranker is not refitted for each group (`bench/train_ranker.py --ablate` does that,
at an hour's cost in the 579-decision store); its weights were fitted with the whole thesaurus.
Refuses the held-out questions.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluate import load_questions  # noqa: E402
from assistant.expand import Group, load_thesaurus  # noqa: E402
from assistant.ranker import load_ranker  # noqa: E402
from assistant.retrieve import group_adjacent, relevance_score, unknown_share  # noqa: E402
from assistant.settings import RetrievalSettings  # noqa: E402
from bench.train_ranker import TRAINING_SETS, Corpus, Sample, shown, triggered  # noqa: E402
from store.embeddings import make_embeddings  # noqa: E402
from store.store import Store  # noqa: E402


def outcome(corpus: Corpus, sample: Sample, floor: float) -> tuple[float, bool]:
    """The reciprocal rank of the first answering passage (0 for none among 10) and whether
    the assistant declines, as `retrieve` and `eval` decide them."""
    fused = sample.found.fused
    scores = load_ranker().scores(sample.matrix)
    ranked = load_ranker().rank(fused, sample.matrix)
    top_window = max((f.window for g in group_adjacent(ranked, 3) for f in g), default=0.0)
    relevance = relevance_score(top_window, unknown_share(sample.found.expansion, fused))
    rank = corpus.first_hit(sample, scores) if sample.question.answerable else None
    return (1 / rank if rank else 0.0), relevance < floor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--store", type=Path,
                        default=ROOT / "bench" / ".store-open-e5" / "store")
    parser.add_argument("--model", default="e5")
    parser.add_argument("--questions", type=Path, action="append")
    parser.add_argument("--out", type=Path,
                        default=ROOT / "bench" / "thesaurus-ablation-mixed.json")
    args = parser.parse_args()
    files = sorted(args.questions or [ROOT / s for s in TRAINING_SETS])
    if any("heldout" in f.name for f in files):
        parser.error("the held-out questions are not for measuring rules")
    embeddings, model_id = make_embeddings(args.model)
    settings = RetrievalSettings()
    corpus = Corpus(Store.open(args.store, model_id), embeddings, settings)
    thesaurus = load_thesaurus()
    questions = [
        (q, shown(f)) for f in files for q in sorted(load_questions(f), key=lambda q: q.id)
    ]
    with_all = {q.id: outcome(corpus, corpus.sample(q, name), settings.no_answer_floor)
                for q, name in questions}  # fmt: skip
    report: dict[str, object] = {}
    for index, group in enumerate(thesaurus):
        without: tuple[Group, ...] = thesaurus[:index] + thesaurus[index + 1 :]
        worse, better, changed = 0, 0, []
        calling = [(q, n) for q, n in questions if index in triggered(q.question, thesaurus)]
        for q, name in calling:
            sample = corpus.sample(q, name, without)
            rr, declined = outcome(corpus, sample, settings.no_answer_floor)
            rr_all, declined_all = with_all[q.id]
            wrong, wrong_all = declined == q.answerable, declined_all == q.answerable
            lost = (rr < rr_all) or (wrong and not wrong_all)
            gained = (rr > rr_all) or (wrong_all and not wrong)
            if lost and not gained:
                worse += 1
            elif gained and not lost:
                better += 1
            if lost or gained:
                changed.append({"id": q.id, "rr": [round(rr_all, 3), round(rr, 3)],
                                "declined": [declined_all, declined]})  # fmt: skip
        report[f"{index}:{group.texts[0]}"] = {
            "questions": len(calling), "worse_without": worse, "better_without": better,
            "pays": worse > better, "changed": changed,
        }  # fmt: skip
        print(f"{index:2d} {group.texts[0]:30s} {len(calling):3d} questions, "
              f"worse without {worse}, better without {better}", flush=True)
    summary = {
        "what": __doc__.split("\n\n")[0].replace("\n", " "),
        "store": args.store.name, "model": model_id, "date": time.strftime("%Y-%m-%d"),
        "questions": {shown(f): len(load_questions(f)) for f in files},
        "groups": report,
    }  # fmt: skip
    args.out.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    main()
