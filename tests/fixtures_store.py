"""Stores ingested once per test session with the real e5 model through the command line: the
bundled sample corpus for the page tests (AppTest and the real browser), and the 40-decision
corpus for the retrieval quality guard.

Use with `pytest_plugins = ["fixtures_store"]` (tests/ is on sys.path).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
CORPUS = ROOT / "data" / "corpus"


def cli() -> list[str]:
    """The `legal-assistant` command of the running environment."""
    script = Path(sys.executable).parent / "legal-assistant"
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant"]


def ingest(paths: list[Path], store: Path) -> None:
    """`legal-assistant ingest PATHS --store STORE` in a subprocess, without the caller's
    LEGAL_ASSISTANT_*/CHROMA_* settings; fails the test with the CLI's output on error."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEGAL_ASSISTANT_", "CHROMA_"))}
    done = subprocess.run(
        [*cli(), "ingest", *map(str, paths), "--store", str(store)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="session")
def ingest_store() -> Callable[[list[Path], Path], None]:
    """The `ingest` function, for tests that build a store of their own."""
    return ingest


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding the four sample judgments. LEGAL_ASSISTANT_TEST_SAMPLE_STORE may
    name a store already built from data/sample: it is copied instead of ingesting again."""
    store = tmp_path_factory.mktemp("sample-store") / "store"
    prebuilt = os.environ.get("LEGAL_ASSISTANT_TEST_SAMPLE_STORE", "")
    if prebuilt:
        shutil.copytree(prebuilt, store)
        return store
    ingest([SAMPLE], store)
    return store


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding the 40 decisions of data/corpus, ingested once per test session
    with the real e5 model (sentence windows included) through the command line."""
    store = tmp_path_factory.mktemp("corpus-store") / "store"
    ingest([CORPUS], store)
    return store


@pytest.fixture(scope="session")
def app_env(sample_store: Path) -> Iterator[dict[str, str]]:
    """The environment the page runs in: the sample store, no LLM, no Chroma server."""
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key.startswith(("LEGAL_ASSISTANT_", "CHROMA_")):
                mp.delenv(key)
        mp.setenv("LEGAL_ASSISTANT_STORE", str(sample_store))
        yield dict(os.environ)
