"""Time from question to rendered answer on the chat page, warm, over the sample corpus.

Starts `streamlit run streamlit_app.py` on a free localhost port, drives Debian's headless
Chromium with Playwright, asks one warm-up question, then times each question from the Enter key
to the answer's lead and quote cards being visible in the browser. Writes bench/page_latency.json.

    .venv/bin/python bench/page_latency.py [--store DIR] [--out bench/page_latency.json]

Without --store (or LEGAL_ASSISTANT_STORE), the sample corpus is ingested into a temporary store.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_app import CHROMIUM_FLAGS, chromium_path, running_app  # noqa: E402

QUESTIONS = [
    "Le prestataire peut-il couper le service si le client ne paie pas ses factures ?",
    "Quel montant le tribunal a-t-il accordé au titre du préjudice moral ?",
    "et pour l'atteinte à l'image ?",
    "Was the IT provider held liable for the e-mail outages?",
    "La résiliation du contrat de maintenance était-elle justifiée ?",
    "Quelles sont les conditions de la responsabilité contractuelle du prestataire ?",
    "Le client doit-il payer les factures de prestations non exécutées ?",
    "Quelle est la recette de la tarte aux mirabelles ?",
    "La clause limitative de responsabilité est-elle opposable ?",
    "Quels dommages et intérêts pour perte de clientèle ?",
]
WARMUP = "Le prestataire informatique est-il responsable des pannes du site internet ?"
ANSWERED_JS = """(n) => {
  const msgs = document.querySelectorAll('[data-testid="stChatMessage"]');
  if (msgs.length < 2 * n) return false;
  const last = msgs[msgs.length - 1];
  return !!last.querySelector('.la-lead, .la-noanswer, [data-testid="stAlert"]');
}"""


def _store(args: argparse.Namespace) -> str:
    given = args.store or os.environ.get("LEGAL_ASSISTANT_STORE", "")
    if given:
        return given
    store = Path(tempfile.mkdtemp(prefix="page-bench-")) / "store"
    cli = Path(sys.executable).parent / "legal-assistant"
    subprocess.run(
        [str(cli), "ingest", str(ROOT / "data" / "sample"), "--store", str(store)],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    return str(store)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "page_latency.json")
    args = parser.parse_args()
    chromium = chromium_path()
    if chromium is None:
        print("chromium is not installed: run `make install-test`", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    env = {k: v for k, v in os.environ.items() if not k.startswith("LEGAL_ASSISTANT_LLM")}
    env["LEGAL_ASSISTANT_STORE"] = _store(args)
    timings: list[dict[str, object]] = []
    load_before = os.getloadavg()[0]
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_app(env, Path(tmp) / "app.log") as url,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for(timeout=180_000)
        for asked, question in enumerate([WARMUP, *QUESTIONS], start=1):
            box.fill(question)
            start = time.perf_counter()
            box.press("Enter")
            page.wait_for_function(ANSWERED_JS, arg=asked, timeout=120_000, polling="raf")
            elapsed = time.perf_counter() - start
            if question != WARMUP:
                timings.append({"question": question, "seconds": round(elapsed, 3)})
                print(f"{elapsed:6.3f} s  {question}")
            page.wait_for_timeout(300)  # let the post-answer rerun settle
        browser.close()
    seconds = sorted(float(str(t["seconds"])) for t in timings)
    result = {
        "what": "Enter key to answer lead and quote cards visible in headless Chromium, warm, "
        "sample corpus (4 judgments), extractive (no LLM), history growing over the run",
        "command": ".venv/bin/python bench/page_latency.py",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "n": len(seconds),
        "median_s": round(statistics.median(seconds), 3),
        "p90_s": round(seconds[int(0.9 * (len(seconds) - 1))], 3),
        "max_s": round(seconds[-1], 3),
        "target_s": 1.0,
        "questions": timings,
    }
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "questions"}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
