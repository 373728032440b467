"""Every error the project raises on purpose. Messages say what was expected, what was found,
and what to run."""

from __future__ import annotations


class LegalAssistantError(Exception):
    """Base class: an error whose message can be shown to a user as it is."""


class InputFileError(LegalAssistantError):
    """A file that cannot be ingested. The message names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(LegalAssistantError):
    """The store cannot be opened or written."""


class EmptyStoreError(StoreError):
    """The store holds no judgment yet."""


class ModelMismatchError(StoreError):
    """The store was built with another embedding model than the one configured."""


class StoreBusyError(StoreError):
    """Another ingest holds the store's write lock."""


class ConfigurationError(LegalAssistantError):
    """A setting is missing or invalid."""


class VerificationError(LegalAssistantError):
    """A quote is not an exact substring of the stored judgment text (a bug, never shown)."""
