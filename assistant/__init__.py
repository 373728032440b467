"""Retrieve passages, compose verified answers with citations, optional LLM synthesis, CLI.

The public entry points for a page, a script or a notebook:

    from assistant import Assistant, Settings, SearchFilters
    answer = Assistant.from_settings(Settings.from_env()).ask("...")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Answer", "Assistant", "Highlight", "Passage", "SearchFilters", "Settings", "Synthesis"]

if TYPE_CHECKING:
    from assistant.records import Answer, Highlight, Passage, Synthesis
    from assistant.service import Assistant
    from assistant.settings import Settings
    from store.records import SearchFilters

_WHERE = {
    "Answer": "assistant.records",
    "Highlight": "assistant.records",
    "Passage": "assistant.records",
    "Synthesis": "assistant.records",
    "Assistant": "assistant.service",
    "Settings": "assistant.settings",
    "SearchFilters": "store.records",
}


def __getattr__(name: str) -> Any:
    """Import on first use, so `legal-assistant --help` does not load Chroma."""
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
