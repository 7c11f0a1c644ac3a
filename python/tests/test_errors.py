"""Bad input raises SameasError (a ValueError) with the Rust message."""

import json

import pytest

import sameas


def test_error_is_a_value_error():
    assert issubclass(sameas.SameasError, ValueError)


def test_unknown_field(config):
    g = sameas.ProfileGraph(config)
    with pytest.raises(ValueError, match=r"unknown field.*shoe_size"):
        g.add({"record_id": ["a"], "given_name": ["Ana"], "shoe_size": ["38"]})
    assert len(g) == 0


def test_duplicate_ids(config):
    g = sameas.ProfileGraph(config)
    with pytest.raises(sameas.SameasError, match="appears twice"):
        g.add({"record_id": ["a", "a"], "given_name": ["Ana", "Ann"]})
    g.add({"record_id": ["a"], "given_name": ["Ana"]})
    with pytest.raises(sameas.SameasError, match="already in the graph"):
        g.add({"record_id": ["a"], "given_name": ["Ana"]})
    assert len(g) == 1


def test_bad_configs(config):
    bad = dict(config, threshold=2.0)
    with pytest.raises(ValueError, match="threshold must be a probability"):
        sameas.ProfileGraph(bad)
    with pytest.raises(ValueError, match="parse error: config"):
        sameas.ProfileGraph("{not json")
    with pytest.raises(ValueError, match="parse error: config"):
        sameas.ProfileGraph(json.dumps({"schema": []}))
    with pytest.raises(ValueError, match="parse error: model"):
        sameas.Model.from_json("{}")
    with pytest.raises(ValueError, match="no field worth comparing"):
        sameas.infer_config(["id", "source"])


def test_bad_records(config):
    g = sameas.ProfileGraph(config)
    with pytest.raises(ValueError, match="differ in length"):
        g.add({"record_id": ["a", "b"], "given_name": ["Ana"]})
    with pytest.raises(ValueError, match="no record id column"):
        g.add({"given_name": ["Ana"]})
    with pytest.raises(ValueError, match="record id is empty"):
        g.add({"record_id": [""], "given_name": ["Ana"]})
    with pytest.raises(ValueError, match="not seconds since the epoch"):
        g.add({"record_id": ["a"], "observed_at": ["last tuesday"]})
    with pytest.raises(ValueError, match="must be a pandas DataFrame"):
        g.add(42)


def test_unknown_records(trained):
    with pytest.raises(ValueError, match="unknown record"):
        trained.erase("nobody")
    with pytest.raises(ValueError, match="unknown record"):
        trained.explain("nobody", "crm-000001")
    with pytest.raises(ValueError, match="unknown record"):
        trained.golden(10**12)
    assert trained.profile_of("nobody") is None
    assert trained.membership("nobody") is None


def test_training_needs_records(config):
    g = sameas.ProfileGraph(config)
    with pytest.raises(ValueError, match="at least two records"):
        g.train()


def test_misspelt_and_out_of_range_settings(config):
    """Issue 15 item 5: unknown keys and extreme values are errors naming the key."""
    with pytest.raises(ValueError, match="unknown field `thresold`"):
        sameas.ProfileGraph(dict(config, thresold=0.9))
    blocking = dict(config["blocking"], windw=5)
    with pytest.raises(ValueError, match="blocking: unknown field `windw`"):
        sameas.ProfileGraph(dict(config, blocking=blocking))
    blocking = dict(config["blocking"], window=2**64 - 1)
    with pytest.raises(ValueError, match="blocking.window"):
        sameas.ProfileGraph(dict(config, blocking=blocking))
    normalize = dict(config.get("normalize", {}), default_country="ZZ")
    with pytest.raises(ValueError, match="default_country"):
        sameas.ProfileGraph(dict(config, normalize=normalize))
    with pytest.raises(TypeError):
        sameas.resolve({"record_id": ["a"], "given_name": ["Ana"]}, thresold=0.9)
