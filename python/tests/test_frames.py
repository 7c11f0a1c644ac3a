"""The pandas-native API: pairs(), Model.parameters(), evaluate()."""

import math

import pandas as pd
import pytest

import sameas


def test_pairs_frame_matches_scored_pairs_and_explain(trained):
    pairs = trained.pairs()
    comparisons = trained.model.comparisons
    assert list(pairs.columns) == [
        "left_id", "right_id", "probability", "match_weight", "band", "pair_probability", *comparisons
    ]
    assert len(pairs) == trained.pair_count() > 0
    assert (pairs["left_id"] < pairs["right_id"]).all()
    assert pairs[["left_id", "right_id"]].apply(tuple, axis=1).is_monotonic_increasing
    scored = trained.scored_pairs()
    assert [(a, b) for a, b, _ in scored] == list(zip(pairs["left_id"], pairs["right_id"]))
    assert pairs["probability"].tolist() == pytest.approx([p for _, _, p in scored])
    # the pair's own probability is the logistic of its weight
    odds = 2.0 ** pairs["match_weight"]
    assert (odds / (1 + odds)).tolist() == pytest.approx(pairs["pair_probability"].tolist())
    # read with the profiles: raised inside one, lowered across two
    profile = {r: p for p, members in trained.profiles().items() for r in members}
    inside = pairs["left_id"].map(profile) == pairs["right_id"].map(profile)
    assert (pairs["probability"][inside] >= pairs["pair_probability"][inside]).all()
    assert (pairs["probability"][~inside] <= pairs["pair_probability"][~inside]).all()
    # one pair against its waterfall: levels and own probability agree
    row = pairs.sort_values("probability").iloc[len(pairs) // 2]
    why = trained.explain(row["left_id"], row["right_id"])
    assert why["probability"] == pytest.approx(row["pair_probability"])
    for step in why["steps"]:
        assert row[step["comparison"]] == step["label"]


def test_pairs_bands_follow_probability(trained):
    pairs = trained.pairs()
    assert list(pairs["band"].cat.categories) == ["unlikely", "possible", "likely", "certain"]
    assert pairs["band"].cat.ordered
    certain = pairs[pairs["band"] == "certain"]["probability"]
    unlikely = pairs[pairs["band"] == "unlikely"]["probability"]
    assert len(certain) and len(unlikely)
    assert certain.min() > unlikely.max()


def test_pairs_of_an_empty_graph(config):
    pairs = sameas.ProfileGraph(config).pairs()
    assert len(pairs) == 0
    assert pairs["probability"].dtype == "float64"
    assert list(pairs.columns)[:5] == ["left_id", "right_id", "probability", "match_weight", "band"]


def test_parameters_table(trained):
    model = trained.model
    params = model.parameters()
    assert list(params.columns) == [
        "comparison", "gamma", "level", "m", "u", "match_weight", "m_fixed", "u_fixed"
    ]
    assert list(dict.fromkeys(params["comparison"])) == model.comparisons
    assert params[["m", "u"]].gt(0).all().all()
    expected = [math.log2(m / u) for m, u in zip(params["m"], params["u"])]
    assert params["match_weight"].tolist() == pytest.approx(expected)
    # m sums to 1 over the non-null levels of each comparison, as does u
    sums = params.groupby("comparison")[["m", "u"]].sum()
    assert sums.to_numpy().ravel() == pytest.approx([1.0] * sums.size, abs=1e-6)
    # the same numbers as the serialized model
    import json

    saved = json.loads(model.to_json())
    first = saved["comparisons"][0]
    rows = params[params["comparison"] == first["name"]]
    assert rows["m"].tolist() == [lvl["m"] for lvl in first["levels"]]
    assert rows["level"].tolist() == [lvl["label"] for lvl in first["levels"]]
    assert rows["gamma"].tolist() == list(range(1, len(first["levels"]) + 1))


def test_evaluate_by_hand():
    # truth: {a, b, c} {d} {e}; predicted: {a, b} {c, d} {e}
    memberships = pd.DataFrame(
        {"record_id": ["a", "b", "c", "d", "e"], "profile_id": [1, 1, 2, 2, 3]}
    )
    truth = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "z"}
    m = sameas.evaluate(memberships, truth)
    assert list(m.index) == ["pairwise", "cluster", "bcubed"]
    assert list(m.columns) == ["precision", "recall", "f1"]
    # pairs: predicted ab, cd; true ab, ac, bc
    assert m.loc["pairwise", "precision"] == 0.5
    assert m.loc["pairwise", "recall"] == pytest.approx(1 / 3)
    assert m.loc["pairwise", "f1"] == pytest.approx(0.4)
    details = m.attrs["details"]["pairwise"]
    assert (details["true_positives"], details["false_positives"], details["false_negatives"]) == (1, 1, 2)
    # exact clusters: only {e}
    assert m.loc["cluster", "precision"] == pytest.approx(1 / 3)
    assert m.loc["cluster", "recall"] == pytest.approx(1 / 3)
    # B-cubed by definition
    bp = (1 + 1 + 0.5 + 0.5 + 1) / 5
    br = (2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5
    assert m.loc["bcubed", "precision"] == pytest.approx(bp)
    assert m.loc["bcubed", "recall"] == pytest.approx(br)
    assert m.loc["bcubed", "f1"] == pytest.approx(2 * bp * br / (bp + br))


def test_evaluate_inputs_and_missing_truth():
    memberships = {"1": 10, "2": 10, "3": 11}
    # int ids in the truth meet string ids; missing entities are left out
    truth = pd.Series({1: "p", 2: "p", 3: "q", 4: pd.NA})
    m = sameas.evaluate(memberships, truth)
    assert m["f1"].tolist() == [1.0, 1.0, 1.0]
    # a record the memberships lack is alone: the pair (1, 5) is missed
    m = sameas.evaluate(memberships, {1: "p", 5: "p"})
    assert m.loc["pairwise", "recall"] == 0.0
    truth_frame = pd.DataFrame({"record_id": ["1", "2", "3"], "entity_id": [7, 7, 8]})
    assert sameas.evaluate(memberships, truth_frame)["f1"].tolist() == [1.0, 1.0, 1.0]


def test_evaluate_rejects_mismatched_input():
    with pytest.raises(sameas.SameasError, match="none of the truth's record ids"):
        sameas.evaluate({"a": 1}, {"b": 1, "c": 1})
    with pytest.raises(sameas.SameasError, match="two entities"):
        sameas.evaluate({"a": 1}, pd.Series(["x", "y"], index=["a", "a"]))
    with pytest.raises(sameas.SameasError, match="truth must be a dict or Series"):
        sameas.evaluate({"a": 1}, ["x"])


def test_evaluate_a_graph(trained, data):
    truth = dict(zip(data["record_id"], data["entity_id"]))
    from_graph = sameas.evaluate(trained, truth)
    from_frame = sameas.evaluate(trained.memberships(), truth)
    assert list(from_graph.index) == ["pairwise", "cluster", "bcubed", "scored", "blocking"]
    assert from_graph.loc[list(from_frame.index)].equals(from_frame)
    assert from_graph.loc["bcubed", "f1"] > 0.9
    # blocking recall bounds what clustering can find
    assert from_graph.loc["blocking", "recall"] >= from_graph.loc["scored", "recall"]
    resolved = sameas.resolve(data, ignore=["entity_id"])
    assert sameas.evaluate(resolved, truth).equals(from_frame)


def test_threshold_table(trained, data):
    truth = dict(zip(data["record_id"], data["entity_id"]))
    table = sameas.threshold_table(trained, truth)
    assert list(table.columns) == ["threshold", "pairs", "precision", "recall", "f1"]
    assert table["threshold"].tolist() == pytest.approx([0.05 * k for k in range(1, 20)])
    assert table["pairs"].is_monotonic_decreasing
    assert table["recall"].is_monotonic_decreasing
    # at the graph's threshold it is evaluate()'s "scored" row
    at = sameas.threshold_table(trained.pairs(), truth, thresholds=[trained.config["threshold"]])
    scored = sameas.evaluate(trained, truth).loc["scored"]
    assert at.loc[0, "precision"] == pytest.approx(scored["precision"])
    assert at.loc[0, "recall"] == pytest.approx(scored["recall"])
    # by hand: pairs (a,b) p=.9 same, (a,c) p=.4 different; truth {a,b,d} {c}
    pairs = pd.DataFrame({"left_id": ["a", "a"], "right_id": ["b", "c"], "probability": [0.9, 0.4]})
    t = sameas.threshold_table(pairs, {"a": 1, "b": 1, "c": 2, "d": 1}, thresholds=[0.3, 0.5, 0.95])
    assert t["pairs"].tolist() == [2, 1, 0]
    assert t["precision"].tolist() == [0.5, 1.0, 1.0]
    assert t["recall"].tolist() == pytest.approx([1 / 3, 1 / 3, 0.0])
