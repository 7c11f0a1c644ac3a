"""Type stubs of the native module behind `sameas` (use the `sameas` package instead)."""

from typing import Any, Callable, Dict, List, Optional, Tuple, final

import pandas as pd

__all__ = [
    "DEFAULT_MAX_BLOCK_SIZE",
    "DEFAULT_THRESHOLD",
    "DEFAULT_VETO",
    "DEFAULT_WINDOW",
    "Graph",
    "MAX_CHECKED_MEMBERS",
    "Model",
    "SameasError",
    "__version__",
    "align_columns",
    "block_keys",
    "cluster",
    "evaluate_labels",
    "exclusive_keys",
    "generate",
    "infer_config",
    "normalize",
    "score_pairs",
    "set_threshold",
    "unused_columns",
]
__version__: str
DEFAULT_MAX_BLOCK_SIZE: int
"""Default `blocking.max_block_size`, used when a configuration leaves it out (the Rust
`block::DEFAULT_MAX_BLOCK_SIZE`, 50)."""
DEFAULT_WINDOW: int
"""Default `blocking.window` (the Rust `block::DEFAULT_WINDOW`)."""
DEFAULT_THRESHOLD: float
"""Default link threshold of the clustering rule (the Rust `graph::DEFAULT_THRESHOLD`)."""
DEFAULT_VETO: float
"""Default veto level of the clustering rule (the Rust `graph::DEFAULT_VETO`)."""
MAX_CHECKED_MEMBERS: int
"""Largest profile whose members are checked against each other (the Rust
`profiles::MAX_CHECKED_MEMBERS`)."""

class SameasError(ValueError):
    """Bad input or a failed operation; the message is sameas's own (kind: detail)."""

@final
class Model:
    """A Fellegi–Sunter model: prior λ and m/u per comparison level."""

    @staticmethod
    def from_json(text: str) -> Model:
        """Reads a model from its JSON form."""
    def to_json(self) -> str:
        """The model as JSON text (the Rust crate's serde form)."""
    @property
    def prior(self) -> float:
        """The prior λ: the probability that two random records are the same person."""
    @property
    def comparisons(self) -> List[str]:
        """Names of the comparisons, in γ order."""
    def parameters(self) -> pd.DataFrame:
        """The m/u table: one row per comparison and non-null level, in γ order, with
        columns `comparison`, `gamma` (level index), `level` (label), `m`, `u`,
        `match_weight` (log2 m/u), `m_fixed`, `u_fixed`."""
    def __reduce__(self) -> Tuple[Callable[[str], Model], Tuple[str]]: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class Graph:
    """The native profile graph (wrapped by `sameas.ProfileGraph`)."""

    def __new__(cls, config: str, model: Optional[Model] = None) -> Graph: ...
    @staticmethod
    def restore(snapshot: str) -> Graph: ...
    def add(
        self,
        columns: Dict[str, List[Any]],
        id: str,
        source: Optional[str] = None,
        observed_at: Optional[str] = None,
        ignore: List[str] = ...,
        events: bool = True,
    ) -> List[Dict[str, Any]]: ...
    def train(self, events: bool = True) -> Tuple[str, List[Dict[str, Any]]]: ...
    def fit(self) -> Tuple[Model, str]: ...
    def train_labelled(
        self,
        entities: Optional[List[Tuple[str, str]]] = None,
        pairs: Optional[List[Tuple[str, str, bool]]] = None,
        smoothing: float = 1.0,
        events: bool = True,
    ) -> Tuple[str, List[Dict[str, Any]]]: ...
    def set_model(self, model: Model) -> List[Dict[str, Any]]: ...
    def erase(self, record_id: str) -> List[Dict[str, Any]]: ...
    def same(self, a: str, b: str) -> List[Dict[str, Any]]: ...
    def different(self, a: str, b: str) -> List[Dict[str, Any]]: ...
    def retract(self, a: str, b: str) -> List[Dict[str, Any]]: ...
    def profile_of(self, record_id: str) -> Optional[int]: ...
    def membership(self, record_id: str) -> Optional[Tuple[int, Optional[float]]]: ...
    def memberships(
        self, ids: Optional[List[str]] = None
    ) -> Tuple[List[str], List[Optional[int]], List[Optional[float]]]: ...
    def members(self, profile_id: int) -> List[str]: ...
    def profiles(self) -> List[Tuple[int, List[str]]]: ...
    def golden(self, profile_id: int, rules: Optional[str] = None) -> str: ...
    def explain(self, a: str, b: str) -> Tuple[str, str, str]: ...
    def explain_profile(
        self, profile_id: int
    ) -> Optional[Tuple[List[Tuple[str, str, float]], Optional[Tuple[str, str, float]]]]: ...
    def scored_pairs(self) -> List[Tuple[str, str, float]]: ...
    def pair_columns(self) -> Tuple[List[str], Dict[str, Any]]: ...
    def review_queue(self, limit: int) -> Dict[str, List[Any]]: ...
    def answer(self, a: str, b: str, same: bool) -> List[Dict[str, Any]]: ...
    def answers(self) -> List[Tuple[str, str, bool]]: ...
    def retrain_answers(self, smoothing: float = 1.0) -> Tuple[str, List[Dict[str, Any]]]: ...
    def evaluate(self, ids: List[str], truth: List[str]) -> Dict[str, Dict[str, float]]: ...
    def __reduce__(self) -> Tuple[Callable[[str], Graph], Tuple[str]]: ...
    def record(self, record_id: str) -> Optional[str]: ...
    def snapshot(self) -> str: ...
    def model(self) -> Model: ...
    def config_json(self) -> str: ...
    def without_records(self) -> Graph: ...
    def pair_count(self) -> int: ...
    def __len__(self) -> int: ...
    def __contains__(self, record_id: str, /) -> bool: ...

def align_columns(tables: List[Tuple[List[str], List[List[str]]]]) -> List[List[Optional[str]]]:
    """For tables of different sources (column names, sample rows of text), the shared
    column each column feeds (None: none)."""
    ...

def unused_columns(config: str, columns: List[str]) -> List[str]:
    """The columns that records built for the configuration (JSON) would not read."""
    ...

def infer_config(
    columns: Dict[str, List[Any]], sample_rows: int = 200, exclude: List[str] = ...
) -> str:
    """A configuration (JSON) inferred from column names and sample values."""

def generate(options: str) -> Dict[str, List[Any]]:
    """Generated records as columns; `options` is SynthConfig JSON."""

def set_threshold(config: str, threshold: float) -> str:
    """Applies the threshold policy (`Config::set_threshold`) to a config (JSON)."""

def evaluate_labels(
    predicted: List[Optional[str]], truth: List[str]
) -> Dict[str, Dict[str, float]]:
    """Pairwise, exact-cluster and B-cubed metrics of a clustering given as labels."""

def block_keys(
    graph: Graph, columns: Dict[str, List[Any]], id: str, source: Optional[str] = None,
    observed_at: Optional[str] = None, ignore: List[str] = ...,
) -> Dict[str, List[Any]]:
    """Blocking keys per record: record_id, source, rule, key, sort_key."""

def exclusive_keys(
    graph: Graph, columns: Dict[str, List[Any]], id: str, source: Optional[str] = None,
    observed_at: Optional[str] = None, ignore: List[str] = ...,
) -> Dict[str, List[Any]]:
    """Exclusive keys of strong identifiers: record_id, class, value."""

def score_pairs(
    graph: Graph, left: Dict[str, List[Any]], right: Dict[str, List[Any]], id: str,
    source: Optional[str] = None, observed_at: Optional[str] = None, ignore: List[str] = ...,
) -> Dict[str, Any]:
    """Row i of left against row i of right: left_id, right_id, gamma, match_weight, two_people, levels."""

def cluster(
    config: str, ids: List[str], left: List[str], right: List[str], gamma: List[int],
    weight: List[float], exclusive: Optional[Tuple[List[str], List[int], List[int]]] = None,
    template: Optional[Graph] = None, check: Optional[List[bool]] = None,
) -> Tuple[List[str], List[int]]:
    """Profiles of supplied edges by the graph's rule: (record ids, profile ids)."""

def normalize(
    kind: str, values: List[Any], options: Optional[str] = None
) -> Tuple[List[Optional[str]], List[Optional[str]]]:
    """(canonical text or None, reason when invalid or None) per value."""
