"""Stage 3: label each work with its countries, partner groups, channel level and EU funding."""

from __future__ import annotations

from typing import TYPE_CHECKING

from copub._lazy import lazy_exports

if TYPE_CHECKING:  # for the type checker; at run time each name loads on first use
    from copub.classify.channels import (
        Register,
        channel_levels,
        load_register,
        normalize_issn,
        normalize_issn_expr,
    )
    from copub.classify.countries import (
        authorship_countries,
        unknown_country_codes,
        valid_country_codes,
        work_countries,
    )
    from copub.classify.funding import FUNDER_GROUPS, FunderGroup, funding_flags
    from copub.classify.groups import (
        Group,
        Member,
        Membership,
        PartnerGroups,
        load_groups,
        resolve_members,
        work_group_flags,
    )
    from copub.classify.home import home_affiliations, home_authorships
    from copub.classify.matching import match_keys, member_keys, valid_in_year

#: Where each public name lives (see copub._lazy): importing the package imports none.
_EXPORTS = {
    "Register": "copub.classify.channels",
    "channel_levels": "copub.classify.channels",
    "load_register": "copub.classify.channels",
    "normalize_issn": "copub.classify.channels",
    "normalize_issn_expr": "copub.classify.channels",
    "authorship_countries": "copub.classify.countries",
    "unknown_country_codes": "copub.classify.countries",
    "valid_country_codes": "copub.classify.countries",
    "work_countries": "copub.classify.countries",
    "FUNDER_GROUPS": "copub.classify.funding",
    "FunderGroup": "copub.classify.funding",
    "funding_flags": "copub.classify.funding",
    "Group": "copub.classify.groups",
    "Member": "copub.classify.groups",
    "Membership": "copub.classify.groups",
    "PartnerGroups": "copub.classify.groups",
    "load_groups": "copub.classify.groups",
    "resolve_members": "copub.classify.groups",
    "work_group_flags": "copub.classify.groups",
    "home_affiliations": "copub.classify.home",
    "home_authorships": "copub.classify.home",
    "match_keys": "copub.classify.matching",
    "member_keys": "copub.classify.matching",
    "valid_in_year": "copub.classify.matching",
}

__all__ = [
    "FUNDER_GROUPS",
    "FunderGroup",
    "Group",
    "Member",
    "Membership",
    "PartnerGroups",
    "Register",
    "authorship_countries",
    "channel_levels",
    "funding_flags",
    "home_affiliations",
    "home_authorships",
    "load_groups",
    "load_register",
    "match_keys",
    "member_keys",
    "normalize_issn",
    "normalize_issn_expr",
    "resolve_members",
    "unknown_country_codes",
    "valid_country_codes",
    "valid_in_year",
    "work_countries",
    "work_group_flags",
]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
