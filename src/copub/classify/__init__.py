"""Stage 3: label each work with its countries, partner groups, channel level and EU funding."""

from __future__ import annotations

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
from copub.classify.group_data import policy_notes
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
    "policy_notes",
    "resolve_members",
    "unknown_country_codes",
    "valid_country_codes",
    "valid_in_year",
    "work_countries",
    "work_group_flags",
]
