"""bibliometrix's per-country collaboration table (``CountryCollaboration``).

As ``countryCollaboration`` in bibliometrix's ``R/biblioAnalysis.R``: per
``AU1_CO`` country, ``Articles`` (its documents), ``SCP`` (those whose
``AU_CO`` holds one distinct country), ``MCP = Articles - SCP``, with
``Freq`` (its share of all documents with an ``AU1_CO``) and
``MCP_Ratio = MCP / Articles``, as bibliometrix's summary prints them.
The per-work fields come from :mod:`copub.classify.bibliometrix`.
"""

from __future__ import annotations

import polars as pl

from copub.classify.definitions import Definitions
from copub.indicators.labels import LabelledWorks, label_works
from copub.normalize import Tables

__all__ = ["country_collaboration"]


def country_collaboration(
    source: Tables | LabelledWorks, definitions: Definitions | None = None
) -> pl.DataFrame:
    """bibliometrix's country table over the universe's works (the ``bibliometrix`` preset).

    Parameters
    ----------
    source : Tables or LabelledWorks
        Labelled works are relabelled when they were not labelled under the
        ``bibliometrix`` preset.
    definitions : Definitions, optional
        Default ``Definitions(preset="bibliometrix")``; another preset is
        replaced by ``bibliometrix``.

    Returns
    -------
    pl.DataFrame
        ``country, articles, scp, mcp, freq, mcp_ratio``, by articles (most first).

    Examples
    --------
    >>> import copub
    >>> table = country_collaboration(copub.load_sample(scale=0.01))
    >>> bool((table["scp"] + table["mcp"] == table["articles"]).all())
    True
    """
    if isinstance(source, LabelledWorks):
        chosen = (definitions or source.definitions).with_(preset="bibliometrix")
        works = source if source.definitions == chosen else label_works(source.source, chosen)
    else:
        chosen = (definitions or Definitions()).with_(preset="bibliometrix")
        works = label_works(source, chosen)
    attributed = works.works.filter(pl.col("au1_co").is_not_null())
    total = attributed.height
    return (
        attributed.group_by(country="au1_co")
        .agg(articles=pl.len().cast(pl.Int64), scp=(pl.col("n_au_co") == 1).sum().cast(pl.Int64))
        .with_columns(mcp=pl.col("articles") - pl.col("scp"))
        .with_columns(
            freq=pl.col("articles") / total if total else pl.lit(None, pl.Float64),
            mcp_ratio=pl.col("mcp") / pl.col("articles"),
        )
        .sort(["articles", "country"], descending=[True, False])
    )
