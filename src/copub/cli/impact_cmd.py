"""``copub impact``: citation impact by collaboration type."""

from __future__ import annotations

import argparse
import io
import json
import sys
import textwrap
from pathlib import Path

import polars as pl

from copub.atomic import atomic_write
from copub.cli._common import (
    add_bootstrap_option,
    add_definition_options,
    add_format_option,
    add_source_options,
    count_arg,
    definitions_from_args,
    load_tables_from_args,
    settings_from_args,
)
from copub.errors import DataError, UsageError
from copub.indicators.impact import IMPACT_DEFINITIONS, IMPACT_NOT_LEIDEN
from copub.normalize import Tables
from copub.progress import Progress
from copub.report.formats import csv_frame, write_csv_text
from copub.report.impact_section import (
    ImpactSection,
    build_impact_section,
    comparison_lines,
    definitions_lines,
    impact_json,
    impact_lines,
    impact_markdown,
)
from copub.sample import sample_register_path

__all__ = ["register", "run"]

HELP = f"""Citation impact of the institution's works by collaboration type:
domestic only, international, with each partner group (priority countries,
LMIC, EU, Nordic, ENHANCE, Nordic Five Tech, infrastructures, ...),
EU-funded, and by channel level when a register is given.

Per year (or 4-year window, or the whole range) and in both counting
methods: P(top 10%), PP(top 10%) and PP(top 1%), mean FWCI and the share with
FWCI >= 1, mean citations in a fixed window after publication, and the
coverage (works without a percentile or FWCI, never counted as 0); then the
difference between two types (default international - domestic) with a
seeded bootstrap 95% interval and a test.

Definitions: {IMPACT_DEFINITIONS}; not the Leiden Ranking's (its own
micro-fields, self-citations excluded). Years whose citation window is still
open are marked *. csv prints every column of the impact table; json also
carries the differences; --out DIR writes impact.csv/.parquet,
impact_difference.csv/.parquet, impact_overall.csv and about.txt.
"""
EXAMPLE = (
    "Example:\n  python -m copub impact --sample --years 2015-2024 --by international "
    "--by domestic --by priority"
)
_SYNTHETIC = "SYNTHETIC SAMPLE DATA: not real publications"


def _pair(text: str) -> tuple[str, str]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not all(parts) or parts[0] == parts[1]:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not two different collaboration types, e.g. international,domestic"
        )
    return parts[0], parts[1]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "impact", help="citation impact by collaboration type", description=HELP, epilog=EXAMPLE
    )
    add_source_options(parser)
    add_definition_options(parser, periods=False)
    parser.add_argument(
        "--by", action="append", metavar="TYPE",
        help="collaboration type (repeat, or comma-separated): all, domestic, international, "
        "a partner group key (priority, lmic, eu, nordic, enhance, n5t, infrastructure, ...), "
        "eu_funded, level2/level1/level0/not_in_register (with a register); default every type",
    )  # fmt: skip
    parser.add_argument(
        "--periods", choices=("year", "window", "all"), default="year",
        help="single years, rolling 4-year windows, or the whole range (default year)",
    )  # fmt: skip
    parser.add_argument(
        "--citation-window", type=count_arg, default=3, metavar="N",
        help="citations in the publication year and the N years after (default 3)",
    )  # fmt: skip
    parser.add_argument(
        "--compare", type=_pair, default=("international", "domestic"), metavar="A,B",
        help="the difference A - B with its interval and test (default international,domestic)",
    )  # fmt: skip
    parser.add_argument(
        "--counting", choices=("full", "fractional"), default="full",
        help="counting shown in the table (files and csv/json carry both)",
    )  # fmt: skip
    add_bootstrap_option(parser)
    add_format_option(parser)
    parser.add_argument("--out", type=Path, metavar="DIR", help="write the tables here")
    parser.set_defaults(run=run)


def _collaborations(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    keys = [k.strip() for v in values for k in v.split(",")]
    if not all(keys):
        raise UsageError("--by needs collaboration type keys, e.g. --by international")
    return keys


def _header(tables: Tables, section: ImpactSection) -> dict[str, object]:
    synthetic = tables.provenance.synthetic
    return {
        "synthetic": synthetic,
        "warning": _SYNTHETIC if synthetic else None,
        "provenance": tables.provenance.to_dict(),
        "impact": impact_json(section),
    }


def _comment(tables: Tables) -> str:
    parts = ["# copub citation impact"]
    if tables.provenance.synthetic:
        parts.append(_SYNTHETIC)
    parts.append(f"{IMPACT_DEFINITIONS}, {IMPACT_NOT_LEIDEN}")
    parts.append(tables.provenance.describe().replace("\n", " "))
    return "; ".join(parts)


def _flat_csv(frame: pl.DataFrame, tables: Tables) -> str:
    # Plain RFC 4180 CSV like every copub table; the provenance line goes to stderr
    # (or about.txt), the synthetic column marks sample data.
    return write_csv_text(csv_frame(frame, synthetic=tables.provenance.synthetic))


def _write(out: Path, tables: Tables, section: ImpactSection, progress: Progress) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} exists and is not a directory")
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in (
        ("impact", section.table),
        ("impact_difference", section.difference),
        ("impact_overall", section.overall),
    ):
        atomic_write(out / f"{name}.csv", _flat_csv(frame, tables).encode("utf-8"))
        if name != "impact_overall":
            buffer = _parquet_bytes(frame, tables)
            atomic_write(out / f"{name}.parquet", buffer)
    about = "\n".join(
        ([_SYNTHETIC, ""] if tables.provenance.synthetic else [])
        + definitions_lines(section.window)
        + ["", f"Source: {tables.provenance.describe()}", _comment(tables).removeprefix("# "), ""]
    )
    atomic_write(out / "about.txt", about.encode("utf-8"))
    progress.note(f"impact tables written to {out}")


def _parquet_bytes(frame: pl.DataFrame, tables: Tables) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(
        buffer,
        metadata={
            "copub.provenance": json.dumps(tables.provenance.to_dict(), ensure_ascii=False),
            "copub.synthetic": "true" if tables.provenance.synthetic else "false",
            "copub.definitions": f"{IMPACT_DEFINITIONS}, {IMPACT_NOT_LEIDEN}",
        },
    )
    return buffer.getvalue()


def run(args: argparse.Namespace) -> int:
    collaborations = _collaborations(args.by)
    settings = settings_from_args(args)
    progress = Progress()
    tables = load_tables_from_args(args, progress)
    register_path = settings.register
    if (
        args.sample
        and register_path is None
        and any(k.startswith(("level", "not_in")) for k in collaborations or [])
    ):
        register_path = sample_register_path(args.seed, args.scale, settings=settings)
    definitions = definitions_from_args(args, register=register_path, bootstrap=args.bootstrap)
    if tables.provenance.synthetic:
        progress.note("WARNING: " + _SYNTHETIC)
    progress.note("computing citation impact by collaboration type")
    section = build_impact_section(
        tables,
        definitions,
        collaborations=collaborations,
        compare=args.compare,
        periods=args.periods,
        window=args.citation_window,
    )
    if not section.table.height:
        span = f" in {args.years[0]}-{args.years[1]}" if args.years else ""
        raise DataError(
            f"institution {args.institution} has no works{span} in these tables "
            f"({definitions.universe} universe): check --institution, --years and --universe"
        )
    fractional = args.counting == "fractional"
    if args.format == "csv":
        progress.note(_comment(tables).removeprefix("# "))
        text = _flat_csv(section.table, tables)
    elif args.format == "json":
        document = _header(tables, section)
        text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    elif args.format == "markdown":
        text = impact_markdown(section, synthetic=tables.provenance.synthetic)
    else:
        lines = [_SYNTHETIC.center(100, "=")] if tables.provenance.synthetic else []
        if not section.available:
            lines.append(
                "Citation impact is unavailable: no work has a citation percentile or an FWCI "
                "(the tables were built from records without these fields)."
            )
        lines += [*impact_lines(section, fractional=fractional), ""]
        lines += [*comparison_lines(section, fractional=fractional), ""]
        for sentence in definitions_lines(section.window):
            lines += _wrap(sentence)
        lines += _wrap(f"Source: {tables.provenance.describe()}")
        text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    sys.stdout.flush()
    if args.out is not None:
        _write(args.out, tables, section, progress)
    if tables.provenance.synthetic:
        progress.note("reminder: the numbers above come from SYNTHETIC sample data")
    return 0


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, 100, subsequent_indent="  ")
