"""The pandas workflow: DataFrame in, DataFrame out."""

import pytest

import sameas

pd = pytest.importorskip("pandas")


def test_dataframe_in_dataframe_out():
    df = pd.DataFrame({
        "customer_id": [101, 102, 103, 104],
        "source": ["crm", "webshop", "crm", "app"],
        "first_name": ["Andrei", "ANDREI", "Maria", "Andrei"],
        "last_name": ["Popescu", "Popescu", "Ionescu", None],
        "email": ["andrei.popescu@yahoo.ro", "Andrei.Popescu@yahoo.ro", None, "a.p@gmail.com"],
        "birth_date": pd.to_datetime(["1985-02-03", "1985-02-03", None, "1985-02-03"]),
        "visits": [3, None, 1, 2],
    })
    config = sameas.infer_config(df, exclude=["customer_id", "visits"])
    assert [f["name"] for f in config["schema"]] == ["first_name", "last_name", "email", "birth_date"]
    g = sameas.ProfileGraph(config)
    events = g.add(df, id="customer_id", ignore=["visits"])
    assert {e["type"] for e in events} <= {"profile_created", "record_added"}
    assert g.profile_of("101") == g.profile_of("102")
    assert g.profile_of("103") != g.profile_of("101")
    assert g.record("101")["values"]["birth_date"] == ["1985-02-03"]
    assert g.record("101")["source"] == "crm"
    frame = g.memberships()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["record_id", "profile_id", "confidence"]
    assert len(frame) == 4


def test_resolve_returns_a_dataframe(data):
    df = pd.DataFrame(data).head(1_500)
    out = sameas.resolve(df, ignore=["entity_id"])
    assert isinstance(out, pd.DataFrame)
    assert list(out["record_id"]) == list(df["record_id"])
    assert out["profile_id"].dtype.kind == "i"
    assert out["confidence"].isna().any()  # some records are alone
    assert out["confidence"].dropna().between(0, 1).all()
    joined = df.merge(out, on="record_id")
    assert joined.groupby("profile_id")["entity_id"].nunique().mean() < 1.25
