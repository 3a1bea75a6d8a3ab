"""The exceptions of ntm_rules and the NOT_APPLICABLE value."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List


class NtmError(Exception):
    """Base of every error of ntm_rules.

    ``diagnostics`` lists what went wrong, each a dict with ``severity``, ``message``
    and where: ``pointer`` (a JSON Pointer into the input, e.g.
    ``/inputs/3/data/values/10.1`` or ``/values/10.1``), and when known ``unit``,
    ``set``, ``criterion``, ``indicator``, ``document``, ``line`` and ``column``.
    """

    diagnostics: List[Dict[str, Any]]

    def __init__(self, message: str, diagnostics: Iterable[Dict[str, Any]] = ()) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)


class InputError(NtmError, ValueError):
    """The input cannot be read or used: invalid JSON, a missing or unknown key, a value
    the crate refuses (an inexact decimal), an unknown catalog id, an invalid tree."""


class InputTypeError(InputError, TypeError):
    """A value of the wrong Python type: a ``float`` (never exact; give ``str``, ``int``
    or ``decimal.Decimal``), a set instead of a list, an argument that is not a dict."""


class LimitError(InputError):
    """The input is past the size or nesting depth limit (checked before it is read;
    a dict nested deeper, or one that contains itself, stops here too). The number of
    units is counted while the request is read: past that limit the contract gives an
    :class:`InputError` whose diagnostic says so (``/inputs``)."""


class EvaluationError(NtmError, ValueError):
    """A unit cannot be evaluated: its data does not fit the sets (a percentage over 100,
    a count below 0), a set does not compile for its profile, or its history does not
    nest."""


class InternalError(NtmError, RuntimeError):
    """A bug in ntm-rules, caught at the boundary (a panic) instead of crashing the
    interpreter. Please report it with the input."""


class _NotApplicable:
    """The value of an indicator that does not apply to the unit (distinct from a
    missing value, which is left out)."""

    _instance: "_NotApplicable | None" = None

    def __new__(cls) -> "_NotApplicable":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ntm_rules.NOT_APPLICABLE"

    def __reduce__(self) -> str:
        return "NOT_APPLICABLE"


NOT_APPLICABLE = _NotApplicable()
