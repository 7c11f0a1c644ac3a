"""Snapshots and models survive a round trip through text."""

import json

import sameas
from conftest import partition


def test_snapshot_restore_gives_the_same_graph(trained):
    text = trained.snapshot()
    restored = sameas.ProfileGraph.restore(text)
    assert len(restored) == len(trained)
    assert restored.profiles() == trained.profiles()
    for rid in ["crm-000001", "webshop-000002", "mobile_app-000003"]:
        assert restored.membership(rid) == trained.membership(rid)
    assert restored.snapshot() == text
    # bytes work too, and the restored graph keeps working
    again = sameas.ProfileGraph.restore(text.encode())
    assert partition(again) == partition(trained)
    again.add({"record_id": "new-1", "given_name": "Zoë", "family_name": "Quill"})
    assert again.profile_of("new-1") is not None


def test_model_json_round_trip(trained):
    model = trained.model
    text = trained.model_json()
    assert sameas.Model.from_json(text) == model
    assert json.loads(text) == json.loads(model.to_json())
    assert 0 < model.prior < 1
    assert "email" in model.comparisons
    # installing the same model (as text, dict or object) changes nothing
    for m in (text, json.loads(text), model):
        before = partition(trained)
        trained.set_model(m)
        assert partition(trained) == before


def test_trained_model_scores_new_data(data, config, trained):
    model = sameas.Model.from_json(trained.model_json())
    profiles = sameas.resolve(data, config, model=model, ignore=["entity_id"])
    by_id = dict(zip(profiles["record_id"], profiles["profile_id"]))
    # the same model on the same data gives the same partition
    groups = {}
    for rid, pid in by_id.items():
        groups.setdefault(pid, set()).add(rid)
    assert {frozenset(g) for g in groups.values()} == partition(trained)


def test_config_round_trip(trained, config):
    assert trained.config["schema"] == config["schema"]
    g = sameas.ProfileGraph(json.dumps(trained.config))
    assert g.config == trained.config
