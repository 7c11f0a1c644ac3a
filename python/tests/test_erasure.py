"""An erased record leaves no trace."""

import sameas


def test_erased_record_is_gone_everywhere(data, config):
    g = sameas.ProfileGraph(config)
    g.add(data, ignore=["entity_id"])
    secret = "zebulon.quartzfeather@example.org"
    events = g.add({
        "record_id": "crm-secret",
        "given_name": "Zebulon",
        "family_name": "Quartzfeather",
        "email": secret,
        "phone": "+44 7700 900123",
    })
    assert events[0]["type"] == "profile_created" and events[0]["members"] == ["crm-secret"]
    g.train()
    assert secret in g.snapshot()
    profile = g.profile_of("crm-secret")
    events = g.erase("crm-secret")
    assert {"type": "record_erased", "record": "crm-secret", "profile": profile} in events
    assert g.profile_of("crm-secret") is None
    assert g.record("crm-secret") is None
    assert "crm-secret" not in g
    text = g.snapshot()
    assert secret not in text
    assert "Quartzfeather" not in text
    assert "crm-secret" not in text
    assert len(g) == len(data["record_id"])


def test_erasing_a_bridge_splits_its_profile(data, config, trained):
    # find a profile of three or more and erase its members one by one
    members = next(m for m in trained.profiles().values() if len(m) >= 3)
    for rid in members:
        events = trained.erase(rid)
        assert events[0]["record"] == rid
    assert all(trained.profile_of(r) is None for r in members)
