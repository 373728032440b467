"""Issue tags (issue 14), as a specification.

- The taxonomy is data: 15 issues with unique ids, each with a label, a definition and generic
  examples that are not sentences of the corpus; the tagger's threshold, the number of windows a
  decision needs over it and the classifier come from the versioned
  assistant/data/issue_tags-v1.json that bench/tags.py --fit writes, fitted on the taxonomy as it
  is now (the classifier learns from the taxonomy's texts and, as background, from the windows of
  labelled decisions that carry no issue; sample weights count as repeated examples).
- A decision is tagged with an issue only when at least `min_windows` of its windows reach the
  threshold; each of its passages whose best window reaches it is then tagged.
- Every tag's evidence is the stored judgment text at the tag's offsets, checked in code: a window
  whose offsets do not give its text is never shown.
- With the real e5 model, on real judgments of data/corpus: in the Luxembourg judgment a passage
  on the suspension of services for unpaid invoices is tagged exception_inexecution_suspension,
  one on a cyber-attack invoked to escape liability force_majeure_cyberattaque, and decisions of
  other areas of law (an association's dissolution, a liquidation; the corpus holds no divorce)
  get no tag.
- `legal-assistant issues` lists issue -> decisions -> passages with citations and evidence.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assistant import issue_tags
from assistant.cli import main
from assistant.issue_tags import (
    IssueTag,
    LabelledWindows,
    TaggerParams,
    WindowScores,
    decisions_by_issue,
    fit_classifier,
    fit_softmax,
    load_params,
    load_taxonomy,
    tag_store,
    tags_from_scores,
)
from ingest.pipeline import ingest_paths
from store.embeddings import HashEmbeddings
from store.errors import ConfigurationError
from store.sentences import sentence_windows
from store.store import Store

pytest_plugins = ["fixtures_store"]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "corpus"
TAL = CORPUS / "luxembourg" / "TAL_2025-01-24_2025TALCH11-00011.txt"
DISSOLUTION = CORPUS / "full" / "judilibre-github_fr-ca-chambery-20220215-20-00024.txt"
LIQUIDATION = CORPUS / "full" / "judilibre-github_fr-tcom-larochesuryon-20221123-2022004346.txt"
E5 = "e5:multilingual-e5-small"


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


# -- the data files ------------------------------------------------------------------------------


def test_taxonomy_has_15_unique_issues_each_with_definition_and_examples():
    taxonomy = load_taxonomy()
    assert len(taxonomy.issues) == 15
    assert len(set(taxonomy.ids)) == 15
    for issue in taxonomy.issues:
        assert re.fullmatch(r"[a-z_]+", issue.id)
        assert issue.label and len(issue.definition) > 40
        assert len(issue.examples) >= 3 and all(len(e) > 10 for e in issue.examples)
    assert len(taxonomy.background) >= 10
    assert "exception_inexecution_suspension" in taxonomy.ids


def test_taxonomy_examples_are_not_sentences_of_the_corpus():
    corpus = " ".join(_fold(p.read_text(encoding="utf-8")) for p in CORPUS.rglob("*.txt"))
    taxonomy = load_taxonomy()
    texts = [e for i in taxonomy.issues for e in i.texts] + list(taxonomy.background)
    copied = [t for t in texts if len(t) >= 30 and _fold(t) in corpus]
    assert copied == []


def test_threshold_and_classifier_come_from_the_versioned_fit_of_the_current_taxonomy():
    params = load_params()
    taxonomy = load_taxonomy()
    assert params.version == 1
    assert 0.0 < params.threshold < 1.0 and params.c > 0
    assert params.negative_weight >= 0 and params.min_windows >= 1
    assert params.taxonomy_digest == taxonomy.digest, "taxonomy changed: re-run bench/tags.py --fit"
    assert params.model_id == E5
    assert params.classifier is not None
    assert params.classifier.issue_ids == taxonomy.ids
    assert params.classifier.weights.shape == (16, 384)  # 15 issues + background, e5-small


def test_a_taxonomy_without_examples_is_refused(tmp_path: Path):
    data = json.loads(issue_tags.TAXONOMY_PATH.read_text(encoding="utf-8"))
    data["issues"][3]["examples"] = []
    bad = tmp_path / "taxonomy.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigurationError, match="recette"):
        load_taxonomy(bad)


# -- pure logic ----------------------------------------------------------------------------------


def test_softmax_fit_learns_separable_classes():
    rng = np.random.default_rng(0)
    centres = np.eye(3, 8) * 4
    x = np.vstack([c + rng.normal(0, 0.5, (20, 8)) for c in centres])
    y = np.repeat(np.arange(3), 20)
    weights, bias = fit_softmax(x, y, 3, c=1.0)
    assert ((x @ weights.T + bias).argmax(axis=1) == y).all()
    # more regularisation (smaller C) gives smaller weights
    small, _ = fit_softmax(x, y, 3, c=0.01)
    assert np.abs(small).sum() < np.abs(weights).sum()


def test_softmax_sample_weights_count_as_repeated_examples():
    rng = np.random.default_rng(1)
    x = np.vstack([c + rng.normal(0, 1.0, (10, 4)) for c in np.eye(2, 4) * 2])
    y = np.repeat(np.arange(2), 10)
    weight = np.where(np.arange(20) % 3 == 0, 2.0, 1.0)
    weighted = fit_softmax(x, y, 2, c=1.0, sample_weight=weight)
    repeated = np.repeat(np.arange(20), weight.astype(int))
    plain = fit_softmax(x[repeated], y[repeated], 2, c=1.0)
    assert np.allclose(weighted[0], plain[0], atol=1e-3)
    assert np.allclose(weighted[1], plain[1], atol=1e-3)


def test_labelled_windows_teach_the_classifier_their_issues_and_the_background():
    taxonomy = load_taxonomy()
    embeddings = HashEmbeddings(dim=256)
    texts = [
        "Le bailleur a donné congé au locataire pour le terme du bail commercial.",
        "La juridiction relève que le recours a été introduit hors délai.",
        "Le preneur réclame la restitution du dépôt de garantie et des loyers payés.",
    ]
    vectors = np.asarray(embeddings.embed_documents(texts))
    tags = (frozenset({"resiliation"}), frozenset(),
            frozenset({"paiement_prix", "reversibilite_donnees"}))  # fmt: skip
    labelled = LabelledWindows(vectors, tags)
    k = {issue: n for n, issue in enumerate(taxonomy.ids)}
    before = fit_classifier(taxonomy, embeddings, c=10.0).probabilities(vectors)
    after = fit_classifier(taxonomy, embeddings, c=10.0, windows=labelled,
                           window_weight=5.0).probabilities(vectors)  # fmt: skip
    assert after[0, k["resiliation"]] > before[0, k["resiliation"]] + 0.2
    assert after[1].sum() < before[1].sum()  # more background, less of every issue
    assert after[2, k["paiement_prix"]] > before[2, k["paiement_prix"]]
    assert after[2, k["reversibilite_donnees"]] > before[2, k["reversibilite_donnees"]]
    # a weight of 0 leaves the taxonomy's classifier as it was
    same = fit_classifier(taxonomy, embeddings, c=10.0, windows=labelled, window_weight=0.0)
    assert np.allclose(same.probabilities(vectors), before, atol=1e-6)


def test_a_labelled_window_with_an_issue_outside_the_taxonomy_is_refused():
    taxonomy = load_taxonomy()
    embeddings = HashEmbeddings(dim=32)
    vectors = np.asarray(embeddings.embed_documents(["Le contrat est résilié."]))
    with pytest.raises(ValueError, match="divorce"):
        fit_classifier(taxonomy, embeddings, c=1.0,
                       windows=LabelledWindows(vectors, (frozenset({"divorce"}),)))  # fmt: skip


def _scored(judgment, chunk, probabilities: list[list[float]]) -> WindowScores:
    windows = tuple(sentence_windows(chunk.text))
    assert len(windows) == len(probabilities)
    return WindowScores(chunk, windows, np.asarray(probabilities, dtype=np.float32))


def test_a_passage_is_tagged_with_its_best_window_as_exact_evidence(make_judgment):
    judgment, chunks = make_judgment(
        "j1",
        ["Une phrase d'ouverture. Une deuxième phrase. Le prestataire a coupé la messagerie. "
         "Les factures étaient impayées.", "Rien à signaler ici. Vraiment rien."],
    )  # fmt: skip
    ids = ("a", "b")
    scored = [
        _scored(judgment, chunks[0], [[0.1, 0.2], [0.6, 0.1]]),
        _scored(judgment, chunks[1], [[0.2, 0.05]]),
    ]
    tags = tags_from_scores(judgment, scored, ids, threshold=0.5)
    assert tags == [
        IssueTag("a", "j1", chunks[0].id, tags[0].char_start, tags[0].char_end,
                 "Le prestataire a coupé la messagerie. Les factures étaient impayées.", 0.6)
    ]  # fmt: skip
    assert judgment.text[tags[0].char_start : tags[0].char_end] == tags[0].evidence
    assert tags_from_scores(judgment, scored, ids, threshold=0.7) == []


def test_an_issue_needs_min_windows_of_the_decision_over_the_threshold(make_judgment):
    judgment, chunks = make_judgment(
        "j1", ["Une phrase. Une autre phrase. Encore une.", "Rien ici. Vraiment rien."]
    )
    scored = [
        _scored(judgment, chunks[0], [[0.6, 0.7], [0.1, 0.1]]),
        _scored(judgment, chunks[1], [[0.1, 0.55]]),
    ]
    one = tags_from_scores(judgment, scored, ("a", "b"), threshold=0.5, min_windows=1)
    assert {t.issue_id for t in one} == {"a", "b"}
    # "a" reaches the threshold in one window only, "b" in two (one in each passage)
    two = tags_from_scores(judgment, scored, ("a", "b"), threshold=0.5, min_windows=2)
    assert [(t.issue_id, t.chunk_id) for t in two] == [("b", chunks[0].id), ("b", chunks[1].id)]


def test_a_window_that_is_not_the_judgment_text_at_its_offsets_is_never_shown(make_judgment):
    judgment, chunks = make_judgment("j1", ["Le prestataire a coupé la messagerie."])
    shifted = replace(chunks[0], char_start=chunks[0].char_start + 3)  # offsets gone wrong
    tags = tags_from_scores(judgment, [_scored(judgment, shifted, [[0.9]])], ("a",), 0.5)
    assert tags == []


def test_decisions_by_issue_lists_each_decision_once_strongest_first():
    def tag(issue: str, judgment: str, score: float) -> IssueTag:
        return IssueTag(issue, judgment, f"{judgment}:0000", 0, 4, "text", score)

    tags = [tag("a", "j1", 0.3), tag("a", "j2", 0.5), tag("a", "j1", 0.4), tag("b", "j1", 0.2)]
    assert decisions_by_issue(tags) == {"a": ["j2", "j1"], "b": ["j1"]}
    assert decisions_by_issue([]) == {}


# -- a real store, fast: the project's ingest with the deterministic hash embedder ----------------


@pytest.fixture
def hash_store(tmp_path: Path) -> Callable[[bool], Store]:
    def build(window_vectors: bool) -> Store:
        folder = tmp_path / ("windows" if window_vectors else "no-windows")
        store = Store.open(folder, "hash:64")
        ingest_paths([LIQUIDATION, TAL.parent], store, HashEmbeddings(64), model_id="hash:64",
                     sentence_vectors=window_vectors)  # fmt: skip
        store.close()
        return Store.open(folder, "hash:64")

    return build


def _every_window(params: TaggerParams) -> TaggerParams:
    """The fitted parameters with a threshold of 0: every passage gets every issue, so every
    window path is exercised."""
    return replace(params, threshold=0.0)


@pytest.mark.parametrize("window_vectors", [True, False])
def test_tag_store_evidence_is_always_the_stored_text(hash_store, window_vectors):
    store = hash_store(window_vectors)
    params = _every_window(load_params())
    tags = tag_store(store, HashEmbeddings(64), params=params)
    judgments = store.judgments()
    chunks = sum(len(store.chunks_of(m.id)) for m in judgments)
    assert len(tags) == 15 * chunks  # the classifier, learned now for hash:64, saw every window
    for t in tags:
        text = store.judgment(t.judgment_id).text
        assert text[t.char_start : t.char_end] == t.evidence
        chunk = store.chunk(t.chunk_id)
        assert chunk.char_start <= t.char_start < t.char_end <= chunk.char_end


def test_tag_store_is_cached_per_judgment_version(hash_store, monkeypatch):
    store = hash_store(True)
    params = _every_window(load_params())
    first = tag_store(store, HashEmbeddings(64), params=params)
    calls: list[int] = []
    real = issue_tags.window_scores

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(issue_tags, "window_scores", counted)
    assert tag_store(store, HashEmbeddings(64), params=params) == first
    assert calls == []  # nothing scored again
    stricter = replace(params, threshold=0.99)
    assert tag_store(store, HashEmbeddings(64), params=stricter) == []
    assert len(calls) == len(store.judgments())  # another threshold is another cache entry


class _NoModel(HashEmbeddings):
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        raise AssertionError("an empty store needs no embedding")


def test_an_empty_store_has_no_tags_and_embeds_nothing(tmp_path: Path):
    store = Store.open(tmp_path / "empty", "hash:64")
    assert tag_store(store, _NoModel(64)) == []


# -- quality, with the real e5 model on real judgment text -----------------------------------------


@pytest.fixture(scope="module")
def e5_store(tmp_path_factory: pytest.TempPathFactory, ingest_store) -> Path:
    """Three complete decisions ingested with e5 by `legal-assistant ingest`: the Luxembourg
    judgment (among its passages, the provider's defence and the suspension of services for
    unpaid invoices) and two decisions of other areas of law. A whole judgment, since a decision
    needs `min_windows` windows over the threshold for a tag."""
    folder = tmp_path_factory.mktemp("issue-tags")
    files = folder / "files"
    files.mkdir()
    for source in (TAL, DISSOLUTION, LIQUIDATION):
        shutil.copy(source, files / source.name)
    store = folder / "store"
    ingest_store([files], store)
    return store


def _tags_by_file(store_path: Path) -> tuple[dict[str, list[IssueTag]], Store]:
    from store.embeddings import make_embeddings

    embeddings, model_id = make_embeddings("e5")
    store = Store.open(store_path, model_id)
    tags = tag_store(store, embeddings)
    files = {m.id: Path(m.source_path).name for m in store.judgments()}
    found: dict[str, list[IssueTag]] = {name: [] for name in files.values()}
    for t in tags:
        found[files[t.judgment_id]].append(t)
    return found, store


@pytest.mark.slow
def test_real_passages_get_their_issue_and_other_areas_of_law_get_none(e5_store):
    found, store = _tags_by_file(e5_store)
    tal = found[TAL.name]
    suspension = [t for t in tal if t.issue_id == "exception_inexecution_suspension"]
    assert suspension, [(t.issue_id, t.score) for t in tal]
    assert any("suspendre les services informatiques face à deux factures impayées" in t.evidence
               for t in suspension)  # fmt: skip
    cyber = [t for t in tal if t.issue_id == "force_majeure_cyberattaque"]
    assert any("cyberattaques" in t.evidence or "exonérer" in t.evidence for t in cyber)
    assert found[DISSOLUTION.name] == []  # an association's dissolution: no IT issue
    assert found[LIQUIDATION.name] == []  # a liquidation: no IT issue
    for t in tal:
        assert store.judgment(t.judgment_id).text[t.char_start : t.char_end] == t.evidence


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith(("LEGAL_ASSISTANT_", "CHROMA_")):
            monkeypatch.delenv(key)


@pytest.mark.slow
def test_issues_command_lists_issue_decisions_and_passages(e5_store, cli_env, capsys):
    assert main(["issues", "--json", "--store", str(e5_store)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in data["issues"]] == list(load_taxonomy().ids)
    by_id = {i["id"]: i for i in data["issues"]}
    decisions = by_id["exception_inexecution_suspension"]["decisions"]
    assert len(decisions) == 1
    store = Store.open(e5_store, E5)
    text = store.judgment(decisions[0]["judgment"]["id"]).text
    assert decisions[0]["passages"]
    for p in decisions[0]["passages"]:
        assert text[p["char_start"] : p["char_end"]] == p["evidence"]
        assert p["citation"].startswith(decisions[0]["citation"])
    listed = {d["judgment"]["id"] for i in data["issues"] for d in i["decisions"]}
    assert len(listed) == 1  # only the Luxembourg judgment deals with IT issues

    assert main(["issues", "--issue", "force_majeure_cyberattaque", "--store", str(e5_store)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Force majeure et cyber-attaque [force_majeure_cyberattaque]: 1 decision")
    assert "«" in out and "exception_inexecution" not in out

    assert main(["issues", "--issue", "divorce", "--store", str(e5_store)]) == 2
    assert "unknown issue 'divorce'" in capsys.readouterr().err
