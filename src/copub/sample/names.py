"""Word pools for synthetic names and titles, generic so they point at no real person or journal."""

from __future__ import annotations

from typing import Final

__all__ = [
    "FIELDS",
    "FIRST_NAMES",
    "JOURNAL_PATTERNS",
    "LAST_NAMES",
    "PUBLISHERS",
    "TITLE_ADJECTIVES",
    "TITLE_NOUNS",
]

# fmt: off
FIRST_NAMES: Final = (
    "Ada", "Aksel", "Amir", "Anna", "Ari", "Astrid", "Ben", "Bjørn", "Carla", "Chen", "Dag",
    "Dana", "Eirik", "Elena", "Emil", "Eva", "Farah", "Finn", "Gaute", "Hana", "Hugo", "Ida",
    "Ingrid", "Ivan", "Jakob", "Jin", "Julia", "Kari", "Karin", "Lars", "Lea", "Leo", "Lin",
    "Maja", "Marco", "Maria", "Mei", "Nils", "Nina", "Ola", "Omar", "Paula", "Per", "Priya",
    "Rafael", "Rania", "Rui", "Sara", "Sigrid", "Sofia", "Stein", "Tara", "Thomas", "Tuva",
    "Ulrik", "Vera", "Viktor", "Wei", "Yusuf", "Zara",
)

LAST_NAMES: Final = (
    "Aas", "Alvarez", "Andersen", "Bakke", "Berg", "Brandt", "Castro", "Dahl", "Eriksen",
    "Evans", "Falk", "Fischer", "Garcia", "Gupta", "Haugen", "Hansen", "Holm", "Ivanova",
    "Jensen", "Johansen", "Kaur", "Kim", "Klein", "Kowalski", "Larsen", "Lee", "Lie", "Lund",
    "Martin", "Meyer", "Moen", "Moreau", "Müller", "Nakamura", "Nguyen", "Nilsen", "Novak",
    "Olsen", "Pedersen", "Petrov", "Rossi", "Ruiz", "Sato", "Schmidt", "Silva", "Solberg",
    "Strand", "Sun", "Svendsen", "Tanaka", "Torres", "Vik", "Wang", "Weber", "Wilson",
    "Yamamoto", "Zhang", "Østby", "Ødegård",
)

FIELDS: Final = (
    "Marine Engineering", "Energy Systems", "Materials Science", "Computational Physics",
    "Clinical Medicine", "Neuroscience", "Environmental Chemistry", "Applied Mathematics",
    "Machine Learning", "Petroleum Geoscience", "Structural Mechanics", "Public Health",
    "Ocean Technology", "Cell Biology", "Power Electronics", "Urban Planning",
    "Cognitive Psychology", "Process Engineering", "Ecology", "Economics",
)

TITLE_ADJECTIVES: Final = (
    "Robust", "Scalable", "Adaptive", "Sustainable", "Multiscale", "Data-driven",
    "Probabilistic", "Experimental", "Numerical", "Integrated", "Distributed", "Longitudinal",
    "Comparative", "Efficient", "Nonlinear", "Hybrid",
)

TITLE_NOUNS: Final = (
    "modelling", "estimation", "control", "design", "assessment", "optimisation", "monitoring",
    "analysis", "characterisation", "prediction", "simulation", "detection", "synthesis",
    "evaluation", "framework",
)

JOURNAL_PATTERNS: Final = (
    "Journal of {field}", "{field} Letters", "Advances in {field}",
    "International Journal of {field}", "{field} Reviews", "Annals of {field}",
    "Transactions on {field}", "Nordic Journal of {field}",
)

PUBLISHERS: Final = (
    "Northern Lights Press", "Fjord Scientific", "Polar Academic Publishing",
    "Aurora Science Media", "Granite House Publishers", "Harbour Open Access",
    "Meridian Scholarly", "Tideway Journals", "Boreal Research Press", "Summit Learned Society",
)
# fmt: on
