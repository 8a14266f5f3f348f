"""Where publication points from OpenAlex records differ from the national system's.

The rules (:mod:`~copub.analyses.points.rules`) are the national system's,
digit for digit; the records they run on are not. Every result of the
analysis carries :data:`DIFFERENCES`, so no output shows points without
saying what they are not.
"""

from __future__ import annotations

__all__ = ["DIFFERENCES"]

#: One plain sentence per difference, in the order a reader needs them.
DIFFERENCES: tuple[str, ...] = (
    "These are not the official NVI points: the national system counts only works that are "
    "registered in NVA (Cristin before 2024), reported in an open period and approved by the "
    "institutions; copub applies the national rules to every OpenAlex work of the year.",
    "Which publication types count: the national system counts academic articles, literature "
    "reviews, monographs, commentaries and chapters; copub reads OpenAlex's work type (article "
    "as academic article, review as literature review, book as monograph, book-chapter as "
    "chapter), which has no 'academic' flag and no commentary type, so some non-academic "
    "articles count and every other OpenAlex type (letter, editorial, preprint, ...) never does.",
    "Works come from copub's universe (definitions.universe): the default Leiden universe has "
    "no books, so monographs count only under universe 'all' or a 'types' universe with 'book'.",
    "Channel types: the national system pairs an article or review with a journal and a book or "
    "chapter with a series or a publisher; copub matches a work's source on its ISSNs in the "
    "register (journals and series, levels of the work's year) and takes that channel as the "
    "journal of an article or review and the series of a book or chapter; OpenAlex's source "
    "types (journal, book series, conference, ebook platform, repository) do not choose it.",
    "Series or publisher: the national system uses a book's series when the series has a level "
    "and its publisher otherwise (a chapter in a series earns 1 or 3, a chapter in a book from a "
    "publisher 0.7 or 1); publishers have no ISSN, so copub cannot match them, and a book or "
    "chapter outside a series with a level earns no points here: book and chapter points are a "
    "lower bound.",
    "Every OpenAlex author counts as a creator (OpenAlex lists no editors or other roles). "
    "Authors without an affiliation count one author share, as in the national system; but "
    "OpenAlex misses affiliations that the national system's records carry, and it cannot "
    "verify creators against the national person register, so home authors without an "
    "institution in OpenAlex lower the home institution's points instead of raising them.",
    "Top-level institutions: the national system counts each creator once per distinct "
    "top-level institution of its organisation register; copub counts institutions whose "
    "OpenAlex lineages share an id (a university and its departments) as one institution, "
    "which can group units differently.",
    "International co-authorship: as in the national system, a work is international when some "
    "author has an affiliation whose country is not Norway (NO); this is not copub's "
    "international co-publication (two or more countries), and for an institution outside "
    "Norway nearly every work is international under this rule.",
    "Works whose author list OpenAlex truncated at 100 and that were not re-fetched count each "
    "missing author as one author share.",
    "Points are computed for every institution asked for, also peers outside Norway that the "
    "national system never rewards: their points are what the Norwegian rules would give them.",
)
