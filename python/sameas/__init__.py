"""sameas: customer identity resolution from Python.

Which customer records, from many systems, are the same person; how confident that
decision is; kept right as records arrive, evidence is asserted and records are
erased. A thin layer over the Rust library ``sameas``:

- configurations are plain dicts (or JSON text) in the Rust crate's serde form;
  :func:`infer_config` proposes one from column names and values;
- :func:`resolve` trains without labels (or with them) and returns every record's
  profile and confidence, as a pandas DataFrame when pandas is installed;
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
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _sameas
from ._sameas import DEFAULT_THRESHOLD, DEFAULT_VETO, Model, SameasError, __version__

__all__ = [
    "DEFAULT_THRESHOLD",
    "DEFAULT_VETO",
    "Model",
    "ProfileGraph",
    "SameasError",
    "generate",
    "infer_config",
    "resolve",
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


def _find(columns: Mapping[str, list], given: Optional[str], names: Sequence[str]) -> Optional[str]:
    """The column playing a role: the one named, else the first default name present."""
    if given is not None:
        if given not in columns:
            raise SameasError(f"no column {given!r} (columns: {', '.join(columns)})")
        return given
    lowered = {c.lower(): c for c in columns}
    for n in names:
        if n in lowered:
            return lowered[n]
    return None


def _roles(
    columns: Mapping[str, list],
    id: Optional[str],
    source: Optional[str],
    observed_at: Optional[str],
) -> Tuple[str, Optional[str], Optional[str]]:
    """The id, source and observation-time columns (auto-detected when not named)."""
    id_col = _find(columns, id, _ID_NAMES)
    if id_col is None:
        raise SameasError(
            f"no record id column (looked for {', '.join(_ID_NAMES)}; "
            f"columns: {', '.join(columns)}); name one with id="
        )
    return id_col, _find(columns, source, _SOURCE_NAMES), _find(columns, observed_at, _OBSERVED_NAMES)


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


def _field_names(config: Mapping[str, Any]) -> List[str]:
    """Names of the schema's fields."""
    return [f["name"] for f in config.get("schema", []) if isinstance(f, Mapping) and "name" in f]


def _frame(columns: Dict[str, list]) -> Any:
    """A pandas DataFrame of the columns, or a list of row dicts without pandas."""
    try:
        import pandas as pd
    except ImportError:
        names = list(columns)
        return [dict(zip(names, row)) for row in zip(*columns.values())]
    return pd.DataFrame(columns)


def _labels(
    columns: Mapping[str, list], id_col: str, labels: Any
) -> Tuple[Optional[List[Tuple[str, str]]], Optional[List[Tuple[str, str, bool]]]]:
    """Labels as (record id → entity) pairs and/or labelled record pairs."""
    if labels is None:
        return None, None
    if isinstance(labels, str):
        if labels not in columns:
            raise SameasError(f"no label column {labels!r}")
        return [(str(i), str(e)) for i, e in zip(columns[id_col], columns[labels]) if e is not None], None
    if isinstance(labels, Mapping) or hasattr(labels, "items"):
        return [(str(i), str(e)) for i, e in labels.items() if e is not None], None
    pairs = [(str(a), str(b), bool(s)) for a, b, s in labels]
    return None, pairs


# ---------------------------------------------------------------- functions


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
    ``duplicate_rate``, ``household_rate`` … as in Rust's ``SynthConfig``).
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
    id_col, source_col, observed_col = _roles(columns, id, source, observed_at)
    ignored = list(ignore)
    if isinstance(labels, str):
        ignored.append(labels)
    roles = [c for c in (id_col, source_col, observed_col) if c is not None]
    if config is None:
        cfg = infer_config(columns, exclude=roles + ignored)
        fields = set(_field_names(cfg))
        ignored += [c for c in columns if c not in fields and c not in roles and c not in ignored]
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
) -> Any:
    """Resolves records into profiles in one batch.

    ``data`` is a pandas DataFrame, a dict of columns or a list of row dicts. The
    record id column is ``id`` (default: the first of ``id``, ``record_id``,
    ``rec_id``, ``unique_id``); ``source`` and ``observed_at`` name the source
    system and observation-time columns (defaults ``source``/``source_system`` and
    ``observed_at`` when present). Without ``config`` one is inferred and columns it
    does not use are skipped; with one, every other column must be a schema field
    or be listed in ``ignore``. ``threshold`` overrides the link probability
    (default :data:`DEFAULT_THRESHOLD`; the veto, :data:`DEFAULT_VETO` by default, is
    lowered to it when above).

    The model is trained on the data without labels, or with ``labels``: the name of
    a column of entity labels, a mapping record id → entity, or a list of
    ``(id, id, same)`` pairs. Pass ``model`` to score with a trained model instead.

    Returns one row per record, in input order: ``record_id``, ``profile_id``,
    ``confidence`` (NaN/None for a record alone in its profile) — a DataFrame when
    pandas is installed, else a list of dicts.
    """
    graph, columns, id_col = _build(
        data, config, model, id, source, observed_at, ignore, threshold, labels
    )
    ids = columns[id_col]
    if not all(type(i) is str for i in ids):
        ids = [str(i) for i in ids]
    record_ids, profiles, confidences = graph._graph.memberships(ids)
    return _frame({"record_id": record_ids, "profile_id": profiles, "confidence": confidences})


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
        field or be listed in ``ignore``. A cell may hold a list for a field with
        several values. All records are checked first: on error nothing is added.
        Returns the events.
        """
        columns = _columns(records)
        id_col, source_col, observed_col = _roles(columns, id, source, observed_at)
        return self._graph.add(columns, id_col, source_col, observed_col, list(ignore), True)

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
        """``{"profile_id", "confidence"}`` of a record; confidence is its strongest
        link to another member (1.0 when asserted, None when alone)."""
        m = self._graph.membership(str(record_id))
        return None if m is None else {"profile_id": m[0], "confidence": m[1]}

    def members(self, profile_id: int) -> List[str]:
        """Record ids of a profile, sorted."""
        return self._graph.members(int(profile_id))

    def profiles(self) -> Dict[int, List[str]]:
        """Every profile id with its member record ids, in profile-id order."""
        return dict(self._graph.profiles())

    def memberships(self) -> Any:
        """Every record's ``record_id``, ``profile_id``, ``confidence`` (profile
        order), as a DataFrame when pandas is installed, else a list of dicts."""
        ids, profiles, confidences = self._graph.memberships(None)
        return _frame({"record_id": ids, "profile_id": profiles, "confidence": confidences})

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
        """Every compared pair as ``(id, id, probability)``, sorted."""
        return self._graph.scored_pairs()

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
