"""None, NaN, pd.NA and NaT are missing everywhere: scalars, list cells, numpy."""

import math

import numpy as np
import pandas as pd
import pytest

import sameas


@pytest.fixture()
def graph():
    config = sameas.infer_config(["record_id", "given_name", "family_name", "email", "date_of_birth"])
    return sameas.ProfileGraph(config)


@pytest.mark.parametrize("marker", [None, float("nan"), pd.NA, pd.NaT, np.nan, np.float32("nan"),
                                    np.datetime64("NaT")])
def test_markers_are_missing_in_cells_and_in_lists(graph, marker):
    graph.add({
        "record_id": ["a", "b"],
        "given_name": [marker, "Ana"],
        "email": [["ana@example.com", marker], [marker]],
    })
    a, b = graph.record("a")["values"], graph.record("b")["values"]
    assert a["given_name"] == []
    assert a["email"] == ["ana@example.com"]
    assert b["email"] == []


def test_pandas_columns_with_gaps(graph):
    df = pd.DataFrame({
        "record_id": pd.array(["a", "b", "c"], dtype="string"),
        "given_name": pd.array(["Ana", pd.NA, "Ion"], dtype="string"),
        "family_name": pd.Series(["Pop", None, np.nan], dtype=object),
        "email": [["ana@example.com", pd.NA], np.array(["ion@example.com", None], dtype=object), []],
        "date_of_birth": pd.to_datetime(["1990-01-02", None, "1991-03-04"]),
    })
    graph.add(df)
    assert graph.record("a")["values"] == {
        "given_name": ["Ana"], "family_name": ["Pop"], "email": ["ana@example.com"],
        "date_of_birth": ["1990-01-02"],
    }
    assert graph.record("b")["values"] == {
        "given_name": [], "family_name": [], "email": ["ion@example.com"], "date_of_birth": [],
    }
    assert graph.record("c")["values"]["family_name"] == []
    assert "<NA>" not in str(graph.snapshot())


def test_numpy_scalars_read_as_their_values():
    config = sameas.infer_config(["record_id", "given_name", "loyalty_id"])
    g = sameas.ProfileGraph(config)
    g.add({
        "record_id": [np.int64(7), np.int32(8)],
        "given_name": ["Ana", "Ana"],
        "loyalty_id": [np.float64(12345.0), [np.int64(99), np.float32(2.5)]],
    })
    assert "7" in g and "8" in g
    assert g.record("7")["values"]["loyalty_id"] == ["12345"]
    assert g.record("8")["values"]["loyalty_id"] == ["99", "2.5"]


def test_missing_observed_at_and_labels(data):
    df = pd.DataFrame(data).head(400)
    df["observed_at"] = pd.to_datetime(df["observed_at"])
    df.loc[df.index[:5], "observed_at"] = pd.NaT
    entity = df["entity_id"].astype("Int64")
    entity.iloc[:50] = pd.NA
    df["truth"] = entity
    out = sameas.resolve(df, ignore=["entity_id"], labels="truth")
    assert len(out) == 400
    assert not math.isnan(out["profile_id"].astype(float).sum())
