"""Configuration: only the documented variables are read (LEGAL_ASSISTANT_*, CHROMA_*,
OLLAMA_HOST, OPENAI_*). Variables named like the settings groups (STORE, LLM, MODELS, INGEST,
RETRIEVAL), which `make run STORE=... PORT=...` exports, change nothing, in the library, the
command line and the page started through make."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from browser_app import CHROMIUM_FLAGS, chromium_path, free_port, wait_healthy

from assistant.settings import Settings
from store.errors import ConfigurationError

pytest_plugins = ["fixtures_store"]

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
LUX = SAMPLE / "TAL_2025-01-24_2025TALCH11-00011.txt"

# What make exports for `make run STORE=/srv/judgments PORT=8602`, and the other group names,
# set to values that are not valid JSON for the nested settings.
GROUP_NAMED = {
    "STORE": "/srv/judgments",
    "PORT": "8602",
    "LLM": "ollama:llama3.1",
    "MODELS": "hash",
    "INGEST": "{not json",
    "RETRIEVAL": "k=3",
}


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEGAL_ASSISTANT_", "CHROMA_"))}
    return {**env, **GROUP_NAMED, **extra}


def test_variables_named_like_the_setting_groups_are_not_read() -> None:
    assert Settings.from_env(dict(GROUP_NAMED)) == Settings.from_env({})
    assert Settings.from_env({}).store.path == Path("data/store")
    assert Settings.from_env({}).llm.spec == ""


def test_a_retrieval_setting_that_does_not_exist_is_refused_not_ignored() -> None:
    # the hand-set weights are gone: a measurement that still sets one must fail, not run as is
    from pydantic import ValidationError

    from assistant.settings import RetrievalSettings

    with pytest.raises(ValidationError, match="voice_weight"):
        RetrievalSettings.model_validate({"voice_weight": 0})
    assert RetrievalSettings.model_validate({"thesaurus": False}).thesaurus is False


def test_the_documented_variables_are_read() -> None:
    settings = Settings.from_env(
        {
            **GROUP_NAMED,
            "LEGAL_ASSISTANT_STORE": "/srv/other",
            "CHROMA_HOST": "127.0.0.1",
            "CHROMA_PORT": "8123",
            "LEGAL_ASSISTANT_EMBEDDINGS": "hash",
            "LEGAL_ASSISTANT_LLM": "ollama:qwen",
            "OLLAMA_HOST": "http://127.0.0.1:11500",
            "LEGAL_ASSISTANT_LLM_TIMEOUT": "12.5",
            "LEGAL_ASSISTANT_SENTENCE_VECTORS": "0",
            "LEGAL_ASSISTANT_DEVICE": "cuda",
        }
    )
    assert settings.store.path == Path("/srv/other")
    assert (settings.store.chroma_host, settings.store.chroma_port) == ("127.0.0.1", 8123)
    assert settings.models.embeddings == "hash"
    assert (settings.llm.spec, settings.llm.base_url) == ("ollama:qwen", "http://127.0.0.1:11500")
    assert settings.llm.timeout_s == 12.5
    assert settings.ingest.sentence_vectors is False
    assert settings.models.device == "cuda"
    assert Settings.from_env({}).models.device == "cpu"


@pytest.mark.parametrize(
    ("name", "value"),
    [("CHROMA_PORT", "eight"), ("LEGAL_ASSISTANT_LLM_TIMEOUT", "soon"),
     ("LEGAL_ASSISTANT_LLM_TIMEOUT", "0"), ("LEGAL_ASSISTANT_DEVICE", "gpu")],
)  # fmt: skip
def test_a_malformed_value_is_an_error_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=name):
        Settings.from_env({name: value})


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_command_line_ignores_them_and_uses_its_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    env = _clean_env(LEGAL_ASSISTANT_EMBEDDINGS="hash")
    ingested = _run("ingest", str(LUX), "--store", str(store), env=env)
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    stats = _run("stats", "--json", "--store", str(store), env=env)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["judgments"] == 1
    asked = _run("ask", "préjudice moral", "--json", "--store", str(store), env=env)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["passages"] and answer["answer"]["synthesis"] is None  # LLM=... is not read
    assert not Path("/srv/judgments").exists()


def test_a_malformed_documented_variable_is_a_one_line_error(tmp_path: Path) -> None:
    done = _run("stats", "--store", str(tmp_path), env=_clean_env(CHROMA_PORT="eight"))
    assert done.returncode != 0
    assert "CHROMA_PORT='eight'" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_make_run_with_store_and_port_serves_that_store(sample_store: Path, tmp_path: Path) -> None:
    """`make run STORE=<folder> PORT=<port>`, as the README documents it, from the repository,
    with the group-named variables also set: the page serves on that port, from that store."""
    chromium = chromium_path()
    if chromium is None:
        pytest.fail("chromium is not installed: `make install-test` installs it")
    from playwright.sync_api import expect, sync_playwright

    port = free_port()
    venv = Path(sys.executable).parent.parent
    log = tmp_path / "make-run.log"
    with log.open("w") as out:
        make = subprocess.Popen(
            ["make", "run", f"STORE={sample_store}", f"PORT={port}", f"VENV={venv}"],
            cwd=ROOT, env=_clean_env(), stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        url = f"http://localhost:{port}"
        wait_healthy(url, make, log, timeout=180)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            page = browser.new_page(locale="fr-FR")
            page.goto(url)
            sidebar = page.get_by_test_id("stSidebar")
            expect(sidebar).to_contain_text("Base utilisée", timeout=120_000)
            expect(sidebar).to_contain_text(str(sample_store), timeout=30_000)
            expect(sidebar).to_contain_text("Décisions", timeout=30_000)
            browser.close()
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        try:
            make.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
    assert "already holds judgments" in log.read_text()
