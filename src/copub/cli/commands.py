"""The list of subcommands; each module adds its parser with ``register``."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from copub.cli import (
    breakdown_cmd,
    eu_cmd,
    fetch_cmd,
    impact_cmd,
    import_cmd,
    mobility_cmd,
    network_cmd,
    partners_cmd,
    peers_cmd,
    report_cmd,
    sample_cmd,
)

Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

REGISTRARS: list[Registrar] = [
    import_cmd.register,
    fetch_cmd.register,
    sample_cmd.register,
    report_cmd.register,
    network_cmd.register,
    partners_cmd.register,
    mobility_cmd.register,
    impact_cmd.register,
    eu_cmd.register,
    peers_cmd.register,
    breakdown_cmd.register,
]
