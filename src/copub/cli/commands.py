"""The list of subcommands; each module adds its parser with ``register``.

Only the command that runs is imported. Each subcommand module pulls in polars
and the stages it wires (most of a second), so ``copub --help`` lists the
commands from :data:`COMMANDS` alone and ``copub --version`` needs none of
them; ``copub report …`` imports ``report_cmd`` and no other.
``tests/test_startup.py`` checks that each summary here is the one its module
registers, so the two cannot drift apart.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Collection, Sequence
from typing import NamedTuple

__all__ = ["COMMANDS", "Command", "Registrar", "register_commands", "selected_command"]

Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


class Command(NamedTuple):
    """A subcommand: its name, the module whose ``register`` adds it, its line in ``--help``.

    A named tuple rather than a frozen dataclass: ``dataclasses`` imports ``inspect``,
    a fifth of ``copub --help``'s start.
    """

    name: str
    module: str
    summary: str

    def registrar(self) -> Registrar:
        """The module's ``register`` (this imports the module)."""
        register: Registrar = importlib.import_module(self.module).register
        return register


#: Every subcommand, in the order ``copub --help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("import", "copub.cli.import_cmd", "build tables from OpenAlex JSON files"),
    Command("fetch", "copub.cli.fetch_cmd", "download works from OpenAlex and build tables"),
    Command(
        "sample",
        "copub.cli.sample_cmd",
        "write the synthetic world (OpenAlex-shaped pages) to a directory",
    ),
    Command("report", "copub.cli.report_cmd", "the yearly figures, goals and report files"),
    Command("network", "copub.cli.network_cmd", "build a co-authorship network and export it"),
    Command("partners", "copub.cli.partners_cmd", "rank partner countries or institutions"),
    Command(
        "mobility",
        "copub.cli.mobility_cmd",
        "researcher mobility from author affiliation histories",
    ),
    Command("impact", "copub.cli.impact_cmd", "citation impact by collaboration type"),
    Command("eu", "copub.cli.eu_cmd", "EU programme participation from CORDIS"),
    Command("peers", "copub.cli.peers_cmd", "the home institution beside its peers"),
    Command("breakdown", "copub.cli.breakdown_cmd", "the figures per field or unit"),
    Command("points", "copub.cli.points_cmd", "Norwegian publication points (NVI) per year"),
)


def selected_command(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` runs: its first word (copub's own options take no value).

    Examples
    --------
    >>> selected_command(["--debug", "report", "--sample"]), selected_command(["--help"])
    ('report', None)
    """
    return next((arg for arg in argv if not arg.startswith("-")), None)


def register_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    full: Collection[str] | None = None,
) -> None:
    """Add every subcommand to ``sub``: those in ``full`` (all when None) with their options.

    The others get an empty parser with their summary, which is all the
    top-level ``--help`` and the "invalid choice" message show, without
    importing their modules.
    """
    for command in COMMANDS:
        if full is None or command.name in full:
            command.registrar()(sub)
        else:
            sub.add_parser(command.name, help=command.summary)
