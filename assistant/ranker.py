"""The learned ranker: a linear model over the candidate features (assistant/features.py),
fitted by bench/train_ranker.py on the development questions and saved as a versioned data file
(assistant/data/ranker-v2.json: feature names, scaler, coefficients, training sets, CV
figures)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.features import FEATURES
from assistant.fusion import FusedChunk
from store.errors import ConfigurationError

FORMAT_VERSION = 1
RANKER_PATH = Path(__file__).with_name("data") / "ranker-v2.json"


@dataclass(frozen=True)
class Ranker:
    """score = coef · ((x - mean) / scale) over the named features."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        """One score per row of a feature matrix whose columns are `FEATURES`."""
        columns = [FEATURES.index(name) for name in self.features]
        return ((matrix[:, columns] - self.mean) / self.scale) @ self.coef

    def rank(self, fused: Sequence[FusedChunk], matrix: np.ndarray) -> list[FusedChunk]:
        """The candidates by descending score (ties by chunk id); each gets its score."""
        for f, s in zip(fused, self.scores(matrix), strict=True):
            f.score = float(s)
        return sorted(fused, key=lambda f: (-f.score, f.chunk.id))

    def to_json(self) -> dict[str, object]:
        return {
            "version": FORMAT_VERSION,
            "features": list(self.features),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
        }


def ranker_from_json(data: dict[str, object], source: str = "ranker data") -> Ranker:
    """A Ranker from its JSON form; a ConfigurationError when the format version or a feature
    name is not the code's (the file was written for other features: retrain it)."""
    retrain = "retrain with: python bench/train_ranker.py"
    if data.get("version") != FORMAT_VERSION:
        raise ConfigurationError(
            f"{source}: ranker format version {data.get('version')!r}, expected "
            f"{FORMAT_VERSION}; {retrain}"
        )
    names = tuple(str(n) for n in data["features"])  # type: ignore[attr-defined]
    unknown = [n for n in names if n not in FEATURES]
    if unknown:
        raise ConfigurationError(f"{source}: unknown features {unknown}; {retrain}")
    arrays = [np.asarray(data[key], dtype=np.float64) for key in ("mean", "scale", "coef")]
    if any(a.shape != (len(names),) for a in arrays):
        raise ConfigurationError(f"{source}: mean, scale and coef must have one value a feature")
    return Ranker(names, *arrays)


@lru_cache(maxsize=4)
def load_ranker(path: Path = RANKER_PATH) -> Ranker:
    """The ranker saved at `path` (the packaged one by default)."""
    return ranker_from_json(json.loads(path.read_text(encoding="utf-8")), str(path.name))
