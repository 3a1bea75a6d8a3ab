"""Vietnam's New Rural Development criteria (Nông thôn mới) as executable, explainable,
exact rules: the Python package of the Rust crate ntm-rules.

- :func:`evaluate` handles a request of the versioned JSON contract (the same as
  ``ntm evaluate`` and the C ABI): a whole province in, every unit's decision out.
- :class:`Evaluator` evaluates one unit against catalog sets (or your own), with the
  outcome of every indicator and criterion and the decision.
- :func:`catalog` lists the built-in national sets; :func:`validate` checks a request,
  a criteria set or an overlay and returns its diagnostics.

Numbers are exact. Give decimals as ``str`` (``"41.5"``), ``int`` or
``decimal.Decimal``; a ``float`` is refused (:class:`InputTypeError`), because it has
already passed through binary floating point and no input is rounded. Decimals come
back as strings (``"41.5"``): ``decimal.Decimal(x)`` reads them exactly.

Errors are :class:`NtmError` subclasses carrying ``.diagnostics``: dicts with the
``message`` and where (``pointer``, a JSON Pointer into the input; ``unit``, ``set``,
``indicator`` when known).
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _native
from ._native import CONTRACT_VERSION, Evaluator, __version__
from ._types import (
    NOT_APPLICABLE,
    EvaluationError,
    InputError,
    InputTypeError,
    InternalError,
    LimitError,
    NtmError,
)

__all__ = [
    "CONTRACT_VERSION",
    "NOT_APPLICABLE",
    "EvaluationError",
    "Evaluator",
    "InputError",
    "InputTypeError",
    "InternalError",
    "LimitError",
    "NtmError",
    "__version__",
    "catalog",
    "evaluate",
    "validate",
]

#: A JSON document: a dict (or any mapping; a list for several criteria sets), the JSON
#: text as a ``str``, or a path to a JSON file.
Document = Union[Mapping[str, Any], Sequence[Any], str, "os.PathLike[str]"]


def evaluate(
    request: Document,
    *,
    max_bytes: Optional[int] = None,
    max_depth: Optional[int] = None,
    max_units: Optional[int] = None,
) -> Dict[str, Any]:
    """Handle one request of the JSON contract and return the response as a dict.

    ``request`` is a dict, the JSON text (``str``) or a path (``pathlib.Path``) to it;
    see ``ntm schema request``. The response is what ``ntm evaluate`` prints:
    ``results`` (each unit's decision), ``summaries``, ``plan`` and ``diagnostics``.

    The contract is batch-first: a malformed unit or a unit with bad data is reported in
    ``response["diagnostics"]`` (with its JSON Pointer and unit code) and the others are
    still evaluated. Only a request that gives no results raises.

    The limits default to the contract's (64 MiB, nesting depth 32, 200,000 units; the
    others as the README's "Limits" table says).

    :raises InputTypeError: a value of the wrong Python type (a ``float``, say).
    :raises LimitError: the request is past a limit (size, depth, string length, units,
        sets, profiles...); its diagnostic names the limit (``"limit": {"name":
        "max_units", "value": 3}``) and the place. A subclass of ``InputError``.
    :raises InputError: the request cannot be read or used (invalid JSON, missing keys,
        an invalid tree, an unknown catalog id).
    """
    return _native.evaluate(
        request, max_bytes=max_bytes, max_depth=max_depth, max_units=max_units
    )


def catalog() -> List[Dict[str, Any]]:
    """The built-in national criteria sets: ``id``, ``scheme``, ``level``, ``tier``,
    ``title``, ``documents`` and ``partial`` (every set is partial: unknown thresholds
    are data, never guesses). The ids are what :class:`Evaluator` takes."""
    return _native.catalog_entries()


def validate(document: Document, *, kind: Optional[str] = None) -> List[Dict[str, Any]]:
    """Check a document and return its diagnostics (empty when it is valid).

    A request is run (tree, sets, overlays, every unit's data; warnings included); a
    criteria set, or a list of sets, is checked for structure, references and complete
    threshold tables (and tiers, for several); an overlay is applied to the catalog sets
    it names. The kind is recognised from the top-level keys, or named with ``kind``:
    ``"request"``, ``"criteria_set"``, ``"criteria_sets"`` or ``"overlay"``.

    :raises InputTypeError: ``document`` is not a dict, list, str or path.
    """
    return _native.validate(document, kind=kind)
