"""Issue tags: which passages, and so which decisions, discuss each issue of IT-provider
liability (issue 14).

The taxonomy is data (`data/issue_taxonomy.json`): each issue has a definition and generic
example phrasings, and a `background` class holds phrasings that carry no issue (the formal parts
of a judgment, other areas of law). A softmax classifier over the store's own embeddings is
learned from those texts (one class per issue plus the background). Every sentence window of a
chunk (the store keeps one vector per window) gets a probability per issue; a passage (chunk) is
tagged with an issue when its best window reaches the threshold, and that window, an exact slice
of the judgment text checked in code, is the evidence. A decision deals with an issue when one of
its passages is tagged with it.

The threshold, the classifier's regularisation and the number of windows a decision needs over
the threshold come from the versioned `data/issue_tags-v1.json` that `bench/tags.py --fit` writes
after cross-validating by decision on `eval/tags_dev.jsonl` and `eval/tags_dev2.jsonl`; it also
holds the classifier learned for the model it was fitted with (from the taxonomy's texts, the
sentence windows a person labelled with their issues in `eval/tag_windows.jsonl`, and, as
background, the windows of the labelled decisions that carry no issue), so the page does not
embed the taxonomy at start. For another model (or a changed taxonomy) the classifier is learned
again on first use from the taxonomy alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from threading import Lock
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings
from scipy.optimize import minimize

from assistant.citations import format_citation
from assistant.verify import verify_quote
from store.errors import ConfigurationError
from store.records import Chunk, Judgment, JudgmentMeta
from store.sentences import Span, sentence_windows
from store.store import Store

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
TAXONOMY_PATH = DATA / "issue_taxonomy.json"
PARAMS_PATH = DATA / "issue_tags-v1.json"


@dataclass(frozen=True)
class Issue:
    id: str
    label: str
    definition: str
    examples: tuple[str, ...]

    @property
    def texts(self) -> tuple[str, ...]:
        """What the classifier learns the issue from: its definition and its examples."""
        return (self.definition, *self.examples)


@dataclass(frozen=True)
class Taxonomy:
    issues: tuple[Issue, ...]
    background: tuple[str, ...]  # phrasings that carry no issue
    digest: str  # sha256 of the file's content: a stored fit names the taxonomy it learned from

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.issues)

    def issue(self, issue_id: str) -> Issue:
        for issue in self.issues:
            if issue.id == issue_id:
                return issue
        raise KeyError(f"no issue {issue_id!r} in the taxonomy (known: {', '.join(self.ids)})")


@dataclass(frozen=True)
class IssueTag:
    """One passage (chunk) tagged with one issue; `evidence` is
    `judgment.text[char_start:char_end]`, the window that carried the tag."""

    issue_id: str
    judgment_id: str
    chunk_id: str
    char_start: int
    char_end: int
    evidence: str
    score: float  # the classifier's probability of the issue for that window


def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    """The taxonomy file, checked: unique ids, each with a label, a definition and examples,
    and background examples. Raises ConfigurationError saying what is wrong."""
    raw = path.read_bytes()
    try:
        data = json.loads(raw)
        issues = tuple(
            Issue(
                id=str(i["id"]),
                label=str(i["label"]),
                definition=str(i["definition"]).strip(),
                examples=tuple(str(e).strip() for e in i["examples"]),
            )
            for i in data["issues"]
        )
        background = tuple(str(e).strip() for e in data["background"]["examples"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigurationError(f"{path.name}: not a valid issue taxonomy ({exc!r})") from exc
    ids = [i.id for i in issues]
    if len(set(ids)) != len(ids) or not all(ids):
        raise ConfigurationError(f"{path.name}: issue ids must be unique and non-empty: {ids}")
    for issue in issues:
        if not issue.definition or not issue.examples or not all(issue.examples):
            raise ConfigurationError(f"{path.name}: issue {issue.id!r} needs a definition "
                                     "and non-empty examples")  # fmt: skip
    if not background or not all(background):
        raise ConfigurationError(f"{path.name}: 'background' needs non-empty examples")
    return Taxonomy(issues, background, hashlib.sha256(raw).hexdigest())


# -- the classifier ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueClassifier:
    """Multinomial logistic regression: rows of `weights` are the issues in taxonomy order, then
    the background class."""

    issue_ids: tuple[str, ...]
    weights: np.ndarray  # (issues + 1, dim)
    bias: np.ndarray  # (issues + 1,)

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(n, issues): each row's probability of each issue (the background column dropped)."""
        if len(vectors) == 0:
            return np.zeros((0, len(self.issue_ids)), dtype=np.float32)
        logits = np.asarray(vectors, dtype=np.float64) @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        return p[:, : len(self.issue_ids)].astype(np.float32)

    @property
    def fingerprint(self) -> str:
        """What identifies these weights in a cache key."""
        digest = hashlib.sha256(np.ascontiguousarray(self.weights).tobytes())
        digest.update(np.ascontiguousarray(self.bias).tobytes())
        return digest.hexdigest()[:16]

    def to_json(self) -> dict[str, object]:
        return {
            "issue_ids": list(self.issue_ids),
            "weights": np.round(self.weights, 6).tolist(),
            "bias": np.round(self.bias, 6).tolist(),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> IssueClassifier:
        return cls(
            tuple(data["issue_ids"]),  # type: ignore[arg-type]
            np.asarray(data["weights"], dtype=np.float64),
            np.asarray(data["bias"], dtype=np.float64),
        )


def fit_softmax(
    x: np.ndarray, y: np.ndarray, classes: int, c: float, sample_weight: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Weights and biases minimising `c * sum(weight * cross-entropy) + |W|^2 / 2` (the bias is
    not penalised): scikit-learn's LogisticRegression(C=c) objective, solved by L-BFGS."""
    n, dim = x.shape
    onehot = np.zeros((n, classes))
    onehot[np.arange(n), y] = 1.0
    if sample_weight is not None:
        onehot *= np.asarray(sample_weight, dtype=np.float64)[:, None]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w = theta[: classes * dim].reshape(classes, dim)
        b = theta[classes * dim :]
        z = x @ w.T + b
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        diff = np.exp(logp) * onehot.sum(axis=1, keepdims=True) - onehot
        value = -c * float((onehot * logp).sum()) + 0.5 * float((w * w).sum())
        grad_w = c * diff.T @ x + w
        grad_b = c * diff.sum(axis=0)
        return value, np.concatenate([grad_w.ravel(), grad_b])

    found = minimize(loss, np.zeros(classes * (dim + 1)), jac=True, method="L-BFGS-B",
                     options={"maxiter": 2000})  # fmt: skip
    return found.x[: classes * dim].reshape(classes, dim), found.x[classes * dim :]


@dataclass(frozen=True)
class LabelledWindows:
    """Sentence windows read by a person and labelled with the issues each discusses (none:
    background), as vectors of the store's model (`eval/tag_windows.jsonl`)."""

    vectors: np.ndarray  # (windows, dim)
    tags: tuple[frozenset[str], ...]  # per window; empty when it discusses no issue


def fit_classifier(
    taxonomy: Taxonomy,
    embeddings: Embeddings,
    c: float,
    negatives: np.ndarray | None = None,
    negative_weight: float = 0.0,
    windows: LabelledWindows | None = None,
    window_weight: float = 1.0,
) -> IssueClassifier:
    """Learn the classifier from the taxonomy's texts embedded as passages (the same side as
    the stored window vectors). `negatives`: window vectors of labelled decisions that carry
    no issue, added to the background class with a total weight of `negative_weight` times
    the taxonomy's background examples. `windows`: labelled windows, each of weight
    `window_weight` shared among its issues (or given to the background when it has none)."""
    texts: list[str] = []
    labels: list[int] = []
    for k, issue in enumerate(taxonomy.issues):
        texts += issue.texts
        labels += [k] * len(issue.texts)
    texts += taxonomy.background
    labels += [len(taxonomy.issues)] * len(taxonomy.background)
    x = np.asarray(embeddings.embed_documents(texts), dtype=np.float64)
    weight = np.ones(len(texts))
    if negatives is not None and len(negatives) and negative_weight > 0:
        x = np.vstack([x, np.asarray(negatives, dtype=np.float64)])
        labels += [len(taxonomy.issues)] * len(negatives)
        share = negative_weight * len(taxonomy.background) / len(negatives)
        weight = np.concatenate([weight, np.full(len(negatives), share)])
    if windows is not None and len(windows.vectors) and window_weight > 0:
        index = {issue_id: k for k, issue_id in enumerate(taxonomy.ids)}
        rows: list[int] = []
        row_weights: list[float] = []
        for n, tags in enumerate(windows.tags):
            unknown = sorted(tags - index.keys())
            if unknown:
                raise ValueError(f"labelled window {n}: issues not in the taxonomy: {unknown}")
            targets = sorted(index[t] for t in tags) or [len(taxonomy.issues)]
            rows += [n] * len(targets)
            labels += targets
            row_weights += [window_weight / len(targets)] * len(targets)
        x = np.vstack([x, np.asarray(windows.vectors, dtype=np.float64)[rows]])
        weight = np.concatenate([weight, row_weights])
    weights, bias = fit_softmax(x, np.asarray(labels), len(taxonomy.issues) + 1, c, weight)
    return IssueClassifier(taxonomy.ids, weights, bias)


# -- parameters (versioned, written by bench/tags.py --fit) ----------------------------------------


@dataclass(frozen=True)
class TaggerParams:
    version: int
    c: float  # the classifier's inverse regularisation
    threshold: float  # a window's issue probability from which its passage is tagged
    model_id: str  # the embedding model the stored classifier was learned with
    taxonomy_digest: str  # the taxonomy file it was learned from
    classifier: IssueClassifier | None  # learned for model_id and that taxonomy
    negative_weight: float = 0.0  # weight of the labelled decisions' windows in the background
    min_windows: int = 1  # windows of a decision that must reach the threshold for its tag
    window_weight: float = 0.0  # weight of each labelled window the classifier learned from


def load_params(path: Path = PARAMS_PATH) -> TaggerParams:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return TaggerParams(
            version=int(data["version"]),
            c=float(data["c"]),
            threshold=float(data["threshold"]),
            model_id=str(data.get("model_id", "")),
            taxonomy_digest=str(data.get("taxonomy_digest", "")),
            classifier=IssueClassifier.from_json(data["classifier"])
            if data.get("classifier")
            else None,
            negative_weight=float(data.get("negative_weight", 0.0)),
            min_windows=int(data.get("min_windows", 1)),
            window_weight=float(data.get("window_weight", 0.0)),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigurationError(
            f"{path.name}: issue-tag parameters unreadable ({exc!r}); run "
            "`python bench/tags.py --fit --labels eval/tags_dev.jsonl --store STORE`"
        ) from exc


_classifiers: dict[tuple[str, str, float], IssueClassifier] = {}
_classifiers_lock = Lock()


def classifier_for(
    embeddings: Embeddings, model_id: str, taxonomy: Taxonomy, params: TaggerParams
) -> IssueClassifier:
    """The stored classifier when it was learned for this model and taxonomy, else one learned
    now from the taxonomy (kept in memory for the process)."""
    stored = params.classifier
    if (
        stored is not None
        and params.model_id == model_id
        and params.taxonomy_digest == taxonomy.digest
        and stored.issue_ids == taxonomy.ids
    ):
        return stored
    key = (model_id, taxonomy.digest, params.c)
    with _classifiers_lock:
        if key not in _classifiers:
            if params.model_id == model_id and params.taxonomy_digest != taxonomy.digest:
                log.warning("issue taxonomy changed since issue_tags-v1.json was fitted: "
                            "re-run bench/tags.py --fit")  # fmt: skip
            _classifiers[key] = fit_classifier(taxonomy, embeddings, params.c)
        return _classifiers[key]


# -- scoring windows and tagging passages --------------------------------------------------------


@dataclass(frozen=True)
class WindowScores:
    """One chunk's sentence windows (offsets in the chunk text) and their issue probabilities."""

    chunk: Chunk
    windows: tuple[Span, ...]
    probabilities: np.ndarray  # (windows, issues)


def window_scores(
    store: Store, chunks: Sequence[Chunk], classifier: IssueClassifier, embeddings: Embeddings
) -> list[WindowScores]:
    """Each chunk's windows scored from the stored window vectors; a chunk stored without them
    (or with another window count) has its windows embedded now."""
    stored = store.sentence_vectors([c.id for c in chunks])
    result: list[WindowScores] = []
    missing: list[tuple[Chunk, list[Span]]] = []
    for chunk in chunks:
        spans = sentence_windows(chunk.text)
        vectors = stored.get(chunk.id)
        if not spans:
            continue
        if vectors is None or len(vectors) != len(spans):
            missing.append((chunk, spans))
            continue
        result.append(WindowScores(chunk, tuple(spans), classifier.probabilities(vectors)))
    if missing:
        texts = [c.text[s.start : s.end] for c, spans in missing for s in spans]
        vectors = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
        at = 0
        for chunk, spans in missing:
            rows = vectors[at : at + len(spans)]
            at += len(spans)
            result.append(WindowScores(chunk, tuple(spans), classifier.probabilities(rows)))
    order = {c.id: n for n, c in enumerate(chunks)}
    return sorted(result, key=lambda w: order[w.chunk.id])


def tags_from_scores(
    judgment: Judgment,
    scored: Iterable[WindowScores],
    issue_ids: Sequence[str],
    threshold: float,
    min_windows: int = 1,
) -> list[IssueTag]:
    """A tag per (passage, issue) whose best window reaches `threshold`, with that window as
    evidence, for the issues of which at least `min_windows` windows of the judgment reach it.
    A window that is not the judgment's text at its offsets is never shown (logged)."""
    scored = list(scored)
    reaching = sum(((s.probabilities >= threshold).sum(axis=0) for s in scored),
                   np.zeros(len(issue_ids), dtype=int))  # fmt: skip
    tags: list[IssueTag] = []
    for item in scored:
        best = item.probabilities.argmax(axis=0)
        for k, issue_id in enumerate(issue_ids):
            score = float(item.probabilities[best[k], k])
            if score < threshold or reaching[k] < min_windows:
                continue
            span = item.windows[int(best[k])]
            start, end = item.chunk.char_start + span.start, item.chunk.char_start + span.end
            evidence = item.chunk.text[span.start : span.end]
            if not verify_quote(judgment.text, evidence, start, end):
                log.error("issue evidence of %s is not the judgment text at %d:%d",
                          item.chunk.id, start, end)  # fmt: skip
                continue
            tags.append(IssueTag(issue_id, judgment.meta.id, item.chunk.id, start, end,
                                 evidence, round(score, 4)))  # fmt: skip
    return tags


_cache: dict[tuple[str, str, str, float, int], list[IssueTag]] = {}
_cache_lock = Lock()
_CACHE_MAX = 20_000  # judgments


def tag_store(
    store: Store,
    embeddings: Embeddings,
    *,
    taxonomy: Taxonomy | None = None,
    params: TaggerParams | None = None,
) -> list[IssueTag]:
    """Every issue tag of the store's judgments, in judgment then passage order. Kept in memory
    per judgment id and content hash, so a page calling it again after an ingest tags only the
    judgments that changed."""
    metas = store.judgments()
    if not metas:
        return []
    taxonomy = taxonomy or load_taxonomy()
    params = params or load_params()
    model_id = store.stats().model
    classifier = classifier_for(embeddings, model_id, taxonomy, params)
    fingerprint = classifier.fingerprint
    tags: list[IssueTag] = []
    for meta in metas:
        key = (meta.id, meta.content_hash, fingerprint, params.threshold, params.min_windows)
        with _cache_lock:
            found = _cache.get(key)
        if found is None:
            judgment = store.judgment(meta.id)
            scored = window_scores(store, store.chunks_of(meta.id), classifier, embeddings)
            found = tags_from_scores(judgment, scored, classifier.issue_ids, params.threshold,
                                     params.min_windows)  # fmt: skip
            with _cache_lock:
                if len(_cache) >= _CACHE_MAX:
                    _cache.clear()
                _cache[key] = found
        tags += found
    return tags


def decisions_by_issue(tags: Iterable[IssueTag]) -> dict[str, list[str]]:
    """Issue id -> the judgments with a passage tagged with it, strongest evidence first."""
    best: dict[str, dict[str, float]] = {}
    for tag in tags:
        per = best.setdefault(tag.issue_id, {})
        per[tag.judgment_id] = max(per.get(tag.judgment_id, 0.0), tag.score)
    return {issue: sorted(scores, key=lambda j: (-scores[j], j)) for issue, scores in best.items()}


# -- issue -> decisions -> passages, for the command line and a browse page -----------------------


@dataclass(frozen=True)
class TaggedPassage:
    chunk_id: str
    char_start: int  # of the evidence in the judgment text
    char_end: int
    evidence: str
    score: float
    citation: str  # the passage's full citation (judgment, then pinpoint)
    section_path: tuple[str, ...]


@dataclass(frozen=True)
class IssueDecision:
    judgment: JudgmentMeta
    citation: str
    score: float  # its best passage's
    passages: tuple[TaggedPassage, ...]  # strongest first


@dataclass(frozen=True)
class IssueEntry:
    issue: Issue
    decisions: tuple[IssueDecision, ...]  # strongest first

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.issue.id,
            "label": self.issue.label,
            "definition": self.issue.definition,
            "decisions": [
                {
                    "judgment": {k: d.judgment.to_dict()[k] for k in JUDGMENT_FIELDS},
                    "citation": d.citation,
                    "score": d.score,
                    "passages": [
                        asdict(p) | {"section_path": list(p.section_path)} for p in d.passages
                    ],
                }  # fmt: skip
                for d in self.decisions
            ],
        }


JUDGMENT_FIELDS = ("id", "court", "chamber", "date", "decision_number", "docket_number",
                   "title", "country", "ecli", "url")  # fmt: skip


def issues_overview(store: Store, tags: Iterable[IssueTag], taxonomy: Taxonomy) -> list[IssueEntry]:
    """Every issue of the taxonomy (in its order) with the decisions tagged with it and, for
    each, its tagged passages with their citations and evidence."""
    by_issue: dict[str, dict[str, list[IssueTag]]] = {}
    for tag in tags:
        by_issue.setdefault(tag.issue_id, {}).setdefault(tag.judgment_id, []).append(tag)
    metas = {m.id: m for m in store.judgments()}
    entries: list[IssueEntry] = []
    for issue in taxonomy.issues:
        decisions: list[IssueDecision] = []
        for jid, found in by_issue.get(issue.id, {}).items():
            meta = metas.get(jid) or store.judgment(jid).meta
            passages = []
            for tag in sorted(found, key=lambda t: -t.score):
                chunk = store.chunk(tag.chunk_id)
                citation = format_citation(
                    meta, chunk.section_path, chunk.section_kind, chunk.paragraph_start,
                    chunk.paragraph_end, chunk.page_start, chunk.page_end,
                    chunk.paragraph_label_start, chunk.paragraph_label_end,
                )  # fmt: skip
                passages.append(TaggedPassage(tag.chunk_id, tag.char_start, tag.char_end,
                                              tag.evidence, tag.score, citation,
                                              chunk.section_path))  # fmt: skip
            decisions.append(IssueDecision(meta, format_citation(meta), passages[0].score,
                                           tuple(passages)))  # fmt: skip
        decisions.sort(key=lambda d: (-d.score, d.judgment.id))
        entries.append(IssueEntry(issue, tuple(decisions)))
    return entries
