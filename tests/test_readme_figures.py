"""The README's quoted figures of the sample each have a checker.

Times and the full sample's author network are measured by
``python -m benchmarks.readme_figures`` (not in tests: times depend on the
machine); this test makes sure the README still quotes each figure that script
checks, so an edit of the README cannot leave a figure unchecked.
"""

from __future__ import annotations

import pytest
from benchmarks.readme_figures import CLAIMS, Claim, agrees, quoted


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda claim: claim.name)
def test_the_readme_quotes_what_the_script_measures(claim: Claim) -> None:
    assert quoted(claim.pattern)


def test_a_quote_agrees_only_within_its_rule() -> None:
    count = Claim("n", "", exact=True)
    time = Claim("t", "", exact=False)
    assert agrees(count, "66,664", "66,664") and not agrees(count, "66,664", "66,482")
    assert agrees(time, "15", "18") and not agrees(time, "15", "34")


def test_a_dropped_quote_is_an_error() -> None:
    with pytest.raises(LookupError, match="no longer quotes"):
        quoted(r"about ([0-9]+) unicorns", "The sample has about 12 horses.")
