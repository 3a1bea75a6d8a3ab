"""Type stubs of the extension module (re-exported by ``ntm_rules``)."""

from typing import Any, Dict, List, Mapping, Optional, Sequence, Union
import os

_Document = Union[Mapping[str, Any], Sequence[Any], str, "os.PathLike[str]"]

CONTRACT_VERSION: int
__version__: str

def evaluate(
    request: _Document,
    *,
    max_bytes: Optional[int] = None,
    max_depth: Optional[int] = None,
    max_units: Optional[int] = None,
) -> Dict[str, Any]: ...
def validate(document: _Document, *, kind: Optional[str] = None) -> List[Dict[str, Any]]: ...
def catalog_entries() -> List[Dict[str, Any]]: ...
def _panic_for_test() -> None: ...
def _panic_detached_for_test() -> None: ...

class Evaluator:
    """The criteria sets of one level for one reporting year and one unit profile.

    ``set_ids`` are catalog ids (``ntm_rules.catalog()``), e.g. the three 2021-2025
    commune sets; ``sets`` adds your own sets (dicts, JSON str or paths); ``overlays``
    are provincial overlays applied to the sets they name (entries for catalog sets not
    held are listed in ``overlay_sets_not_held``). ``region`` (``"tdmnpb"``, ``"dbsh"``,
    ...), ``commune_group`` and ``statuses`` (``["especially_difficult"]``) are the
    unit's profile.

    Programs are compiled once and reused for every unit. One evaluation at a time: give
    each thread its own ``Evaluator`` (a second thread evaluating on the same one
    meanwhile gets a ``RuntimeError``, never a crash).

    :raises InputError: an unknown catalog id, a set or overlay that does not read, an
        overlay that loosens a national value, sets reading one id as two kinds.
    """

    def __init__(
        self,
        set_ids: Optional[Sequence[str]] = None,
        *,
        year: int,
        region: Optional[str] = None,
        commune_group: Optional[str] = None,
        statuses: Optional[Sequence[str]] = None,
        sets: Optional[Sequence[_Document]] = None,
        overlays: Optional[Sequence[_Document]] = None,
    ) -> None: ...
    def evaluate(
        self,
        values: Mapping[str, Any],
        history: Union[None, Sequence[Mapping[str, Any]], _Document] = None,
        *,
        unit: str = "unit",
        outstanding_fields: Optional[Sequence[str]] = None,
    ) -> Dict[str, Any]:
        """Evaluate one unit.

        ``values`` maps indicator ids to values: ``str``, ``int`` or
        ``decimal.Decimal`` for numbers (exact; a ``float`` is refused), ``bool`` for
        yes/no, ``str`` for grades, ``ntm_rules.NOT_APPLICABLE``; leave an indicator
        out when its value is missing. ``history`` is a list of events
        (``{"tier": "standard", "year": 2020, "kind": "recognised"}``) or a history
        document. ``outstanding_fields`` are the fields in which the unit is a model
        (319/QĐ-TTg condition 4: ``["an ninh, trật tự"]``), carried onto the decision
        when the unit holds a tier after it, as in a request.

        Returns a dict: ``decision`` (``verdict``: recognise / maintain / revoke /
        not_yet / cannot_decide, with the tier, the reasons and the revocation clause),
        ``assessments`` (one per set: every criterion and indicator with its
        ``outcome`` met / not_met / undetermined / not_applicable, the ``threshold``
        row used with its ``source`` and ``confidence``, and the signed ``margin``),
        ``unused_values`` (ids no set reads, with a hint) and ``profile_lacks``.

        :raises InputTypeError: a ``float`` or another value of the wrong type.
        :raises InputError: a value that is not an exact decimal, ``None``.
        :raises EvaluationError: bad data (a percentage over 100, a count below 0, a
            value of the wrong kind), or a history that does not nest.
        """
    @property
    def set_ids(self) -> List[str]: ...
    @property
    def year(self) -> int: ...
    @property
    def profile(self) -> Dict[str, Any]: ...
    @property
    def overlay_sets_not_held(self) -> List[str]: ...
