"""copub's benchmark suite: copub against the physical floor and the routes users take.

Run ``python -m benchmarks.run --help``. Nothing here runs in the test suite (the tests
only read the README's quoted figures through ``benchmarks.readme_figures.quoted``);
generated data lives in ``benchmarks/.cache/`` (gitignored).
"""

__all__: list[str] = []
