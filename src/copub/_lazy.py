"""Lazy public names for a package (PEP 562): imported on first use, not with the package.

``import copub`` or ``import copub.indicators`` would otherwise import every
module of the package, and with them polars, scipy, matplotlib, DuckDB and
networkx: seconds before ``copub --help`` could answer. A package lists where
each public name lives, imports those names under ``TYPE_CHECKING`` for the
type checker, and gets its ``__getattr__`` and ``__dir__`` from
:func:`lazy_exports`::

    _EXPORTS = {"Tables": "copub.normalize.tables", "project_links": "copub.eu.links"}
    __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

A target ``"module:name"`` exports ``module.name`` under another name.
``tests/test_startup.py`` checks that every package's ``_EXPORTS``, its
``__all__`` and its ``TYPE_CHECKING`` imports name the same things.

Examples
--------
>>> import sys, types
>>> package = types.ModuleType("demo")
>>> sys.modules["demo"] = package
>>> package.__getattr__, package.__dir__ = lazy_exports("demo", {"root": "math:sqrt"})
>>> package.root(9.0), "root" in dir(package), "root" in vars(package)
(3.0, True, True)
>>> package.missing
Traceback (most recent call last):
AttributeError: module 'demo' has no attribute 'missing'
>>> del sys.modules["demo"]
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of ``package`` for the names in ``exports``.

    Parameters
    ----------
    package : str
        The package's ``__name__`` (it must be in ``sys.modules`` when a name is used).
    exports : mapping of str to str
        Public name -> ``"module"`` (the same name there) or ``"module:name"``.

    Returns
    -------
    tuple
        ``__getattr__`` imports the name's module on first use and keeps the
        value in the package, so the next use is a plain lookup; ``__dir__``
        lists the loaded names and every exported one.
    """

    def __getattr__(name: str) -> object:
        try:
            module, _, attribute = exports[name].partition(":")
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module), attribute or name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(exports))

    return __getattr__, __dir__
