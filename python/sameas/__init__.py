"""sameas: customer identity resolution from Python.

Which customer records, from many systems, are the same person; how confident that
decision is; kept right as records arrive, evidence is asserted and records are
erased. A thin layer over the Rust library ``sameas``:

- configurations are plain dicts (or JSON text) in the Rust crate's serde form;
  :func:`infer_config` proposes one from column names and values;
- :func:`resolve` trains without labels (or with them) and returns every record's
  profile and confidence as a pandas DataFrame;
- :meth:`ProfileGraph.pairs`, :meth:`Model.parameters`,
  :meth:`ProfileGraph.review_queue` and :func:`evaluate` answer as DataFrames;
- models, graphs and configs pickle (to ship them to Spark or Dask workers);
- missing values (None, NaN, ``pd.NA``, ``NaT``) are missing everywhere, also inside
  list cells;
- :class:`ProfileGraph` resolves incrementally: every mutation returns its events;
- records go in as columns (a DataFrame, a dict of lists, or a list of dicts), and
  the heavy work runs in Rust with the GIL released;
- every error is a :class:`SameasError`, a ``ValueError`` carrying the Rust message.

Example::

    import sameas
    data = sameas.generate(records=2_000, seed=7)
    profiles = sameas.resolve(data, ignore=["entity_id"])
"""

from __future__ import annotations

import json
import math
import re
from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from . import _sameas
from ._sameas import (
    DEFAULT_MAX_BLOCK_SIZE,
    DEFAULT_THRESHOLD,
    DEFAULT_VETO,
    DEFAULT_WINDOW,
    MAX_CHECKED_MEMBERS,
    Model,
    SameasError,
    __version__,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "DEFAULT_MAX_BLOCK_SIZE",
    "DEFAULT_THRESHOLD",
    "DEFAULT_VETO",
    "DEFAULT_WINDOW",
    "MAX_CHECKED_MEMBERS",
    "Model",
    "ProfileGraph",
    "SameasError",
    "block_keys",
    "candidate_pairs",
    "cluster",
    "combine_sources",
    "evaluate",
    "exclusive_keys",
    "generate",
    "infer_config",
    "normalize",
    "resolve",
    "score_pairs",
    "train",
    "__version__",
]

Config = Union[Mapping[str, Any], str]
"""A configuration: a dict in the Rust serde form, or its JSON text."""

ModelLike = Union[Model, Mapping[str, Any], str]
"""A model: a :class:`Model`, its dict form, or its JSON text."""

Event = Dict[str, Any]
"""One change to the profiles; ``type`` says which (see :class:`ProfileGraph`)."""

_ID_NAMES = ("id", "record_id", "rec_id", "unique_id")
_SOURCE_NAMES = ("source", "source_system")
_OBSERVED_NAMES = ("observed_at",)


# ---------------------------------------------------------------- input helpers


def _missing(value: Any) -> bool:
    """True for a missing value: None, NaN, ``pd.NA``, ``NaT``."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    name = type(value).__name__
    if name in ("NAType", "NaTType"):
        return True
    if name in ("datetime64", "timedelta64", "float16", "float32", "float64", "longdouble"):
        return str(value) in ("NaT", "nan")
    return False


def _is_frame(data: Any) -> bool:
    """True for a pandas (or pandas-like) DataFrame."""
    return hasattr(data, "columns") and hasattr(data, "dtypes") and not isinstance(data, Mapping)


def _as_list(name: str, values: Any) -> list:
    """A column as a plain list of Python objects."""
    if isinstance(values, list):
        return values
    if hasattr(values, "tolist"):  # numpy arrays, pandas Series
        if hasattr(values, "notna") and hasattr(values, "astype"):
            values = values.astype(object).where(values.notna(), None)
        return values.tolist()
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise SameasError(f"column {name!r} must be a list of values, got {type(values).__name__}")
    return list(values)


def _columns(data: Any) -> Dict[str, list]:
    """Records as a dict of equally long column lists.

    Accepts a pandas DataFrame, a dict of column lists, a list of row dicts, or one
    record as a dict of scalars. Missing values (None, NaN, NA) become None.
    """
    if _is_frame(data):
        out: Dict[str, list] = {}
        for name in data.columns:
            key = str(name)
            if key in out:
                raise SameasError(f"column {key!r} appears twice")
            out[key] = _as_list(key, data[name])
        return out
    if isinstance(data, Mapping):
        if data and not any(
            isinstance(v, (list, tuple)) or hasattr(v, "tolist") or hasattr(v, "__next__")
            for v in data.values()
        ):
            return {str(k): [v] for k, v in data.items()}  # one record
        return {str(k): _as_list(str(k), v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        keys: Dict[str, None] = {}
        for row in data:
            if not isinstance(row, Mapping):
                raise SameasError(
                    f"a list of records must hold dicts, got {type(row).__name__}"
                )
            for k in row:
                keys.setdefault(str(k), None)
        return {k: [row.get(k) for row in data] for k in keys}
    raise SameasError(
        "records must be a pandas DataFrame, a dict of columns or a list of dicts, "
        f"got {type(data).__name__}"
    )


def _find(
    columns: Mapping[str, list], given: Optional[str], names: Sequence[str], skip: Sequence[str] = ()
) -> Optional[str]:
    """The column playing a role: the one named, else the first default name present
    (never one in ``skip``)."""
    if given is not None:
        if given not in columns:
            raise SameasError(f"no column {given!r} (columns: {', '.join(columns)})")
        return given
    lowered = {c.lower(): c for c in columns if c not in skip}
    for n in names:
        if n in lowered:
            return lowered[n]
    return None


def _ends_in_id(column: str) -> bool:
    """Whether the last word of a column name is "id" (``mention_id``, ``CustomerID``)."""
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", column)
    return bool(words) and words[-1].lower() == "id"


def _roles(
    columns: Mapping[str, list],
    id: Optional[str],
    source: Optional[str],
    observed_at: Optional[str],
    skip: Sequence[str] = (),
) -> Tuple[str, Optional[str], Optional[str]]:
    """The id, source and observation-time columns (auto-detected when not named; never
    one in ``skip``, e.g. the truth). As the Rust ``ColumnRoles::detect``: the id is
    the first usual id name present, else the first other column if its name ends in
    "id" (``mention_id``: exports lead with their key)."""
    source_col = _find(columns, source, _SOURCE_NAMES, skip)
    id_col = _find(columns, id, _ID_NAMES, skip)
    if id_col is None:
        first = next((c for c in columns if c not in skip and c != source_col), None)
        id_col = first if first is not None and _ends_in_id(first) else None
    if id_col is None:
        raise SameasError(
            f"no record id column (looked for {', '.join(_ID_NAMES)}, or a first column "
            f"named *_id; columns: {', '.join(columns)}); name one with id="
        )
    return id_col, source_col, _find(columns, observed_at, _OBSERVED_NAMES, skip)


def _config_dict(config: Config) -> Dict[str, Any]:
    """A configuration as a dict (parsing JSON text)."""
    if isinstance(config, (str, bytes)):
        try:
            out = json.loads(config)
        except ValueError as e:
            raise SameasError(f"parse error: config: {e}") from None
    elif isinstance(config, Mapping):
        out = dict(config)
    else:
        raise SameasError(f"a config must be a dict or JSON text, got {type(config).__name__}")
    if not isinstance(out, dict):
        raise SameasError("a config must be a JSON object")
    return out


def _config_json(config: Config) -> str:
    """A configuration as JSON text."""
    return config if isinstance(config, str) else json.dumps(_config_dict(config))


def _model(model: ModelLike) -> Model:
    """A :class:`Model` from a model, its dict form or its JSON text."""
    if isinstance(model, Model):
        return model
    if isinstance(model, (str, bytes)):
        return Model.from_json(model if isinstance(model, str) else model.decode())
    if isinstance(model, Mapping):
        return Model.from_json(json.dumps(model))
    raise SameasError(f"a model must be a Model, dict or JSON text, got {type(model).__name__}")


def _sample_rows(columns: Mapping[str, list], names: List[str], rows: int) -> List[List[str]]:
    """The first ``rows`` rows of ``names`` as text ("" for a missing value): what the
    library reads to guess a column's kind."""
    n = min([rows] + [len(columns[c]) for c in names])
    return [["" if _missing(columns[c][r]) else str(columns[c][r]) for c in names] for r in range(n)]


def _unused_columns(config: Mapping[str, Any], columns: Mapping[str, list], skip: List[str]) -> List[str]:
    """The columns, but those in ``skip``, that records built for ``config`` do not
    read: neither a schema column nor a second e-mail or phone column (``email_2``
    feeds ``email``)."""
    return _sameas.unused_columns(json.dumps(config), [c for c in columns if c not in skip])


def _pandas() -> Any:
    """The pandas module (a dependency, imported on first use)."""
    import pandas

    return pandas


def _frame(columns: Mapping[str, Any], dtypes: Optional[Mapping[str, str]] = None) -> "pd.DataFrame":
    """A pandas DataFrame of the columns (with these dtypes, so that empty frames
    have them too)."""
    frame = _pandas().DataFrame(dict(columns))
    if dtypes:
        frame = frame.astype(dict(dtypes))
    return frame


def _labels(
    columns: Mapping[str, list], id_col: str, labels: Any
) -> Tuple[Optional[List[Tuple[str, str]]], Optional[List[Tuple[str, str, bool]]]]:
    """Labels as (record id → entity) pairs and/or labelled record pairs."""
    if labels is None:
        return None, None
    if isinstance(labels, str):
        if labels not in columns:
            raise SameasError(f"no label column {labels!r}")
        return [(str(i), str(e)) for i, e in zip(columns[id_col], columns[labels]) if not _missing(e)], None
    if isinstance(labels, Mapping) or hasattr(labels, "items"):
        return [(str(i), str(e)) for i, e in labels.items() if not _missing(e)], None
    pairs = [(str(a), str(b), bool(s)) for a, b, s in labels]
    return None, pairs


# ---------------------------------------------------------------- functions


def combine_sources(
    sources: Mapping[str, Any],
    *,
    id: Optional[str] = None,
    keep: Iterable[str] = (),
    sample_rows: int = 200,
) -> "pd.DataFrame":
    """One table of the records of several sources that name their columns their own way.

    ``sources`` maps each source's name to its records (a DataFrame, a dict of columns
    or a list of row dicts). A table's record id column is ``id`` (default: the first
    of ``id``, ``record_id``, ``rec_id``, ``unique_id``); its own source column, if
    any, gives way to the source's name. The other columns are matched as the
    ``resolve`` example matches CSV files (the Rust ``config::infer_schema_of_tables``):
    a column joins the column of its own name, else the first column of its kind that
    its table does not fill yet, so a CRM's ``first_name`` and a web shop's
    ``forename`` become one ``first_name`` column and the sources are compared on it;
    free text and identifiers join by name only. Columns in ``keep`` (a truth column)
    and columns no field uses are carried over under their own names.

    Returns a DataFrame with ``record_id``, ``source`` and the matched columns, the
    records in the order of ``sources``; missing values are None. Pass it to
    :func:`resolve`, :func:`train` or :class:`ProfileGraph`.
    """
    keep = list(keep)
    tables = []
    for name, data in sources.items():
        columns = _columns(data)
        id_col = _find(columns, id, _ID_NAMES)
        if id_col is None:
            raise SameasError(
                f"source {name!r}: no record id column (looked for {', '.join(_ID_NAMES)}; "
                f"columns: {', '.join(columns)}); name one with id="
            )
        source_col = _find(columns, None, _SOURCE_NAMES)
        data_cols = [c for c in columns if c not in (id_col, source_col) and c not in keep]
        sample = _sample_rows(columns, data_cols, sample_rows)
        tables.append((str(name), columns, id_col, data_cols, sample))
    feeds = _sameas.align_columns([(t[3], t[4]) for t in tables])
    out: Dict[str, list] = {"record_id": [], "source": []}
    filled = 0
    for (name, columns, id_col, data_cols, _), feed in zip(tables, feeds):
        n = len(columns[id_col])
        targets: Dict[str, str] = {}
        for c, target in zip(data_cols, feed):
            # A second column of one field (``email_2`` beside ``email``) keeps its
            # name: reading the table again feeds it to the same field.
            targets[c] = target if target is not None and target not in targets.values() else c
        for c in keep:
            if c in columns:
                targets[c] = c
        # A column no field uses keeps its name, made unique if a field took it.
        taken = set()
        for c, target in targets.items():
            while target in taken:
                target += "_"
            targets[c] = target
            taken.add(target)
        out["record_id"] += [str(v) for v in columns[id_col]]
        out["source"] += [name] * n
        for c, target in targets.items():
            column = out.setdefault(target, [None] * filled)
            column += [None if _missing(v) else v for v in columns[c]]
        filled += n
        for column in out.values():
            column += [None] * (filled - len(column))
    return _frame(out)


def infer_config(
    data: Any,
    sample_rows: Optional[int] = None,
    *,
    exclude: Iterable[str] = (),
) -> Dict[str, Any]:
    """Proposes a configuration from column names and sample values.

    ``data`` is a list of column names, a pandas DataFrame, a dict of columns or a
    list of row dicts. Kinds are guessed from names first (``first_name``,
    ``surname``, ``email``, ``dob``, ``postcode`` …), then from values (emails,
    dates, phone numbers); columns that look like record ids, sources or truth
    labels (``id``, ``record_id``, ``source``, ``entity_id`` …) and those in
    ``exclude`` are left out. Returns the config as a dict in the Rust serde form:
    edit it and pass it back anywhere a config is accepted.
    """
    if isinstance(data, (list, tuple)) and all(isinstance(c, str) for c in data):
        columns: Dict[str, list] = {c: [] for c in data}
    else:
        if isinstance(data, (list, tuple)) and sample_rows is not None:
            data = list(data)[:sample_rows]
        elif _is_frame(data):
            data = data.head(sample_rows if sample_rows is not None else 200)
        columns = _columns(data)
    rows = 200 if sample_rows is None else max(0, int(sample_rows))
    columns = {k: v[:rows] for k, v in columns.items()}
    return json.loads(_sameas.infer_config(columns, rows, list(exclude)))


def generate(records: int = 20_000, seed: int = 42, **options: Any) -> Dict[str, list]:
    """Generates a realistic multi-source customer data set with its truth.

    Returns columns (a dict of lists): ``record_id``, ``source``, ``observed_at``
    (ISO 8601), ``given_name``, ``family_name``, ``email``, ``email_2``, ``phone``,
    ``phone_2``, ``date_of_birth``, ``street_address``, ``city``, ``postcode``,
    ``country``, ``loyalty_id`` (missing values are empty strings) and
    ``entity_id`` (the true person, an int). The same arguments always give the
    same data. ``options`` are the generator's rates (``typo_rate``,
    ``duplicate_rate``, ``household_rate`` … as in Rust's ``SynthConfig``); an
    unknown option is an error naming it.
    """
    return _sameas.generate(json.dumps({"records": int(records), "seed": int(seed), **options}))


def _build(
    data: Any,
    config: Optional[Config],
    model: Optional[ModelLike],
    id: Optional[str],
    source: Optional[str],
    observed_at: Optional[str],
    ignore: Iterable[str],
    threshold: Optional[float],
    labels: Any,
) -> Tuple["ProfileGraph", Dict[str, list], str]:
    """A graph holding ``data``: config inferred when not given, trained unless a
    model is given. Returns the graph, the columns and the id column."""
    columns = _columns(data)
    ignored = list(ignore)
    if isinstance(labels, str):
        ignored.append(labels)
    id_col, source_col, observed_col = _roles(columns, id, source, observed_at, ignored)
    roles = [c for c in (id_col, source_col, observed_col) if c is not None]
    if config is None:
        cfg = infer_config(columns, exclude=roles + ignored)
        ignored += _unused_columns(cfg, columns, roles + ignored)
    else:
        cfg = _config_dict(config)
    if threshold is not None:
        # The library's threshold policy: the veto is lowered to the threshold if above.
        cfg = json.loads(_sameas.set_threshold(json.dumps(cfg), float(threshold)))
    graph = ProfileGraph(cfg, model)
    graph._graph.add(columns, id_col, source_col, observed_col, ignored, False)
    if model is None:
        graph._train(labels=_labels(columns, id_col, labels), events=False)
    else:
        # Installing the model again freezes this data's value frequencies for scoring.
        graph._graph.set_model(_model(model))
    return graph, columns, id_col


def resolve(
    data: Any,
    config: Optional[Config] = None,
    *,
    id: Optional[str] = None,
    source: Optional[str] = None,
    observed_at: Optional[str] = None,
    ignore: Iterable[str] = (),
    threshold: Optional[float] = None,
    labels: Any = None,
    model: Optional[ModelLike] = None,
) -> "pd.DataFrame":
    """Resolves records into profiles in one batch.

    ``data`` is a pandas DataFrame, a dict of columns or a list of row dicts. The
    record id column is ``id`` (default: the first of ``id``, ``record_id``,
    ``rec_id``, ``unique_id``); ``source`` and ``observed_at`` name the source
    system and observation-time columns (defaults ``source``/``source_system`` and
    ``observed_at`` when present). Without ``config`` one is inferred and columns it
    does not use are skipped; with one, every other column must be a schema field,
    feed one by its kind (``email_2`` feeds ``email``: every e-mail column is one
    field, every phone column another) or be listed in ``ignore``. ``threshold`` overrides the link probability
    (default :data:`DEFAULT_THRESHOLD`; the veto, :data:`DEFAULT_VETO` by default, is
    lowered to it when above).

    The model is trained on the data without labels, or with ``labels``: the name of
    a column of entity labels, a mapping record id → entity, or a list of
    ``(id, id, same)`` pairs. Pass ``model`` to score with a trained model instead.

    Returns a DataFrame with one row per record, in input order: ``record_id``,
    ``profile_id``, ``confidence`` (NaN for a record alone in its profile).
    """
    graph, columns, id_col = _build(
        data, config, model, id, source, observed_at, ignore, threshold, labels
    )
    ids = columns[id_col]
    if not all(type(i) is str for i in ids):
        ids = [str(i) for i in ids]
    record_ids, profiles, confidences = graph._graph.memberships(ids)
    return _frame(
        {"record_id": record_ids, "profile_id": profiles, "confidence": confidences},
        {"confidence": "float64"},
    )


def train(
    data: Any,
    config: Optional[Config] = None,
    *,
    id: Optional[str] = None,
    source: Optional[str] = None,
    observed_at: Optional[str] = None,
    ignore: Iterable[str] = (),
    labels: Any = None,
) -> Model:
    """Trains a model on ``data`` (arguments as in :func:`resolve`) and returns it.

    Save it with ``model.to_json()``; use it with ``resolve(..., model=model)`` or
    ``ProfileGraph(config, model)`` on data with the same configuration.
    """
    graph, _, _ = _build(data, config, None, id, source, observed_at, ignore, None, labels)
    return graph.model


_METRICS = ("precision", "recall", "f1")


def _pairs_of(data: Any, what: str, value_column: str) -> List[Tuple[Any, Any]]:
    """(record id, label) pairs from a mapping, a Series (index → value), or a
    DataFrame with a ``record_id`` column and ``value_column``."""
    if _is_frame(data):
        if "record_id" not in data.columns or value_column not in data.columns:
            raise SameasError(
                f"{what} as a DataFrame needs columns 'record_id' and {value_column!r} "
                f"(columns: {', '.join(map(str, data.columns))})"
            )
        return list(zip(_as_list("record_id", data["record_id"]), _as_list(value_column, data[value_column])))
    if isinstance(data, Mapping) or hasattr(data, "items"):
        return list(data.items())
    raise SameasError(
        f"{what} must be a dict or Series of record id → label"
        + f", or a DataFrame with 'record_id' and {value_column!r}"
        + f", got {type(data).__name__}"
    )


def evaluate(memberships: Any, truth: Any) -> "pd.DataFrame":
    """How well profiles match the truth: precision, recall and F1.

    ``memberships`` is what :func:`resolve` or :meth:`ProfileGraph.memberships`
    returns (a DataFrame with ``record_id`` and ``profile_id``), a dict or Series of
    record id → profile id, or a :class:`ProfileGraph`. ``truth`` is a dict or Series
    of record id → true entity (or a DataFrame with ``record_id`` and ``entity_id``).
    Ids compare as text (``7`` and ``"7"`` are one record).

    The records evaluated are those of ``truth`` with an entity (missing entities —
    None, NaN, ``pd.NA`` — are left out); a record the memberships do not hold counts
    as a profile of its own, records the truth does not mention are ignored.

    Returns a DataFrame indexed by metric with columns ``precision``, ``recall``,
    ``f1``:

    - ``pairwise``: every pair of records in one profile is a "same" decision;
    - ``cluster``: a profile is right when it is exactly one true entity (precision:
      share of profiles that are; recall: share of entities found exactly);
    - ``bcubed``: per-record precision and recall of its profile, averaged;
    - for a :class:`ProfileGraph` also ``scored`` (compared pairs at or above the
      threshold, before clustering) and ``blocking`` (every compared pair: its
      recall is the blocking recall).

    The counts behind the pairwise rows (true/false positives, false negatives) and
    the cluster row are in ``frame.attrs["details"]``.
    """
    truth_pairs = _pairs_of(truth, "truth", "entity_id")
    ids: List[str] = []
    entities: List[str] = []
    seen: Dict[str, Any] = {}
    for i, e in truth_pairs:
        if _missing(e):
            continue
        key = str(i)
        if key in seen:
            if seen[key] != e:
                raise SameasError(f"record {key!r} has two entities in the truth: {seen[key]!r} and {e!r}")
            continue
        seen[key] = e
        ids.append(key)
        entities.append(str(e))
    if isinstance(memberships, ProfileGraph):
        details = memberships._graph.evaluate(ids, entities)
        order: Tuple[str, ...] = ("pairwise", "cluster", "bcubed", "scored", "blocking")
    else:
        predicted: Dict[str, str] = {}
        for i, p in _pairs_of(memberships, "memberships", "profile_id"):
            if not _missing(p):
                predicted[str(i)] = str(p)
        if ids and predicted and not any(i in predicted for i in ids):
            raise SameasError(
                "none of the truth's record ids are in the memberships "
                f"(truth has e.g. {ids[0]!r}, memberships e.g. {next(iter(predicted))!r})"
            )
        details = _sameas.evaluate_labels([predicted.get(i) for i in ids], entities)
        order = ("pairwise", "cluster", "bcubed")
    pd = _pandas()
    frame = pd.DataFrame(
        [[details[k][m] for m in _METRICS] for k in order],
        index=pd.Index(order, name="metric"),
        columns=list(_METRICS),
    )
    frame.attrs["details"] = {k: dict(details[k]) for k in order}
    return frame


def threshold_table(pairs: Any, truth: Any, thresholds: Optional[Iterable[float]] = None) -> "pd.DataFrame":
    """Precision, recall and F1 of the scored pairs against the truth, at each link
    threshold: the data of a precision/recall-against-threshold chart.

    ``pairs`` is :meth:`ProfileGraph.pairs` output (or a graph); ``truth`` as in
    :func:`evaluate`. At threshold t the pairs with ``pair_probability >= t`` (their
    own comparisons; ``probability`` for a frame without that column) are taken as
    matches (before clustering); recall counts every true pair among the truth's
    records, compared or not. ``thresholds`` default to 0.05, 0.10, …, 0.95. Returns
    ``threshold``, ``pairs`` (taken as matches), ``precision``, ``recall``, ``f1``.
    """
    if isinstance(pairs, ProfileGraph):
        pairs = pairs.pairs()
    entity: Dict[str, str] = {}
    for i, e in _pairs_of(truth, "truth", "entity_id"):
        if not _missing(e):
            entity[str(i)] = str(e)
    pd = _pandas()
    sizes = pd.Series(list(entity.values()), dtype=object).value_counts()
    true_pairs = int((sizes * (sizes - 1) // 2).sum())
    left = pairs["left_id"].astype(str).map(entity)
    right = pairs["right_id"].astype(str).map(entity)
    known = left.notna() & right.notna()
    column = "pair_probability" if "pair_probability" in pairs.columns else "probability"
    prob = pairs[column][known].to_numpy()
    same = (left[known] == right[known]).to_numpy()
    ts = [round(0.05 * k, 2) for k in range(1, 20)] if thresholds is None else [float(t) for t in thresholds]
    rows = []
    for t in ts:
        taken = prob >= t
        tp = int((taken & same).sum())
        n = int(taken.sum())
        precision = tp / n if n else 1.0
        recall = tp / true_pairs if true_pairs else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
        rows.append((t, n, precision, recall, f1))
    return pd.DataFrame(rows, columns=["threshold", "pairs", "precision", "recall", "f1"])


def _restore_graph(
    snapshot: str, answers: List[Tuple[str, str, bool]], report: Optional[Dict[str, Any]]
) -> "ProfileGraph":
    """Unpickles a :class:`ProfileGraph`: the snapshot, then the review answers."""
    g = ProfileGraph.restore(snapshot)
    for a, b, same in answers:
        g._graph.answer(a, b, same)
    g.training_report = report
    return g


# ---------------------------------------------------------------- distributed runs
#
# Keys and comparisons can run on many machines, each holding a copy of one trained
# template graph (``graph.without_records()`` pickles small: config, model and the
# frozen term frequencies); candidate pairs come from a join on the keys; clustering
# runs on one machine with the graph's own rule. ``python/examples/spark_resolve.py``
# puts these together on Apache Spark.


def normalize(
    values: Any,
    kind: str,
    *,
    options: Optional[Mapping[str, Any]] = None,
    errors: str = "missing",
) -> Any:
    """Normalizes values of one field kind as the library does before comparing them.

    ``kind`` is a field kind as in configs (``given_name``, ``email``, ``phone``,
    ``date_of_birth``, ``postcode`` …); ``options`` the config's ``normalize`` section
    (e.g. ``{"default_country": "RO"}``; defaults otherwise). Returns the canonical text
    of each value, None for a missing, empty or invalid one — a Series (same index)
    for a Series, else a list. With ``errors="raise"`` an invalid value raises
    :class:`SameasError` saying why. Pure: use it in ``mapInPandas`` to clean a column.
    """
    if errors not in ("missing", "raise"):
        raise SameasError(f"errors must be 'missing' or 'raise', got {errors!r}")
    items = _as_list("values", values)
    opts = None if options is None else json.dumps(dict(options))
    out, reasons = _sameas.normalize(str(kind), items, opts)
    if errors == "raise":
        for raw, why in zip(items, reasons):
            if why is not None:
                raise SameasError(f"invalid {kind} {raw!r}: {why}")
    if hasattr(values, "index") and hasattr(values, "to_numpy") and not isinstance(values, list):
        return _pandas().Series(out, index=values.index, name=getattr(values, "name", None), dtype=object)
    return out


def _record_roles(
    columns: Mapping[str, list], id: Optional[str], source: Optional[str],
    observed_at: Optional[str], ignore: Iterable[str],
) -> Tuple[str, Optional[str], Optional[str], List[str]]:
    """The role columns (as in :meth:`ProfileGraph.add`) and the columns to skip."""
    ignored = list(ignore)
    id_col, source_col, observed_col = _roles(columns, id, source, observed_at, ignored)
    return id_col, source_col, observed_col, ignored


def block_keys(
    graph: "ProfileGraph",
    records: Any,
    *,
    id: Optional[str] = None,
    source: Optional[str] = None,
    observed_at: Optional[str] = None,
    ignore: Iterable[str] = (),
) -> "pd.DataFrame":
    """The blocking keys of records under ``graph``'s blocking rules (the records
    need not be in it): one row per key with ``record_id``, ``source``, ``rule``,
    ``key`` (int64) and ``sort_key`` (hex text: the order inside an oversized block).
    Two records are compared when they share a ``key`` (see :func:`candidate_pairs`).
    Column roles as in :meth:`ProfileGraph.add`."""
    columns = _columns(records)
    id_col, source_col, observed_col, ignored = _record_roles(columns, id, source, observed_at, ignore)
    out = _sameas.block_keys(graph._graph, columns, id_col, source_col, observed_col, ignored)
    return _frame(out, {"record_id": "object", "source": "object", "rule": "int64", "key": "int64",
                        "sort_key": "object"})


def exclusive_keys(
    graph: "ProfileGraph",
    records: Any,
    *,
    id: Optional[str] = None,
    source: Optional[str] = None,
    observed_at: Optional[str] = None,
    ignore: Iterable[str] = (),
) -> "pd.DataFrame":
    """The exclusive keys of records' strong identifiers (``record_id``, ``class``,
    ``value``): two records with a class in common and no value of it in common are
    never joined by scored links. Pass them to :func:`cluster`."""
    columns = _columns(records)
    id_col, source_col, observed_col, ignored = _record_roles(columns, id, source, observed_at, ignore)
    out = _sameas.exclusive_keys(graph._graph, columns, id_col, source_col, observed_col, ignored)
    return _frame(out, {"record_id": "object", "class": "int64", "value": "int64"})


def candidate_pairs(keys: "pd.DataFrame", config: Config, order: Optional[str] = None) -> "pd.DataFrame":
    """The pairs a graph would compare, from :func:`block_keys` output (pandas; the
    Spark example does the same with a join): all pairs of a block of at most
    ``blocking.max_block_size`` members; in a larger block each member with the next
    ``blocking.window`` by ``sort_key`` (contents, then a hash of the record id), arrival
    breaking only a full tie (``order``: a column of arrival
    positions; default the order of first appearance in ``keys``); in ``link_only``
    mode only pairs across sources. Returns ``left_id`` < ``right_id``, sorted."""
    pd = _pandas()
    blocking = _config_dict(config).get("blocking", {})
    max_block = int(blocking.get("max_block_size", DEFAULT_MAX_BLOCK_SIZE))
    window = int(blocking.get("window", DEFAULT_WINDOW))
    keys = keys.copy()
    if order is None:
        first = {rid: i for i, rid in reversed(list(enumerate(keys["record_id"])))}
        keys["_order"] = keys["record_id"].map(first)
    else:
        keys["_order"] = keys[order]
    size = keys.groupby("key")["record_id"].transform("size")
    small, big = keys[size <= max_block], keys[size > max_block]
    cols = ["key", "record_id", "source"]
    found = [small[cols].merge(small[cols], on="key", suffixes=("_l", "_r"))]
    if len(big):
        big = big.sort_values(["key", "sort_key", "_order"]).copy()
        big["_rank"] = big.groupby("key").cumcount()
        for d in range(1, window + 1):
            shifted = big.assign(_rank=big["_rank"] - d)
            found.append(big[cols + ["_rank"]].merge(shifted[cols + ["_rank"]], on=["key", "_rank"],
                                                    suffixes=("_l", "_r"))[
                ["key", "record_id_l", "source_l", "record_id_r", "source_r"]])
    pairs = pd.concat(found, ignore_index=True)
    pairs = pairs[pairs["record_id_l"] != pairs["record_id_r"]]
    if blocking.get("mode", "dedupe") == "link_only":
        pairs = pairs[pairs["source_l"] != pairs["source_r"]]
    left = pairs[["record_id_l", "record_id_r"]].min(axis=1)
    right = pairs[["record_id_l", "record_id_r"]].max(axis=1)
    out = pd.DataFrame({"left_id": left, "right_id": right}).drop_duplicates()
    return out.sort_values(["left_id", "right_id"]).reset_index(drop=True)


def score_pairs(
    graph: "ProfileGraph",
    left: Any,
    right: Any,
    *,
    id: Optional[str] = None,
    source: Optional[str] = None,
    observed_at: Optional[str] = None,
    ignore: Iterable[str] = (),
) -> "pd.DataFrame":
    """Scores row i of ``left`` against row i of ``right`` (two record tables of one
    length, same columns) exactly as ``graph`` would if it held them: its comparisons,
    model, frozen term frequencies and veto cap. Returns ``left_id``, ``right_id``,
    ``gamma`` (the packed comparison vector, int64, for :func:`cluster`),
    ``match_weight``, ``probability`` (the pair's own, before any clustering: a graph's
    ``pairs()`` calls it ``pair_probability``), ``two_people`` (the pair's person data — given
    name, birth date, national id, at least two present — weighs below the veto: the
    test the graph's profile checks apply) and one γ level (int) per comparison."""
    lcols, rcols = _columns(left), _columns(right)
    id_col, source_col, observed_col, ignored = _record_roles(lcols, id, source, observed_at, ignore)
    out = _sameas.score_pairs(graph._graph, lcols, rcols, id_col, source_col, observed_col, ignored)
    levels = out.pop("levels")
    two_people = out.pop("two_people")
    pd = _pandas()
    frame = pd.DataFrame(out).astype({"left_id": "object", "right_id": "object", "gamma": "int64",
                                      "match_weight": "float64"})
    w = frame["match_weight"].clip(-1000, 1000)
    frame["probability"] = 1.0 / (1.0 + 2.0 ** (-w))
    frame["two_people"] = pd.array(two_people, dtype="bool")
    for name, values in zip(graph.model.comparisons, levels):
        frame[name if name not in frame.columns else f"{name}_level"] = pd.array(values, dtype="int64")
    return frame


def cluster(
    edges: Any,
    config: Union[Config, "ProfileGraph"],
    *,
    records: Optional[Iterable[Any]] = None,
    exclusive: Any = None,
    data: Any = None,
    id: Optional[str] = None,
    source: Optional[str] = None,
    observed_at: Optional[str] = None,
    ignore: Iterable[str] = (),
) -> "pd.DataFrame":
    """Profiles from scored pairs, by the graph's clustering rule (threshold, veto,
    exclusive keys of strong identifiers, the same stable-id rule), not bare connected
    components.

    ``edges`` has ``left_id``, ``right_id``, ``gamma`` and ``match_weight`` (as
    :func:`score_pairs` returns; keep every compared pair: low ones veto), and may have
    a bool ``check`` column (pairs read only as vetoes); ``records`` lists every
    record id in arrival order (default: the ids in the edges, in order of first
    appearance) — records without edges become profiles of their own; ``exclusive``
    is :func:`exclusive_keys` output. Returns ``record_id``, ``profile_id`` in profile
    order.

    ``config`` may be the :class:`ProfileGraph` that scored the pairs (a template
    without records will do): its settings are used, and so are its model's weights
    for disagreements between two groups as wholes (a field one record lacks that
    every other pair between them says differs; a given name or birth date that
    differs on every pair between them). Give
    it the records as ``data`` too (columns as for :func:`score_pairs`) and the
    profiles are checked as the graph checks them: two records of a would-be profile
    (of at most ``MAX_CHECKED_MEMBERS``, 256) that the edges never paired are scored, and a pair that marks two
    people (``two_people``) becomes a check, until none is left — so the result is
    the graph's own. Checking runs here, on the records given."""
    cols = _columns(edges)
    for c in ("left_id", "right_id", "gamma", "match_weight"):
        if c not in cols:
            raise SameasError(f"edges need a column {c!r} (columns: {', '.join(cols)})")
    left = [str(x) for x in cols["left_id"]]
    right = [str(x) for x in cols["right_id"]]
    gamma = [int(g) for g in cols["gamma"]]
    weight = [float(w) for w in cols["match_weight"]]
    check = [bool(x) for x in cols["check"]] if "check" in cols else [False] * len(left)
    if records is None:
        ids = list(dict.fromkeys(x for pair in zip(left, right) for x in pair))
    else:
        ids = [str(x) for x in (_as_list("records", records) if not isinstance(records, list) else records)]
    ex = None
    if exclusive is not None:
        e = _columns(exclusive)
        ex = ([str(x) for x in e["record_id"]], [int(x) for x in e["class"]], [int(x) for x in e["value"]])
    if isinstance(config, ProfileGraph):
        template: Optional[ProfileGraph] = config
        config_json, native = config._graph.config_json(), config._graph
    else:
        template, config_json, native = None, _config_json(config), None
    table: Dict[str, list] = {}
    rows: Dict[str, int] = {}
    if template is not None and data is not None:
        table = _columns(data)
        id_col = _record_roles(table, id, source, observed_at, ignore)[0]
        rows = {str(v): i for i, v in enumerate(table[id_col])}
    while True:
        rid, pid = _sameas.cluster(config_json, ids, left, right, gamma, weight, ex, native, check)
        if template is None or not rows:
            break
        unchecked = _unchecked_pairs(rid, pid, left, right)
        if not unchecked:
            break
        pick = lambda side: {c: [v[rows[p[side]]] for p in unchecked] for c, v in table.items()}
        scored = score_pairs(template, pick(0), pick(1), id=id, source=source,
                             observed_at=observed_at, ignore=ignore)
        vetoes = scored[scored["two_people"]]
        if vetoes.empty:
            break
        left += [str(x) for x in vetoes["left_id"]]
        right += [str(x) for x in vetoes["right_id"]]
        gamma += [int(g) for g in vetoes["gamma"]]
        weight += [float(w) for w in vetoes["match_weight"]]
        check += [True] * len(vetoes)
    return _frame({"record_id": rid, "profile_id": pid}, {"record_id": "object", "profile_id": "int64"})


def _unchecked_pairs(rid: List[str], pid: List[int], left: List[str], right: List[str]) -> List[Tuple[str, str]]:
    """Every two members of a profile (of at most MAX_CHECKED_MEMBERS) that no edge pairs, sorted."""
    members: Dict[int, List[str]] = {}
    for r, p in zip(rid, pid):
        members.setdefault(p, []).append(r)
    have = {(min(a, b), max(a, b)) for a, b in zip(left, right)}
    out = set()
    for ms in members.values():
        if 2 <= len(ms) <= MAX_CHECKED_MEMBERS:
            for i, a in enumerate(ms):
                for b in ms[i + 1:]:
                    pair = (min(a, b), max(a, b))
                    if pair not in have:
                        out.add(pair)
    return sorted(out)


# ---------------------------------------------------------------- the graph


class ProfileGraph:
    """Incremental resolution: records in, stable profiles out, every change as events.

    Create it with a config (dict or JSON) and optionally a trained model; ``add``
    records (a DataFrame, dict of columns or list of dicts), ``train`` once enough
    are in, then keep adding, asserting (``same``/``different``/``retract``) and
    erasing. Every mutation returns its events: dicts with a ``type`` of
    ``profile_created`` (``profile``, ``members``), ``record_added`` (``record``,
    ``profile``), ``profiles_merged`` (``into``, ``from``), ``profile_split``
    (``from``, ``into``), ``record_moved`` (``record``, ``from``, ``to``) or
    ``record_erased`` (``record``, ``profile``); records by id, profiles by number.
    """

    __slots__ = ("_graph", "training_report")

    def __init__(self, config: Config, model: Optional[ModelLike] = None) -> None:
        """A graph for ``config``; scores with ``model`` (else untrained defaults)."""
        self._graph = _sameas.Graph(_config_json(config), None if model is None else _model(model))
        self.training_report: Optional[Dict[str, Any]] = None
        """What the last training found (pairs counted, prior, EM convergence)."""

    @classmethod
    def _wrap(cls, native: Any) -> "ProfileGraph":
        """A ProfileGraph around a native graph."""
        g = cls.__new__(cls)
        g._graph = native
        g.training_report = None
        return g

    @classmethod
    def restore(cls, snapshot: Union[str, bytes]) -> "ProfileGraph":
        """A graph identical to the one ``snapshot()`` was taken of."""
        if isinstance(snapshot, (bytes, bytearray)):
            snapshot = bytes(snapshot).decode("utf-8")
        return cls._wrap(_sameas.Graph.restore(snapshot))

    def snapshot(self) -> str:
        """The whole state as JSON text (config, model, records, pairs, assertions,
        profile ids). Erased records appear nowhere in it."""
        return self._graph.snapshot()

    def add(
        self,
        records: Any,
        *,
        id: Optional[str] = None,
        source: Optional[str] = None,
        observed_at: Optional[str] = None,
        ignore: Iterable[str] = (),
    ) -> List[Event]:
        """Adds records (a DataFrame, dict of columns, list of dicts, or one dict).

        Column roles as in :func:`resolve`; every other column must be a schema
        field, feed one by its kind (a second e-mail or phone column is another value
        of the e-mail or phone field) or be listed in ``ignore``. A cell may hold a
        list for a field with several values. All records are checked first: on
        error nothing is added. Returns the events.
        """
        columns = _columns(records)
        ignored = list(ignore)
        id_col, source_col, observed_col = _roles(columns, id, source, observed_at, ignored)
        return self._graph.add(columns, id_col, source_col, observed_col, ignored, True)

    def _train(self, labels: Any = None, events: bool = True) -> List[Event]:
        """Trains (with labels when given as (entities, pairs)); returns events."""
        entities, pairs = labels if labels is not None else (None, None)
        if entities is None and pairs is None:
            report, ev = self._graph.train(events)
        else:
            report, ev = self._graph.train_labelled(entities, pairs, 1.0, events)
        self.training_report = json.loads(report)
        return ev

    def train(self, labels: Any = None) -> List[Event]:
        """Trains a model on the records present and installs it; returns the events.

        Without labels: ``u`` from random pairs and value frequencies, the prior from
        the deterministic rules, ``m`` by EM. With ``labels`` (a mapping record id →
        entity, or a list of ``(id, id, same)`` pairs) ``m`` is then counted from the
        labelled matches (and ``u`` from labelled non-match pairs). The report is
        kept in ``training_report``.
        """
        if labels is None:
            return self._train()
        if isinstance(labels, Mapping) or hasattr(labels, "items"):
            entities = [(str(i), str(e)) for i, e in labels.items() if e is not None]
            return self._train((entities, None))
        return self._train((None, [(str(a), str(b), bool(s)) for a, b, s in labels]))

    def fit(self) -> Tuple[Model, Dict[str, Any]]:
        """Trains without installing: returns the model and the training report."""
        model, report = self._graph.fit()
        return model, json.loads(report)

    def set_model(self, model: ModelLike) -> List[Event]:
        """Installs a model: every pair is re-scored from its stored comparison
        vector (no string compared again); returns the events."""
        return self._graph.set_model(_model(model))

    def erase(self, record_id: str) -> List[Event]:
        """Erases a record from every structure (privacy request); profiles it
        bridged split. Returns the events."""
        return self._graph.erase(str(record_id))

    def same(self, a: str, b: str) -> List[Event]:
        """Asserts two records are the same person (must-link); returns events."""
        return self._graph.same(str(a), str(b))

    def different(self, a: str, b: str) -> List[Event]:
        """Asserts two records are different people (cannot-link, wins over
        must-links); returns events."""
        return self._graph.different(str(a), str(b))

    def retract(self, a: str, b: str) -> List[Event]:
        """Withdraws any assertion about the pair; returns events."""
        return self._graph.retract(str(a), str(b))

    def profile_of(self, record_id: str) -> Optional[int]:
        """The profile id of a record (None for an unknown id)."""
        return self._graph.profile_of(str(record_id))

    def membership(self, record_id: str) -> Optional[Dict[str, Any]]:
        """``{"profile_id", "confidence"}`` of a record; confidence is the probability
        that it is one person with every other member, its profile's cohesion (every
        union that forms the profile, weighed as the clustering rule reads it; 1.0 when
        asserted, None when alone)."""
        m = self._graph.membership(str(record_id))
        return None if m is None else {"profile_id": m[0], "confidence": m[1]}

    def members(self, profile_id: int) -> List[str]:
        """Record ids of a profile, sorted."""
        return self._graph.members(int(profile_id))

    def profiles(self) -> Dict[int, List[str]]:
        """Every profile id with its member record ids, in profile-id order."""
        return dict(self._graph.profiles())

    def memberships(self) -> "pd.DataFrame":
        """Every record's ``record_id``, ``profile_id``, ``confidence`` (profile
        order), as a DataFrame."""
        ids, profiles, confidences = self._graph.memberships(None)
        return _frame(
            {"record_id": ids, "profile_id": profiles, "confidence": confidences},
            {"confidence": "float64"},
        )

    def golden(self, profile_id: int, rules: Optional[Union[Mapping[str, Any], str]] = None) -> Dict[str, Any]:
        """The profile's golden record: per field ``value`` (the best surviving
        value or None), ``values`` (each with ``record_id``, ``source``,
        ``observed_at``) and the survivorship ``rule``. ``rules`` are GoldenRules in
        the Rust serde form (default: the built-in rules per field kind)."""
        rules_json = None if rules is None else (rules if isinstance(rules, str) else json.dumps(rules))
        g = json.loads(self._graph.golden(int(profile_id), rules_json))
        return {
            f["field"]: {
                "value": f["values"][0]["value"] if f["values"] else None,
                "values": f["values"],
                "rule": f["rule"],
            }
            for f in g["fields"]
        }

    def explain(self, a: str, b: str) -> Dict[str, Any]:
        """Why two records match or not: ``prior_weight``, ``prior_probability``,
        ``steps`` (one row per comparison: level, label, m, u, Bayes factor, weight,
        TF adjustment), ``total_weight``, ``probability``, ``band`` and ``text``
        (the waterfall as a readable table)."""
        j, text, band = self._graph.explain(str(a), str(b))
        out = json.loads(j)
        out["band"] = band
        out["text"] = text
        return out

    def explain_profile(self, profile_id: int) -> Optional[Dict[str, Any]]:
        """The joins that hold a profile together (``links``: ``a``, ``b``,
        ``strength``) and the ``weakest``; None for an unknown profile."""
        e = self._graph.explain_profile(int(profile_id))
        if e is None:
            return None
        link = lambda t: {"a": t[0], "b": t[1], "strength": t[2]}  # noqa: E731
        return {
            "profile_id": int(profile_id),
            "links": [link(t) for t in e[0]],
            "weakest": None if e[1] is None else link(e[1]),
        }

    def scored_pairs(self) -> List[Tuple[str, str, float]]:
        """Every compared pair as ``(id, id, probability)``, sorted; the probability
        reads the pair with its profiles, as :meth:`pairs` does."""
        return self._graph.scored_pairs()

    def pairs(self) -> "pd.DataFrame":
        """Every scored candidate pair as a DataFrame, sorted by ids.

        Columns ``left_id``, ``right_id`` (the smaller id left), ``probability``
        (read with the profiles: inside one at least the weakest link of the
        strongest chain joining the two records, across two at most the mean weight
        of the pairs between them), ``match_weight`` (the pair's own comparisons:
        log2 odds, prior and term-frequency adjustments included),
        ``band`` (``certain`` / ``likely`` / ``possible`` / ``unlikely`` under the
        config's bands), ``pair_probability`` (the pair's own comparisons alone,
        recalibrated when reviewed answers fitted a recalibration; without one what
        :meth:`explain` gives), then one column per comparison, named after it (with
        ``_level`` appended should a name clash), holding the level label the pair
        reached (``null`` when a side lacks the value) as a categorical. The same
        columns as the ``resolve`` example's ``--pairs`` CSV.
        """
        names, cols = self._graph.pair_columns()
        levels = cols.pop("levels")
        pd = _pandas()
        data: Dict[str, Any] = dict(cols)
        data["band"] = pd.Categorical(
            data["band"], categories=["unlikely", "possible", "likely", "certain"], ordered=True
        )
        for name, values in zip(names, levels):
            data[name if name not in data else f"{name}_level"] = pd.Categorical(values)
        frame = pd.DataFrame(data)
        return frame.astype(
            {"left_id": object, "right_id": object, "probability": "float64", "match_weight": "float64"}
        )

    def review_queue(self, limit: int = 20) -> "pd.DataFrame":
        """The pairs a person should look at first, as a DataFrame (at most ``limit``).

        One question per decision of the profiles: two profiles kept apart, or one
        profile. Columns ``left_id``, ``right_id`` (the pair to look at),
        ``probability`` (that pair's), ``together`` (in one profile now), ``doubt``
        (the chance the decision is wrong, from every compared pair it rests on:
        for two profiles apart, that they are one person; for a profile, that it is
        not one person), ``records_moved`` (records whose profile changes if the
        decision is wrong) and ``priority`` (``doubt`` times ``records_moved``),
        highest priority first. Settled questions are left out. Answer with
        :meth:`answer`.
        """
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise SameasError(f"limit must be a non-negative int, got {limit!r}")
        cols = self._graph.review_queue(limit)
        return _frame(
            cols,
            {
                "left_id": "object",
                "right_id": "object",
                "probability": "float64",
                "together": "bool",
                "doubt": "float64",
                "records_moved": "int64",
                "priority": "float64",
            },
        )

    def answer(self, a: Any, b: Any = None, same: Optional[bool] = None) -> List[Event]:
        """Records a reviewer's answer: ``a`` and ``b`` are (``same=True``) or are not
        the same person. The profiles change at once (the answer is asserted, as
        :meth:`same` / :meth:`different` would) and the answer is kept as a label for
        :meth:`retrain_from_answers`; a later answer on a pair replaces the earlier.

        ``a`` may instead be several answers: a DataFrame with columns ``left_id``,
        ``right_id``, ``same`` (e.g. the review queue with a ``same`` column added),
        or a list of ``(id, id, same)``. Returns the events.
        """
        if b is None and same is None:
            if _is_frame(a):
                missing = [c for c in ("left_id", "right_id", "same") if c not in a.columns]
                if missing:
                    raise SameasError(
                        f"answers need columns left_id, right_id, same; missing: {', '.join(missing)}"
                    )
                rows = list(zip(a["left_id"].tolist(), a["right_id"].tolist(), a["same"].tolist()))
            else:
                rows = list(a)
            events: List[Event] = []
            for row in rows:
                x, y, s = row
                events += self.answer(x, y, s)
            return events
        if b is None or same is None:
            raise SameasError("answer(a, b, same): give both record ids and same=True/False")
        if isinstance(same, str) or _missing(same) or same not in (True, False):
            raise SameasError(f"same must be True or False, got {same!r}")
        return self._graph.answer(str(a), str(b), bool(same))

    def answers(self) -> "pd.DataFrame":
        """The answers kept so far: ``left_id``, ``right_id`` (smaller id left),
        ``same``, in the order given."""
        rows = self._graph.answers()
        return _frame(
            {
                "left_id": [r[0] for r in rows],
                "right_id": [r[1] for r in rows],
                "same": [r[2] for r in rows],
            },
            {"left_id": "object", "right_id": "object", "same": "bool"},
        )

    def retrain_from_answers(self, smoothing: float = 1.0) -> List[Event]:
        """Retrains the model with the answers as labels (the current profiles,
        already corrected by the answers, as entities; the answers as judged pairs)
        and installs it; assertions stay. Returns the events; the report is kept in
        ``training_report``."""
        report, events = self._graph.retrain_answers(float(smoothing))
        self.training_report = json.loads(report)
        return events

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        """Pickling: the snapshot, the review answers and the training report."""
        return (_restore_graph, (self.snapshot(), self._graph.answers(), self.training_report))

    def record(self, record_id: str) -> Optional[Dict[str, Any]]:
        """A record: ``id``, ``source``, ``observed_at`` and ``values`` per field."""
        r = self._graph.record(str(record_id))
        return None if r is None else json.loads(r)

    @property
    def model(self) -> Model:
        """The model used for scoring."""
        return self._graph.model()

    def model_json(self) -> str:
        """The model as JSON text."""
        return self._graph.model().to_json()

    @property
    def config(self) -> Dict[str, Any]:
        """The configuration as a dict."""
        return json.loads(self._graph.config_json())

    def without_records(self) -> "ProfileGraph":
        """An empty graph with the same config, model and frozen frequencies: add
        records one at a time to get the profiles a batch would give."""
        return self._wrap(self._graph.without_records())

    def pair_count(self) -> int:
        """Number of compared pairs kept."""
        return self._graph.pair_count()

    def __len__(self) -> int:
        """Number of records."""
        return len(self._graph)

    def __contains__(self, record_id: object) -> bool:
        """Whether a record id is in the graph."""
        return str(record_id) in self._graph

    def __repr__(self) -> str:
        """Size at a glance."""
        return f"ProfileGraph({len(self)} records, {len(self._graph.profiles())} profiles)"
