"""Fine-tune the query side of e5 on the corpus's own summaries, on CPU, and measure it on the
development questions it never saw (issue 15: a model that reads the question against the
judgment's sentences). Not wired in; docs/benchmarks.md gives the figures.

    .venv/bin/python bench/train_ranker.py --no-write --cache /tmp/mined.pkl   # mines once
    .venv/bin/python bench/query_finetune.py --cache /tmp/mined.pkl \
        --out bench/query-finetune.json [--store bench/.store-open-e5/store]

Training pairs come from the store, not from any question set: each sentence of a judgment's
sommaire or résumé (8 words or more) and each titrage line, against the judgment's sentence
window that shares most of its rare terms (IDF over the judgment's windows), a silver label.
Only the question tower changes: the stored window vectors stay, so no store is rebuilt. The
last L layers of e5 (PyTorch, `store/e5_torch.py`) are trained with AdamW on a softmax over
the windows of the pair's judgment and of three other judgments (temperature 0.02, 8 pairs a
step, fixed seeds). Measured on the 319 answerable development questions: the candidates'
best-window similarity alone (candidate MRR@10), and the packaged ranker (not refitted) over
the mined candidates with the window similarities recomputed from the new question vector.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import random
import re
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import ranker_alternatives as A  # noqa: E402
import train_ranker as T  # noqa: E402

from assistant.features import feature_matrix  # noqa: E402
from assistant.ranker import load_ranker  # noqa: E402
from store.sentences import sentence_windows  # noqa: E402

CONFIGS = (  # (layers trained, steps, learning rate)
    (2, 120, 2e-5), (2, 120, 5e-6), (4, 180, 1e-5),
)
EVERY = 60  # steps between measurements
BATCH, TEMPERATURE, OTHER_JUDGMENTS = 8, 0.02, 3
Pair = tuple[str, str, int]  # summary sentence, judgment id, index of its window


def folded_terms(text: str) -> set[str]:
    text = "".join(c for c in unicodedata.normalize("NFD", text.lower())
                   if unicodedata.category(c) != "Mn")
    return set(re.findall(r"\w{4,}", text))


def summary_queries(summary: str) -> list[str]:
    """The sommaire / résumé sentences (8 words or more) and the titrage lines of a record's
    labelled summary (ingest/open_data.py keeps it apart from the text)."""
    out = []
    for part in re.split(r"\n\s*\n", summary):
        label, _, body = part.partition(":")
        if label.strip() in ("Sommaire", "Résumé"):
            out += [s for s in re.split(r"(?<=[.;])\s+", body.strip()) if len(s.split()) >= 8]
        elif label.strip() == "Titrage":
            out.append(body.strip())
    return [q[:600] for q in out]


def training_pairs(store) -> tuple[dict[str, np.ndarray], list[Pair]]:
    """Each summarised judgment's window vectors (header left out) and the silver pairs."""
    windows: dict[str, np.ndarray] = {}
    pairs: list[Pair] = []
    for meta in store.judgments():
        if not meta.summary:
            continue
        chunks = [c for c in store.chunks_of(meta.id) if c.section_kind != "header"]
        vectors = store.sentence_vectors([c.id for c in chunks])
        texts, rows = [], []
        for c in chunks:
            v = vectors.get(c.id)
            spans = sentence_windows(c.text)
            if v is not None and len(spans) == len(v):
                texts += [c.text[s.start : s.end] for s in spans]
                rows.append(np.asarray(v, dtype=np.float32))
        if not rows:
            continue
        windows[meta.id] = np.vstack(rows)
        terms = [folded_terms(t) for t in texts]
        df: dict[str, int] = {}
        for ts in terms:
            for t in ts:
                df[t] = df.get(t, 0) + 1
        for query in summary_queries(meta.summary):
            wanted = folded_terms(query)
            scores = [sum(math.log(1 + len(terms) / df[t]) for t in wanted & ts)
                      / math.sqrt(len(ts) + 5) for ts in terms]
            best = int(np.argmax(scores))
            if scores[best] > 0:
                pairs.append((query, meta.id, best))
    return windows, pairs


class QueryTower:
    """e5's encoder for questions, its last `layers` layers trainable."""

    def __init__(self, layers: int) -> None:
        import torch

        from store.e5_torch import E5Torch

        self.torch = torch
        self.e5 = E5Torch("cpu")
        self.encoder = self.e5.encoder
        for p in self.encoder.parameters():
            p.requires_grad_(False)
        self.split = len(self.encoder.layers) - layers
        self.parameters = [p for layer in self.encoder.layers[self.split :]
                           for p in layer.parameters()]
        for p in self.parameters:
            p.requires_grad_(True)

    def encode(self, texts: Sequence[str], grad: bool = False):
        from store.e5_torch import QUERY_PREFIX

        torch, e5, enc = self.torch, self.e5, self.encoder
        tokens = e5.tokenizer.encode_batch(list(texts), QUERY_PREFIX)
        width = max(min(len(t.ids), 510) for t in tokens) + 2
        ids = np.full((len(tokens), width), e5.pad, dtype=np.int64)
        lengths = np.zeros(len(tokens), dtype=np.int64)
        for row, t in enumerate(tokens):
            content = t.ids[:510]
            ids[row, 0], ids[row, 1 + len(content)] = e5.bos, e5.eos
            ids[row, 1 : 1 + len(content)] = content
            lengths[row] = len(content) + 2
        ids_t, lengths_t = torch.from_numpy(ids), torch.from_numpy(lengths)
        valid = torch.arange(width)[None, :] < lengths_t[:, None]
        mask = valid[:, None, None, :]
        with torch.no_grad():
            x = enc.embed(ids_t) + enc.position[:width][None] + enc.type0
            x = torch.nn.functional.layer_norm(x, (x.shape[-1],), *enc.ln, e5.config.eps)
            for layer in enc.layers[: self.split]:
                x = layer(x, mask)
        with torch.set_grad_enabled(grad):
            for layer in enc.layers[self.split :]:
                x = layer(x, mask)
            pooled = (x * valid[..., None]).sum(1) / lengths_t[:, None]
            return torch.nn.functional.normalize(pooled, dim=-1)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack([self.encode(texts[i : i + 32]).detach().numpy()
                          for i in range(0, len(texts), 32)])


def measure(samples: Sequence[T.Sample], windows: list[list[np.ndarray | None]],
            questions: np.ndarray) -> dict[str, object]:
    ranker = load_ranker()
    alone, ranked = [], []
    for s, q, per_candidate in zip(samples, questions, windows, strict=True):
        best = np.array([float(np.max(w @ q)) if w is not None and len(w) else -1.0
                         for w in per_candidate])
        alone += A.candidate_mrr([s], {0: best})
        fused = [copy.copy(f) for f in s.found.fused]
        for f, w in zip(fused, per_candidate, strict=True):
            if w is not None and len(w):
                f.window_similarities = tuple(float(x) for x in w @ q)
                f.sentence_score = max(f.window_similarities)
        matrix = feature_matrix(s.found.expansion, fused, s.found.case_scores)
        ranked.append(T.first_hit_fast(s, ranker.scores(matrix)))
    return {"window_candidate_mrr": round(float(np.mean(alone)), 4),
            "packaged_ranker": T.metrics(ranked)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--store", type=Path, default=ROOT / "bench" / ".store-open-e5" / "store")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "query-finetune.json")
    args = parser.parse_args()
    import torch

    from store.embeddings import make_embeddings
    from store.store import Store

    torch.set_num_threads(2)
    _, model_id = make_embeddings("e5")
    store = Store.open(args.store, model_id)
    judgment_windows, pairs = training_pairs(store)
    samples = A.TrainRankerUnpickler(args.cache.open("rb")).load()["samples"]
    windows = []
    for s in samples:
        ids = [f.chunk.id for f in s.found.fused]
        found = store.sentence_vectors(ids)
        windows.append([np.asarray(found[i], dtype=np.float32) if found.get(i) is not None
                        else None for i in ids])
    questions = [s.question.question for s in samples]
    report: dict[str, object] = {
        "summarised_judgments": len(judgment_windows), "pairs": len(pairs),
        "questions": len(samples), "runs": [],
    }
    for layers, steps, rate in CONFIGS:
        random.seed(0)
        torch.manual_seed(0)
        tower = QueryTower(layers)
        run: dict[str, object] = {"layers": layers, "steps": steps, "learning_rate": rate,
                                  "before": measure(samples, windows, tower.vectors(questions))}
        optimiser = torch.optim.AdamW(tower.parameters, lr=rate, weight_decay=0.0)
        ids = sorted(judgment_windows)
        for step in range(1, steps + 1):
            batch = random.sample(pairs, BATCH)
            vectors = tower.encode([b[0] for b in batch], grad=True)
            loss = torch.zeros(())
            for k, (_, judgment, target) in enumerate(batch):
                others = random.sample([j for j in ids if j != judgment], OTHER_JUDGMENTS)
                matrix = torch.from_numpy(np.vstack(
                    [judgment_windows[judgment]] + [judgment_windows[o] for o in others]))
                loss = loss + torch.nn.functional.cross_entropy(
                    (matrix @ vectors[k] / TEMPERATURE)[None], torch.tensor([target]))
            optimiser.zero_grad()
            (loss / BATCH).backward()
            optimiser.step()
            if step % EVERY == 0:
                run[f"after {step} steps"] = measure(samples, windows, tower.vectors(questions))
        print(run, file=sys.stderr)
        report["runs"].append(run)  # type: ignore[attr-defined]
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
