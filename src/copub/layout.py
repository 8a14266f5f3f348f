"""The names of a copub data directory's parts, shared by every stage that must know them.

The normalizer writes them; the output writers refuse to write into them.
"""

from __future__ import annotations

from typing import Final

__all__ = ["AUTHORS_LINK", "GENERATIONS_DIR", "RAW_DIR", "TABLES_LINK"]

#: The link to the current generation of the works tables.
TABLES_LINK: Final = "tables"
#: The link to the current generation of the authors table.
AUTHORS_LINK: Final = "authors"
#: The folder of generations.
GENERATIONS_DIR: Final = ".generations"
#: The raw pages the fetcher wrote.
RAW_DIR: Final = "raw"
