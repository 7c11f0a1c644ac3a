"""Building blocks of distributed runs reproduce the one-machine graph exactly."""

import pickle

import pandas as pd
import pytest

import sameas
from conftest import partition


def run_by_parts(graph, df, config):
    """Keys → candidate pairs → scores → clustering, from a pickled template."""
    template = pickle.loads(pickle.dumps(graph.without_records()))
    keys = sameas.block_keys(template, df, ignore=["entity_id"])
    pairs = sameas.candidate_pairs(keys, config)
    rows = df.set_index("record_id", drop=False)
    left = rows.loc[pairs["left_id"]].reset_index(drop=True)
    right = rows.loc[pairs["right_id"]].reset_index(drop=True)
    scored = sameas.score_pairs(template, left, right, ignore=["entity_id"])
    exclusive = sameas.exclusive_keys(template, df, ignore=["entity_id"])
    profiles = sameas.cluster(scored, template, records=df["record_id"], exclusive=exclusive,
                              data=df, ignore=["entity_id"])
    return pairs, scored, profiles


@pytest.mark.parametrize("oversized", [False, True])
def test_parts_equal_the_graph(data, oversized):
    df = pd.DataFrame(data).head(1_500)
    config = sameas.infer_config(data)
    if oversized:  # tiny blocks: most go through the sorted-neighbourhood window
        config["blocking"] = dict(config["blocking"], max_block_size=4, window=2)
    graph = sameas.ProfileGraph(config)
    graph.add(df, ignore=["entity_id"])
    graph.train()
    pairs, scored, profiles = run_by_parts(graph, df, config)
    expected = graph.pairs()
    assert list(zip(pairs["left_id"], pairs["right_id"])) == list(zip(expected["left_id"], expected["right_id"]))
    merged = scored.merge(expected, on=["left_id", "right_id"], suffixes=("", "_graph"))
    assert len(merged) == len(expected)
    assert (merged["match_weight"] == merged["match_weight_graph"]).all()
    assert merged["probability"].tolist() == pytest.approx(merged["pair_probability"].tolist())
    by_profile = profiles.groupby("profile_id")["record_id"].apply(frozenset)
    assert set(by_profile) == partition(graph)
    assert sorted(profiles["record_id"]) == sorted(df["record_id"])


def test_candidate_pairs_default_to_the_graphs_block_limits(data):
    """A configuration without ``max_block_size`` and ``window`` gets the library's
    defaults on both sides, so a block over the default limit is windowed alike."""
    df = pd.DataFrame(data).head(300).copy()
    df.loc[df.index[:80], ["given_name", "family_name"]] = ["Wei", "Wang"]
    config = sameas.infer_config(data)
    config["blocking"] = {k: v for k, v in config["blocking"].items()
                          if k not in ("max_block_size", "window")}
    graph = sameas.ProfileGraph(config)
    graph.add(df, ignore=["entity_id"])
    template = pickle.loads(pickle.dumps(graph.without_records()))
    keys = sameas.block_keys(template, df, ignore=["entity_id"])
    assert keys.groupby("key").size().max() > sameas.DEFAULT_MAX_BLOCK_SIZE
    pairs = sameas.candidate_pairs(keys, config)
    expected = graph.pairs()
    assert list(zip(pairs["left_id"], pairs["right_id"])) == list(zip(expected["left_id"], expected["right_id"]))
    assert (sameas.DEFAULT_MAX_BLOCK_SIZE, sameas.DEFAULT_WINDOW) == (50, 10)


def test_score_pairs_levels_and_errors(trained, data):
    df = pd.DataFrame(data).head(4)
    scored = sameas.score_pairs(trained, df.iloc[[0, 1]], df.iloc[[0, 2]], ignore=["entity_id"])
    assert list(scored.columns[:6]) == ["left_id", "right_id", "gamma", "match_weight", "probability",
                                        "two_people"]
    assert list(scored.columns[6:]) == trained.model.comparisons
    assert scored["probability"].iloc[0] > 0.99  # a record against itself
    top = trained.model.parameters().groupby("comparison")["gamma"].max()
    for name in trained.model.comparisons:
        assert scored[name].between(0, top[name]).all()
    with pytest.raises(sameas.SameasError, match="one pair per row"):
        sameas.score_pairs(trained, df.iloc[[0, 1]], df.iloc[[0]], ignore=["entity_id"])


def test_cluster_rule_is_not_connected_components(config):
    # a - b strong, b - c strong, but a - c vetoed: a chain connected components would join
    edges = pd.DataFrame({
        "left_id": ["a", "b", "a"], "right_id": ["b", "c", "c"],
        "gamma": [0, 0, 0], "match_weight": [12.0, 10.0, -30.0],
    })
    out = sameas.cluster(edges, config, records=["a", "b", "c", "d"])
    profile = dict(zip(out["record_id"], out["profile_id"]))
    assert profile["a"] == profile["b"] != profile["c"]
    assert len(set(profile.values())) == 3  # d alone
    with pytest.raises(sameas.SameasError, match="unknown record"):
        sameas.cluster(edges, config, records=["a", "b"])
    with pytest.raises(sameas.SameasError, match="edges need a column 'gamma'"):
        sameas.cluster(edges.drop(columns="gamma"), config)


def test_normalize_as_the_library_does():
    assert sameas.normalize(["Jovanović", "JOVANOVIC", "Јовановић", None, pd.NA, " "], "family_name") == [
        "jovanovic", "jovanovic", "jovanovic", None, None, None,
    ]
    phones = pd.Series(["0721 234 567", "not a phone"], index=[10, 11], name="phone")
    out = sameas.normalize(phones, "phone", options={"default_country": "RO"})
    assert out.index.tolist() == [10, 11] and out.name == "phone"
    assert out.tolist() == ["+40721234567", None]
    with pytest.raises(sameas.SameasError, match="invalid date_of_birth '31.02.1990'"):
        sameas.normalize(["31.02.1990"], "date_of_birth", errors="raise")
    with pytest.raises(sameas.SameasError, match='unknown field kind "mail"'):
        sameas.normalize(["a@b.c"], "mail")
    with pytest.raises(sameas.SameasError, match="unknown field `default_contry`"):
        sameas.normalize(["1"], "phone", options={"default_contry": "RO"})
