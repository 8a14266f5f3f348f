"""The synthetic world: deterministic OpenAlex-shaped works for NTNU, without network.

Everything here is invented except the names and verified ids of the home
institution, the alliance members, four research infrastructures and three EU
funders. Output made from it always says it is synthetic
(``Tables.provenance.synthetic``).

Examples
--------
>>> import tempfile
>>> from copub.sample import write_sample
>>> files = write_sample(tempfile.mkdtemp(), seed=0, scale=0.002)
>>> files.register.name, files.readme.read_text().splitlines()[0]
('channel_register.csv', 'SYNTHETIC DATA - NOT REAL PUBLICATIONS')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from copub._lazy import lazy_exports

if TYPE_CHECKING:  # for the type checker; at run time each name loads on first use
    from copub.sample.load import load_sample, sample_cache_dir, sample_register_path
    from copub.sample.writer import SampleFiles, SampleFormat, write_sample

#: Where each public name lives (see copub._lazy): importing the package imports none.
_EXPORTS = {
    "load_sample": "copub.sample.load",
    "sample_cache_dir": "copub.sample.load",
    "sample_register_path": "copub.sample.load",
    "SampleFiles": "copub.sample.writer",
    "SampleFormat": "copub.sample.writer",
    "write_sample": "copub.sample.writer",
}

__all__ = [
    "SampleFiles",
    "SampleFormat",
    "load_sample",
    "sample_cache_dir",
    "sample_register_path",
    "write_sample",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
