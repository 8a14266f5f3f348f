"""The analyses: one folder per question, each registered once (:mod:`copub.analyses.registry`).

Every analysis computes an :class:`~copub.analyses.contract.AnalysisResult`
from the shared inputs under one :class:`~copub.classify.definitions.Definitions`;
the report and the subcommands write results with the same writers.
"""
