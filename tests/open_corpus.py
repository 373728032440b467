"""The open-data corpus beside a clone (../shared/corpus-open), and the text a label quotes
from one of its decisions (eval/amounts_and_tags.md): a JSON record's `text`, a DILA XML's
TEXTE/BLOC_TEXTUEL/CONTENU with its tags removed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

OPEN = Path(__file__).resolve().parents[2] / "shared" / "corpus-open"


def open_text(name: str) -> str:
    path = OPEN / name
    if path.suffix == ".xml":
        content = ET.parse(path).getroot().find("TEXTE/BLOC_TEXTUEL/CONTENU")
        return "".join(content.itertext()) if content is not None else ""
    return str(json.loads(path.read_text(encoding="utf-8"))["text"])
