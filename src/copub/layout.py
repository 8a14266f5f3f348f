"""The names of a copub data directory's parts, shared by every stage that must know them.

The normalizer writes them; the output writers refuse to write into them.
"""

from __future__ import annotations

__all__ = ["GENERATIONS_DIR", "RAW_DIR", "TABLES_LINK"]

#: The link to the current table generation.
TABLES_LINK = "tables"
#: The folder of table generations.
GENERATIONS_DIR = ".generations"
#: The raw pages the fetcher wrote.
RAW_DIR = "raw"
