"""Unknown keyword arguments and keys are refused, naming them."""

import json

import pytest

import sameas


def test_unknown_generator_option():
    with pytest.raises(sameas.SameasError, match="unknown key `typo_rat` in generator options"):
        sameas.generate(records=10, typo_rat=0.1)
    assert len(sameas.generate(records=10, typo_rate=0.1)["record_id"]) == 10


def test_unknown_model_key(trained):
    model = json.loads(trained.model.to_json())
    model["comparisons"][0]["levels"][0]["mm"] = 0.5
    with pytest.raises(sameas.SameasError, match=r"unknown key `comparisons\.0\.levels\.0\.mm` in model"):
        sameas.Model.from_json(json.dumps(model))
    with pytest.raises(sameas.SameasError, match="unknown key"):
        sameas.ProfileGraph(trained.config, model)


def test_unknown_golden_rule_key(trained):
    pid = trained.profile_of("crm-000001")
    rules = {"kind_defaults": [], "field_rules": [], "source_priority": ["crm"]}
    with pytest.raises(sameas.SameasError, match="unknown key `source_priorty` in golden rules"):
        trained.golden(pid, dict(rules, source_priorty=["crm"]))


def test_unknown_config_keys_name_the_key(config):
    with pytest.raises(sameas.SameasError, match="unknown field `thresold`"):
        sameas.resolve({"record_id": ["a", "b"], "given_name": ["Ana", "Ana"]},
                       dict(config, thresold=0.9))


@pytest.mark.parametrize("call", [
    lambda g: sameas.resolve({"record_id": ["a"]}, ignored=["x"]),
    lambda g: sameas.train({"record_id": ["a"]}, treshold=0.5),
    lambda g: sameas.infer_config(["given_name"], exclude_columns=["x"]),
    lambda g: g.add({"record_id": ["a"]}, ignored=["x"]),
    lambda g: g.pairs(limit=3),
    lambda g: g.review_queue(limt=3),
])
def test_unknown_keyword_arguments(config, call):
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        call(sameas.ProfileGraph(config))
