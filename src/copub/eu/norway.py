"""The Research Council of Norway's file of every H2020 grant to a Norwegian organisation.

The file is ``;``-separated with Norwegian column names (its ``fields.csv``
lists them): ``Prosjektnr`` is the CORDIS project id, ``Organisasjonsnummer``
the organisation's number in the Norwegian register of legal entities,
``Program kode (H2020)`` the programme code without CORDIS's ``H2020-``
prefix, ``Organisasjon rolle`` COORDINATOR or PARTICIPANT, and ``Innvilget
beløp organisasjon EUR`` the organisation's EU contribution in euros.

The R&D sector (``FoU sektorkode``) stands in for CORDIS's ``activityType``:
``UoH`` (universities and university colleges) is ``HES``, ``INS`` (research
institutes) ``REC``, ``NÆR`` (industry) ``PRC``, ``HEL`` (health trusts) and
``NFR`` (the Research Council) ``PUB``, ``DIV`` ``OTH``; ``ukjent`` (unknown) is null.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import polars as pl

from copub.errors import DataError
from copub.eu.csvfile import money, read_text_csv, signed_on
from copub.eu.programmes import normalise_legal_basis, pillar2, programme_part
from copub.eu.schema import PARTICIPATIONS, check_participations

__all__ = ["NORWAY_COLUMNS", "read_norway_grants"]

#: The columns copub reads from the file.
NORWAY_COLUMNS: Final[tuple[str, ...]] = (
    "Rammeprogram",
    "Traktat kode (H2020)",
    "Programområde kode (H2020)",
    "Program kode (H2020)",
    "Programnivå 1 kode (H2020)",
    "Prosjektnr",
    "Prosjektkortnavn",
    "Utlysnings-id",
    "Topic kode",
    "Kontrakt signeringsdato",
    "Organisasjonsnummer",
    "Organisasjonsnavn",
    "Kortnavn",
    "Organisasjon rolle",
    "FoU sektorkode",
    "Innvilget beløp organisasjon EUR",
)

_SECTORS: Final[dict[str, str]] = {
    "UoH": "HES",
    "INS": "REC",
    "NÆR": "PRC",
    "HEL": "PUB",
    "NFR": "PUB",
    "DIV": "OTH",
}


def read_norway_grants(path: str | Path) -> pl.DataFrame:
    """The participation table of the Norwegian H2020 grants file.

    Raises
    ------
    DataError
        When the file is missing, has other headers, or holds another
        framework programme than H2020.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    grants = read_text_csv(path.read_bytes(), str(path), NORWAY_COLUMNS)
    programmes = set(grants["Rammeprogram"].drop_nulls().str.strip_chars().unique().to_list())
    if programmes - {"H2020"}:
        raise DataError(
            f"{path}: Rammeprogram is {', '.join(sorted(programmes - {'H2020'}))}; "
            "copub reads this file for Horizon 2020 (H2020) only: a file of the wrong programme"
        )
    euro = money(grants, "Innvilget beløp organisasjon EUR", str(path))
    code = pl.coalesce(
        pl.col("Programnivå 1 kode (H2020)"),
        pl.col("Program kode (H2020)"),
        pl.col("Programområde kode (H2020)"),
        pl.col("Traktat kode (H2020)"),
    ).str.strip_chars()
    table = (
        grants.with_columns(euro)
        .select(
            framework_programme=pl.lit("H2020"),
            project_id=pl.col("Prosjektnr").str.strip_chars(),
            acronym=pl.col("Prosjektkortnavn"),
            legal_basis=normalise_legal_basis(code),
            topic=pl.col("Topic kode").str.strip_chars(),
            call=pl.col("Utlysnings-id").str.strip_chars(),
            signature_year=pl.col("Kontrakt signeringsdato")
            .str.strip_chars()
            .str.slice(6, 4)
            .cast(pl.Int32, strict=False),
            signature_date=signed_on(
                grants, ("Kontrakt signeringsdato", "Kontrakt startdato"), "%d.%m.%Y %H:%M"
            ),
            organisation_id=pl.col("Organisasjonsnummer").str.strip_chars(),
            id_kind=pl.lit("orgnr"),
            vat=pl.lit(None, pl.String),
            organisation_name=pl.col("Organisasjonsnavn").str.strip_chars(),
            short_name=pl.col("Kortnavn").str.strip_chars(),
            activity_type=pl.col("FoU sektorkode")
            .str.strip_chars()
            .replace_strict(_SECTORS, default=None, return_dtype=pl.String),
            country=pl.lit("NO"),
            role=pl.col("Organisasjon rolle").str.strip_chars().str.to_lowercase(),
            ec_contribution_eur=pl.col("Innvilget beløp organisasjon EUR"),
            part_basis=pl.lit("programme code"),
            source=pl.lit("norway-grants"),
        )
        .with_columns(programme_part=programme_part(pl.col("legal_basis"), pl.col("topic")))
        .with_columns(pillar2=pillar2(pl.col("legal_basis"), pl.col("programme_part")))
    )
    if table["project_id"].null_count():
        raise DataError(f"{path}: {table['project_id'].null_count()} rows have no Prosjektnr")
    return check_participations(table.cast(dict(PARTICIPATIONS)), str(path))  # type: ignore[arg-type]
