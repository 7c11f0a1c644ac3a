"""Records added one at a time give the profiles of one batch (same model)."""

import sameas
from conftest import partition


def rows(columns, start, stop):
    names = [c for c in columns if c != "entity_id"]
    return [{c: columns[c][i] for c in names} for i in range(start, stop)]


def test_one_at_a_time_equals_batch(data, trained):
    inc = trained.without_records()
    assert len(inc) == 0
    n = len(data["record_id"])
    for i in range(n):
        events = inc.add(rows(data, i, i + 1))
        assert events, "every add reports where the record went"
        assert all(e["type"] in {"profile_created", "record_added", "profiles_merged",
                                 "profile_split", "record_moved"} for e in events)
    assert partition(inc) == partition(trained)


def test_chunks_equal_batch(data, trained):
    inc = trained.without_records()
    n = len(data["record_id"])
    for start in range(0, n, 700):
        stop = min(n, start + 700)
        chunk = {c: v[start:stop] for c, v in data.items()}
        inc.add(chunk, ignore=["entity_id"])
    assert partition(inc) == partition(trained)


def test_events_name_records(trained):
    a, b = "crm-000001", "webshop-000001"
    events = trained.same(a, b)
    assert trained.profile_of(a) == trained.profile_of(b)
    if events:
        assert any(e["type"] in {"profiles_merged", "record_moved"} for e in events)
    # Confidence weighs every link of the record to its profile's members; the
    # asserted one is certain, so only other members' links can leave doubt.
    others = [m for m in trained.members(trained.profile_of(a)) if m not in (a, b)]
    confidence = trained.membership(a)["confidence"]
    assert confidence > 0.99
    if not others:
        assert confidence == 1.0
    events = trained.different(a, b)
    assert trained.profile_of(a) != trained.profile_of(b)
    assert events and all("type" in e for e in events)
    trained.retract(a, b)
    explanation = trained.explain(a, b)
    assert explanation["text"].splitlines()[0].startswith("comparison")
    assert len(explanation["steps"]) == len(trained.model.comparisons)
    assert 0.0 <= explanation["probability"] <= 1.0
    assert explanation["band"]
