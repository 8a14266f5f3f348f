"""What every analysis command shares: its inputs, its output options, and one run.

``copub impact``, ``mobility``, ``eu``, ``peers``, ``breakdown`` and
``points`` are thin: each builds its :class:`Definitions` and its
:class:`ShowOptions`, and :func:`run_analysis` computes the registered
analysis and prints and writes its result with the report's writers.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import polars as pl

from copub.analyses.contract import AnalysisInputs, ShowOptions
from copub.analyses.registry import analysis
from copub.classify.definitions import Definitions
from copub.cli._common import settings_from_args
from copub.errors import DataError, UsageError
from copub.eu.analysis import EuInputs
from copub.normalize import Tables
from copub.progress import Progress

__all__ = [
    "add_output_options",
    "authors_from_args",
    "eu_inputs_from_args",
    "register_from_args",
    "run_analysis",
    "supports_unicode",
]


def supports_unicode(stream: TextIO) -> bool:
    """Whether ``stream`` takes the arrows, dashes and euro signs the texts use."""
    try:
        "↑↓→–…€≤×".encode(stream.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def add_output_options(parser: argparse.ArgumentParser, *, out_help: str) -> None:
    """``--format``, ``--out DIR`` and ``--replace``, the same for every analysis command."""
    parser.add_argument(
        "--format", choices=("table", "csv", "json", "markdown"), default="table",
        help="stdout format (default table; csv is plain CSV with one header row)",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, metavar="DIR", help=out_help)
    parser.add_argument(
        "--replace", action="store_true",
        help="let --out replace a non-empty folder copub did not write",
    )  # fmt: skip


def register_from_args(args: argparse.Namespace) -> Path | None:
    """``--register``, else ``COPUB_REGISTER``, else (with ``--sample``) the sample's own.

    The synthetic world has its own matching register, so the level indicators
    show without a download; a real register still wins.
    """
    settings = settings_from_args(args)
    if settings.register is not None:
        return settings.register
    if getattr(args, "sample", False):
        from copub.sample import sample_register_path

        return sample_register_path(args.seed, args.scale, settings=settings)
    return None


def authors_from_args(args: argparse.Namespace, progress: Progress) -> pl.DataFrame | None:
    """The authors table: the sample's histories, or the data directory's, if it has one."""
    settings = settings_from_args(args)
    if getattr(args, "sample", False):
        from copub.sample.author_histories import load_sample_authors

        return load_sample_authors(args.seed, args.scale, settings=settings)
    from copub.normalize.authors import authors_path, load_authors

    if authors_path(settings.data_dir).is_file():
        return load_authors(settings.data_dir)
    return None


@contextlib.contextmanager
def eu_inputs_from_args(
    args: argparse.Namespace, tables: Tables | None, progress: Progress
) -> Iterator[EuInputs | None]:
    """The EU inputs the options name; with ``--sample`` the synthetic CORDIS world.

    The synthetic world is written to a temporary folder that lives as long
    as the block.
    """
    cordis = tuple(getattr(args, "cordis", ()))
    grants = getattr(args, "norway_grants", None)
    organisations = getattr(args, "organisations", None)
    if organisations is not None and not Path(organisations).is_file():
        raise UsageError(f"--organisations {organisations} does not exist")
    compare = tuple(getattr(args, "organisation", ())[1:])
    if getattr(args, "sample", False) and not cordis and grants is None:
        from copub.indicators.label_cache import cached_folder
        from copub.sample.cordis import SAMPLE_FOLDERS, write_cordis_sample

        progress.note("using the synthetic CORDIS world (SYNTHETIC: not real projects)")
        with tempfile.TemporaryDirectory(prefix="copub-cordis-") as name:
            # Written once for the sample's tables and kept in the cache (else in `name`).
            def write(out: Path) -> None:
                write_cordis_sample(out, seed=args.seed, tables=tables)

            folder = cached_folder(tables, "cordis", write, extra=args.seed)
            if folder is None:
                folder = write_cordis_sample(name, seed=args.seed, tables=tables)
            yield EuInputs(
                cordis=tuple(folder / sub for sub in SAMPLE_FOLDERS.values()),
                organisations=organisations,
                organisation=compare,
                label=f"synthetic CORDIS world (seed {args.seed}), H2020 and Horizon Europe: "
                "SYNTHETIC",
            )
        return
    if not cordis and grants is None:
        yield None
        return
    yield EuInputs(
        cordis=cordis, norway_grants=grants, organisations=organisations, organisation=compare
    )


def run_analysis(
    key: str,
    args: argparse.Namespace,
    inputs: AnalysisInputs,
    definitions: Definitions,
    show: ShowOptions,
    progress: Progress,
) -> int:
    """Compute the registered analysis ``key``, print it in ``--format``, write ``--out``."""
    from copub.render.figures import source_footer
    from copub.report.single import render_result, write_result

    if getattr(args, "out", None) is not None:
        from copub.outdir import check_out_dir

        check_out_dir(args.out, replace=args.replace)  # before any work
    result = analysis(key).run(inputs, definitions, show, progress)
    if not result.available and not result.tables:
        raise DataError(f"{result.title}: {result.reason}")
    provenance = inputs.tables.provenance
    synthetic = result.synthetic or provenance.synthetic
    if synthetic:
        progress.note("WARNING: SYNTHETIC SAMPLE DATA: not real publications")
    sys.stdout.write(render_result(result, args.format, provenance))
    sys.stdout.flush()
    if args.format == "csv":
        # The CSV itself is plain (one header row): its provenance goes to stderr.
        progress.note(f"source: {provenance.describe()}")
        for note in result.notes:
            progress.note(note)
    if getattr(args, "out", None) is not None:
        footer = source_footer(provenance, definitions.institution, definitions.counting)
        written = write_result(result, args.out, provenance, footer=footer, replace=args.replace)
        progress.note(f"wrote {len(written)} files in {args.out}")
    if synthetic:
        progress.note("reminder: the numbers above come from SYNTHETIC sample data")
    return 0
