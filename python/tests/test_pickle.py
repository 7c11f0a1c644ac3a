"""Models, graphs and configs pickle: what ships to Spark or Dask workers."""

import copy
import pickle

import sameas
from conftest import partition


def test_model_pickles(trained):
    model = trained.model
    back = pickle.loads(pickle.dumps(model))
    assert isinstance(back, sameas.Model)
    assert back == model
    assert back.to_json() == model.to_json()
    assert back.parameters().equals(model.parameters())
    assert copy.deepcopy(model) == model


def test_graph_pickles_and_keeps_working(trained, data):
    back = pickle.loads(pickle.dumps(trained))
    assert isinstance(back, sameas.ProfileGraph)
    assert back.snapshot() == trained.snapshot()
    assert back.profiles() == trained.profiles()
    assert back.pairs().equals(trained.pairs())
    assert back.training_report == trained.training_report
    # both go on identically: the same new record lands in the same profile
    record = {k: [v[0]] for k, v in data.items() if k != "entity_id"}
    record["record_id"] = ["late-1"]
    assert back.add(record) == trained.add(record)
    assert back.profile_of("late-1") == trained.profile_of("late-1")


def test_review_answers_survive_pickling(trained):
    q = trained.review_queue(3)
    trained.answer(q["left_id"][0], q["right_id"][0], False)
    trained.answer(q["left_id"][1], q["right_id"][1], True)
    back = pickle.loads(pickle.dumps(trained))
    assert back.answers().equals(trained.answers())
    assert partition(back) == partition(trained)
    back.retrain_from_answers()
    trained.retrain_from_answers()
    assert back.model == trained.model


def test_config_pickles_and_builds_the_same_graph(config, data):
    back = pickle.loads(pickle.dumps(config))
    a, b = sameas.ProfileGraph(config), sameas.ProfileGraph(back)
    rows = {k: v[:300] for k, v in data.items()}
    a.add(rows, ignore=["entity_id"])
    b.add(rows, ignore=["entity_id"])
    assert a.snapshot() == b.snapshot()
