"""`legal-assistant`: ingest, ask, eval, stats, amounts, issues. Each subcommand parses its
arguments, calls the library, prints, and turns the library's errors into a message and an exit
code."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.amounts import HEADS, OUTCOMES, AmountFilters, AmountRow
from assistant.export import amount_summary
from assistant.records import Answer
from assistant.settings import Settings
from assistant.synthesis_check import NO_ANSWER_LABEL, flagged_sentences
from store.errors import LegalAssistantError
from store.records import SearchFilters

if TYPE_CHECKING:
    from assistant.issue_tags import IssueEntry

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="legal-assistant",
        description="Verbatim, cited answers from court judgments.",
    )
    parser.add_argument(
        "--store", type=Path, help="store folder (default: $LEGAL_ASSISTANT_STORE or ./data/store)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="read judgments into the store")
    ingest.add_argument("paths", nargs="+", type=Path, help="files or folders (walked recursively)")
    ingest.add_argument("--store", type=Path, dest="store_sub", help="store folder")
    ingest.add_argument("--prune", action="store_true", help="remove judgments whose file is gone")
    ingest.add_argument("--dry-run", action="store_true", help="show what would change")
    ingest.add_argument(
        "--rebuild",
        action="store_true",
        help="start from an empty store (e.g. after changing the model)",
    )
    ingest.add_argument("--max-mb", type=float, help="refuse files larger than this (MB)")

    ask = sub.add_parser("ask", help="answer a question with quotes and citations")
    ask.add_argument("question")
    ask.add_argument("--store", type=Path, dest="store_sub", help="store folder")
    ask.add_argument("--k", type=int, default=None, help="number of passages (default 5)")
    ask.add_argument("--court", action="append", default=[], help="only this court (repeatable)")
    ask.add_argument("--chamber", action="append", default=[], help="only this chamber")
    ask.add_argument(
        "--section",
        action="append",
        default=[],
        help="only this section kind (facts, claims, reasons, operative, ...)",
    )
    ask.add_argument("--from", dest="date_from", default="", help="from date YYYY-MM-DD")
    ask.add_argument("--to", dest="date_to", default="", help="to date YYYY-MM-DD")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")

    ev = sub.add_parser("eval", help="measure retrieval on a question set (JSONL)")
    ev.add_argument("questions", type=Path)
    ev.add_argument("--store", type=Path, dest="store_sub", help="store folder")
    ev.add_argument("--k", type=int, default=10, help="passages per question (default 10)")
    ev.add_argument("--dump", type=Path, help="write each answer as JSON lines here")

    stats = sub.add_parser("stats", help="what the store holds")
    stats.add_argument("--store", type=Path, dest="store_sub", help="store folder")
    stats.add_argument("--json", action="store_true")

    amounts = sub.add_parser(
        "amounts", help="the sums claimed, granted and rejected, each with its quote"
    )
    amounts.add_argument("--store", type=Path, dest="store_sub", help="store folder")
    amounts.add_argument("--json", action="store_true", help="print one JSON document")
    amounts.add_argument("--court", action="append", default=[], help="only this court")
    amounts.add_argument("--date-from", default="", help="from date YYYY-MM-DD")
    amounts.add_argument("--date-to", default="", help="to date YYYY-MM-DD")
    amounts.add_argument("--head", action="append", default=[], choices=HEADS,
                         help="only this head of damage (repeatable)")
    amounts.add_argument("--outcome", action="append", default=[], choices=OUTCOMES,
                         help="only this outcome (repeatable)")
    amounts.add_argument("--min", type=float, dest="min_value", help="at least this sum")
    amounts.add_argument("--max", type=float, dest="max_value", help="at most this sum")

    issues = sub.add_parser(
        "issues", help="which decisions deal with each IT-liability issue, with the passages"
    )
    issues.add_argument("--store", type=Path, dest="store_sub", help="store folder")
    issues.add_argument("--json", action="store_true", help="print one JSON document")
    issues.add_argument("--issue", default="", help="only this issue id (see the full list)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    store = getattr(args, "store_sub", None) or args.store
    console = Console(stderr=False, soft_wrap=False)
    errors = Console(stderr=True, soft_wrap=True)  # one line per error, whatever the width
    try:
        settings = Settings.from_env(store=store)
        if args.command == "ingest":
            return cmd_ingest(args, settings, console)
        if args.command == "ask":
            return cmd_ask(args, settings, console)
        if args.command == "eval":
            return cmd_eval(args, settings, console)
        if args.command == "amounts":
            return cmd_amounts(args, settings)
        if args.command == "issues":
            return cmd_issues(args, settings)
        return cmd_stats(args, settings, console)
    except LegalAssistantError as exc:
        errors.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True)
        return EXIT_FAILED
    except KeyboardInterrupt:
        errors.print("interrupted: the store keeps its previous content")
        return 130


class RichProgress:
    """Files done, chunks embedded and chunks per second, on the terminal."""

    def __init__(self, console: Console) -> None:
        self.bar = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[chunks]} chunks, {task.fields[rate]} chunks/s"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.task = self.bar.add_task("ingest", total=0, chunks=0, rate="0.0")
        self.chunks = 0

    def start(self, total_files: int) -> None:
        self.bar.update(self.task, total=total_files)
        self.bar.start()

    def advance(self, outcome: object) -> None:
        self.chunks += getattr(outcome, "embedded", 0)
        elapsed = self.bar.tasks[0].elapsed or 0.0
        rate = f"{self.chunks / elapsed:.1f}" if elapsed > 0 else "0.0"
        self.bar.update(self.task, advance=1, chunks=self.chunks, rate=rate)

    def stop(self) -> None:
        self.bar.stop()


def cmd_ingest(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from assistant.service import open_store
    from ingest.pipeline import REREAD, STATUSES, ingest_paths

    store, embeddings, model_id = open_store(settings, check_model=not args.rebuild)
    max_bytes = int(args.max_mb * 1_000_000) if args.max_mb else settings.ingest.max_file_bytes
    progress = RichProgress(console)
    try:
        report = ingest_paths(
            args.paths,
            store,
            embeddings,
            model_id=model_id,
            max_file_bytes=max_bytes,
            chunk_chars=settings.ingest.chunk_chars,
            batch_size=settings.ingest.batch_size,
            prune=args.prune,
            dry_run=args.dry_run,
            rebuild=args.rebuild,
            progress=progress,
            checkpoint_s=settings.ingest.checkpoint_s,
            sentence_vectors=settings.ingest.sentence_vectors,
        )
    finally:
        progress.stop()
        store.close()
    counts = report.counts()
    title = "would change (dry run)" if args.dry_run else f"store {settings.store.path}"
    table = Table(title=title)
    for status in STATUSES:
        table.add_column(status, justify="right")
    table.add_row(*(str(counts.get(s, 0)) for s in STATUSES))
    console.print(table)
    print("summary: " + " ".join(f"{s}={counts.get(s, 0)}" for s in STATUSES))
    if not args.dry_run:
        kept = sum(o.reused for o in report.outcomes)
        print(f"chunks: embedded={report.chunks_embedded} kept={kept} (vectors of unchanged "
              "chunk texts are kept)")
    for outcome in report.outcomes:
        if outcome.status in ("failed", "duplicate", "skipped", "removed") or (
            outcome.detail and outcome.status in ("added", "updated")
        ):
            label = {"added": "warning", "updated": "warning"}.get(outcome.status, outcome.status)
            if outcome.detail.startswith(REREAD):
                label = "updated"
            line = f"{label}: {outcome.path}: {outcome.detail}"
            print(line)
    return EXIT_FAILED if report.failed else EXIT_OK


def _filters(args: argparse.Namespace) -> SearchFilters:
    return SearchFilters(
        courts=tuple(args.court),
        chambers=tuple(args.chamber),
        section_kinds=tuple(args.section),
        date_from=args.date_from,
        date_to=args.date_to,
    )


def cmd_ask(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from assistant.service import Assistant

    assistant = Assistant.from_settings(settings)
    answer = assistant.ask(args.question, filters=_filters(args), k=args.k)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_text(answer))
    return EXIT_OK


def render_text(answer: Answer, width: int = 100) -> str:
    """The answer for a terminal: lead, then each passage with highlights marked »...«."""
    lines = [textwrap.fill(answer.lead, width), ""]
    if answer.notice:
        lines += [answer.notice, ""]
    if answer.synthesis and answer.synthesis.no_answer:
        lines += [f"Synthèse : {NO_ANSWER_LABEL}", textwrap.fill(answer.synthesis.text, width), ""]
    elif answer.synthesis:
        badge = "vérifiée" if answer.synthesis.verified else "NON vérifiée"
        lines += [f"Synthèse ({badge}) :", textwrap.fill(answer.synthesis.text, width)]
        for flag in flagged_sentences(answer.synthesis):  # each unverified sentence, with why
            lines.append(textwrap.fill(f"⚠ {flag}", width, subsequent_indent="  "))
        lines.append("")
    if answer.amounts:
        lines.append("Sommes relevées dans ces décisions :")
        for row in answer.amounts:
            lines.append(textwrap.fill(f"- {amount_summary(row)} — {row.citation}", width,
                                       subsequent_indent="  "))  # fmt: skip
            lines.append(textwrap.fill(f"« {row.quote} »", width, initial_indent="    ",
                                       subsequent_indent="    "))  # fmt: skip
        lines.append("")
    for p in answer.passages:
        marked = p.text
        for h in sorted(p.highlights, key=lambda h: -h.start):
            marked = marked[: h.start] + "»" + marked[h.start : h.end] + "«" + marked[h.end :]
        lines.append(f"[{p.rank}] {p.citation}")
        for paragraph in marked.split("\n"):
            lines.append(
                textwrap.fill(paragraph, width, initial_indent="    ", subsequent_indent="    ")
                if paragraph
                else ""
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def cmd_eval(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from assistant.evaluate import EvalResult, format_report, load_questions, score
    from assistant.service import Assistant

    assistant = Assistant.from_settings(settings)
    questions = load_questions(args.questions)
    results = []
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    try:
        for q in questions:
            answer = assistant.ask(q.question, k=args.k)
            results.append(
                EvalResult(
                    question=q,
                    passage_texts=[p.text for p in answer.passages],
                    declined=answer.no_answer,
                )
            )
            if dump:
                dump.write(json.dumps({"id": q.id, **answer.to_json()}, ensure_ascii=False) + "\n")
    finally:
        if dump:
            dump.close()
    print(format_report(score(results)))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace, settings: Settings, console: Console) -> int:
    from assistant.service import open_store

    store, _, _ = open_store(settings, check_model=False)
    stats = store.stats()
    store.close()
    data = {
        "judgments": stats.judgments, "chunks": stats.chunks, "courts": list(stats.courts),
        "countries": list(stats.countries),
        "chambers": list(stats.chambers), "date_min": stats.date_min, "date_max": stats.date_max,
        "model": stats.model, "store": stats.location, "generation": stats.generation,
    }  # fmt: skip
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for key, value in data.items():
            shown = ", ".join(value) if isinstance(value, list) else value
            print(f"{key:>10}: {shown}")
    return EXIT_OK


def cmd_amounts(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.amounts import amounts_in_store
    from assistant.service import open_store

    filters = AmountFilters(
        courts=tuple(args.court), date_from=args.date_from, date_to=args.date_to,
        heads=tuple(args.head), outcomes=tuple(args.outcome),
        min_value=args.min_value, max_value=args.max_value,
    )  # fmt: skip
    store, _, _ = open_store(settings, check_model=False)
    try:
        rows = amounts_in_store(store, filters)
    finally:
        store.close()
    if args.json:
        print(json.dumps({"count": len(rows), "rows": [row.to_dict() for row in rows]},
                         ensure_ascii=False, indent=2))  # fmt: skip
    else:
        print(render_amounts(rows), end="")
    return EXIT_OK


def format_sum(value: float, currency: str) -> str:
    """'2 000,00 EUR': French grouping and decimals."""
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",") + f" {currency}"


def render_amounts(rows: Sequence[AmountRow], width: int = 100) -> str:
    """The damages table for a terminal: each row with its parties, citation and quote."""
    if not rows:
        return "0 rows\n"
    lines = [f"{len(rows)} row{'s' if len(rows) > 1 else ''}", ""]
    for row in rows:
        parties = f"{row.creditor or '?'} ← {row.debtor or '?'}"
        lines.append(f"[{row.outcome}] {format_sum(row.value, row.currency)} · {row.head} · "
                     f"{parties}")  # fmt: skip
        lines.append(f"    {row.citation} [{row.judgment_id}]")
        lines.append(textwrap.fill(f"« {row.quote} »", width, initial_indent="    ",
                                   subsequent_indent="    "))  # fmt: skip
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def cmd_issues(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.issue_tags import issues_overview, load_taxonomy, tag_store
    from assistant.service import open_store

    taxonomy = load_taxonomy()
    if args.issue and args.issue not in taxonomy.ids:
        print(f"unknown issue {args.issue!r}; known: {', '.join(taxonomy.ids)}", file=sys.stderr)
        return EXIT_USAGE
    store, embeddings, _ = open_store(settings)
    try:
        entries = issues_overview(store, tag_store(store, embeddings, taxonomy=taxonomy), taxonomy)
    finally:
        store.close()
    entries = [e for e in entries if not args.issue or e.issue.id == args.issue]
    if args.json:
        print(json.dumps({"issues": [e.to_json() for e in entries]}, ensure_ascii=False, indent=2))
    else:
        print(render_issues(entries), end="")
    return EXIT_OK


def render_issues(entries: Sequence[IssueEntry], width: int = 100) -> str:
    """Issue -> decisions -> passages for a terminal, each passage with its citation and
    evidence."""
    lines: list[str] = []
    for entry in entries:
        count = len(entry.decisions)
        lines += [f"{entry.issue.label} [{entry.issue.id}]: {count} decision"
                  f"{'s' if count != 1 else ''}"]  # fmt: skip
        for decision in entry.decisions:
            lines.append(f"  {decision.citation} [{decision.judgment.id}]")
            for p in decision.passages:
                lines.append(f"    {p.citation} (score {p.score:.2f})")
                lines.append(textwrap.fill(f"« {p.evidence} »", width, initial_indent="      ",
                                           subsequent_indent="      "))  # fmt: skip
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.exit(main())
