"""Partner groups: the public face of the model, the TOML loader, resolution and flags.

Examples
--------
>>> groups = load_groups()
>>> groups.keys()[:4]
('home', 'nordic', 'eu', 'eea')
>>> sorted(m.code for m in groups.members_in("priority", 2022))[:3]
['BR', 'CA', 'CN']
"""

from __future__ import annotations

from copub.classify.group_data import DEFAULT_GROUP_FILES, load_groups
from copub.classify.group_flags import Membership, work_group_flags
from copub.classify.membership import Group, GroupKind, Member, PartnerGroups
from copub.classify.resolve import resolve_members

__all__ = [
    "DEFAULT_GROUP_FILES",
    "Group",
    "GroupKind",
    "Member",
    "Membership",
    "PartnerGroups",
    "load_groups",
    "resolve_members",
    "work_group_flags",
]
