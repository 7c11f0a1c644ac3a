"""Batch resolution of generated data, without and with labels; inputs of every shape."""

import itertools
import json

import pytest

import sameas


def pairwise_f1(record_ids, profile_ids, truth):
    """Pairwise F1 of predicted clusters against true entity ids."""
    def pairs(labels):
        groups = {}
        for rid, label in zip(record_ids, labels):
            groups.setdefault(label, []).append(rid)
        return {frozenset(p) for g in groups.values() for p in itertools.combinations(g, 2)}
    predicted, true = pairs(profile_ids), pairs(truth)
    tp = len(predicted & true)
    return 2 * tp / (len(predicted) + len(true))


def test_generate_is_deterministic_and_shaped():
    a = sameas.generate(records=300, seed=3)
    assert a == sameas.generate(records=300, seed=3)
    assert a != sameas.generate(records=300, seed=4)
    assert list(a)[:3] == ["record_id", "source", "observed_at"]
    assert all(len(v) == 300 for v in a.values())
    assert all(isinstance(e, int) for e in a["entity_id"])
    noisy = sameas.generate(records=300, seed=3, typo_rate=0.5)
    assert noisy["record_id"] == a["record_id"] or noisy != a


def as_list(profiles, column):
    return list(profiles[column]) if not isinstance(profiles, list) else [r[column] for r in profiles]


def test_resolve_without_labels_finds_the_people(data):
    profiles = sameas.resolve(data, ignore=["entity_id"])
    ids = as_list(profiles, "record_id")
    assert ids == data["record_id"]  # input order
    f1 = pairwise_f1(ids, as_list(profiles, "profile_id"), data["entity_id"])
    assert f1 > 0.7, f1


def test_resolve_with_labels(data):
    profiles = sameas.resolve(data, labels="entity_id")
    f1 = pairwise_f1(as_list(profiles, "record_id"), as_list(profiles, "profile_id"), data["entity_id"])
    assert f1 > 0.7, f1
    model = sameas.train(data, labels="entity_id")
    assert isinstance(model, sameas.Model)


def test_threshold_changes_the_partition(data):
    loose = sameas.resolve(data, ignore=["entity_id"], threshold=0.01)
    strict = sameas.resolve(data, ignore=["entity_id"], threshold=0.999999)
    assert len(set(as_list(loose, "profile_id"))) < len(set(as_list(strict, "profile_id")))


def test_veto_default_and_threshold_policy_come_from_the_core(config):
    assert 0 < sameas.DEFAULT_VETO < sameas.DEFAULT_THRESHOLD < 1
    assert sameas.MAX_CHECKED_MEMBERS == 256
    assert config["veto"] == sameas.DEFAULT_VETO
    assert config["threshold"] == sameas.DEFAULT_THRESHOLD
    no_veto = {k: v for k, v in config.items() if k != "veto"}
    loose = json.loads(sameas._sameas.set_threshold(json.dumps(no_veto), 0.001))
    assert (loose["threshold"], loose["veto"]) == (0.001, 0.001)
    strict = json.loads(sameas._sameas.set_threshold(json.dumps(no_veto), 0.9))
    assert (strict["threshold"], strict["veto"]) == (0.9, sameas.DEFAULT_VETO)
    with pytest.raises(sameas.SameasError, match="threshold must be a probability"):
        sameas._sameas.set_threshold(json.dumps(config), 1.5)


def test_inputs_of_every_shape(config):
    columns = {
        "id": ["a", "b", "c"],
        "given_name": ["Jovana", "JOVANA", "Marko"],
        "family_name": ["Jovanović", "Jovanovic", "Petrović"],
        "email": [["jovana.j@gmail.com", "jj@work.rs"], "Jovana.J@gmail.com", None],
        "date_of_birth": ["1990-04-05", "05.04.1990", float("nan")],
    }
    rows = [{k: v[i] for k, v in columns.items()} for i in range(3)]
    g1 = sameas.ProfileGraph(config)
    g1.add(columns)
    g2 = sameas.ProfileGraph(config)
    g2.add(rows)
    assert g1.profiles() == g2.profiles()
    assert g1.profile_of("a") == g1.profile_of("b") != g1.profile_of("c")
    assert g1.record("a")["values"]["email"] == ["jovana.j@gmail.com", "jj@work.rs"]
    assert g1.record("c")["values"]["date_of_birth"] == []
    # a single record as a dict of scalars; integer ids become text
    g1.add({"id": 17, "given_name": "Ana", "observed_at": "2020-01-02T03:04:05Z"})
    assert g1.record("17")["observed_at"] == 1577934245
    golden = g1.golden(g1.profile_of("a"))
    assert golden["given_name"]["value"] in {"Jovana", "JOVANA"}
    assert {v["value"] for v in golden["email"]["values"]} >= {"jovana.j@gmail.com"}


def test_infer_config_from_names_and_values():
    config = sameas.infer_config(["customer_id", "First Name", "surname", "contact"])
    kinds = {f["name"]: f["kind"] for f in config["schema"]}
    assert kinds["First Name"] == "given_name" and kinds["surname"] == "family_name"
    config = sameas.infer_config({"contact": ["a@b.com", "c@d.org"], "nick": ["x", "y"]}, exclude=["nick"])
    assert [f["kind"] for f in config["schema"]] == ["email"]


def test_a_birth_date_in_three_columns_resolves_as_the_whole_date(data):
    """Year, month and day columns (as registers and web forms give a birth date) are
    read as one date: the profiles are those of the whole-date column."""
    iso = sameas.normalize(data["date_of_birth"], "date_of_birth")
    split = {}
    for name, column in data.items():
        if name != "date_of_birth":
            split[name] = column
            continue
        split["birth_year"] = [d[:4] if d else None for d in iso]
        split["birth_month"] = [str(int(d[5:7])) if d else None for d in iso]
        split["birth_day"] = [int(d[8:10]) if d else None for d in iso]
    assert sum(d is not None for d in iso) > 1_000
    config = sameas.infer_config(split, exclude=["entity_id"])
    date = [f for f in config["schema"] if f["kind"] == "date_of_birth"]
    assert date == [{
        "name": "birth_year+birth_month+birth_day",
        "kind": "date_of_birth",
        "parts": {"year": "birth_year", "month": "birth_month", "day": "birth_day"},
    }]
    whole = sameas.resolve(data, ignore=["entity_id"])
    parts = sameas.resolve(split, ignore=["entity_id"])
    assert list(parts["record_id"]) == list(whole["record_id"])
    assert partition(parts) == partition(whole)


def partition(profiles):
    """The profiles as sorted lists of record ids."""
    groups = {}
    for rid, pid in zip(profiles["record_id"], profiles["profile_id"]):
        groups.setdefault(pid, set()).add(rid)
    return sorted(sorted(g) for g in groups.values())


def test_sources_naming_their_columns_differently_combine_into_one_table(data):
    """Per-source tables with their own column names give the profiles of one table."""
    spellings = [
        {},
        {"given_name": "first_name", "family_name": "last_name", "phone": "mobile",
         "date_of_birth": "dob", "postcode": "zip"},
        {"given_name": "forename", "family_name": "surname", "phone": "telephone",
         "email": "e_mail", "city": "town"},
    ]
    sources = sorted(set(data["source"]))
    assert len(sources) >= 3
    tables = {}
    for n, source in enumerate(sources):
        rows = [i for i, s in enumerate(data["source"]) if s == source]
        rename = spellings[n % len(spellings)]
        tables[source] = {rename.get(c, c): [data[c][i] for i in rows]
                          for c in data if c != "source"}
    combined = sameas.combine_sources(tables, keep=["entity_id"])
    assert list(combined.columns[:4]) == ["record_id", "source", "observed_at", "given_name"]
    assert "forename" not in combined.columns and "mobile" not in combined.columns
    # A second e-mail column keeps its name (read again, it feeds the e-mail field).
    assert "email_2" in combined.columns and "email_" not in combined.columns
    assert sorted(combined["record_id"]) == sorted(data["record_id"])
    by_id = dict(zip(data["record_id"], data["given_name"]))
    assert all(by_id[r] == (g or "") for r, g in zip(combined["record_id"], combined["given_name"]))
    together = sameas.resolve(combined, ignore=["entity_id"])
    whole = sameas.resolve(data, ignore=["entity_id"])
    assert partition(together) == partition(whole)
    with pytest.raises(sameas.SameasError, match="no record id column"):
        sameas.combine_sources({"crm": {"name": ["Ana"]}})


def test_a_second_email_column_feeds_the_email_field(data, config):
    """``email_2`` is another value of the e-mail field, as the ``resolve`` example
    reads files: the inferred schema has one e-mail field and records keep both."""
    assert "email_2" in data and "email_2" not in [f["name"] for f in config["schema"]]
    graph = sameas.ProfileGraph(config)
    graph.add(data, ignore=["entity_id"])
    both = next(i for i, (a, b) in enumerate(zip(data["email"], data["email_2"])) if a and b)
    emails = graph.record(data["record_id"][both])["values"]["email"]
    assert len(emails) == 2
    # An e-mail met only in another record's second column still links them.
    records = {
        "record_id": ["a", "b"],
        "given_name": ["Ana", "Ana"],
        "family_name": ["Pop", "Pop"],
        "email": ["ana.pop@example.ro", "work.7731@example.com"],
        "email_2": [None, "ana.pop@example.ro"],
    }
    assert sameas.infer_config(records)["schema"] == [
        {"name": "given_name", "kind": "given_name"},
        {"name": "family_name", "kind": "family_name"},
        {"name": "email", "kind": "email"},
    ]
    resolved = sameas.resolve(records)
    assert resolved["profile_id"].nunique() == 1
    # Only e-mail and phone columns map by kind, and only by their names: another
    # date is not the birth date, and an e-mail column named otherwise is unknown.
    config = sameas.infer_config(["record_id", "given_name", "dob", "email"])
    graph = sameas.ProfileGraph(config)
    with pytest.raises(sameas.SameasError, match="last_order"):
        graph.add({"record_id": ["a"], "given_name": ["Ana"], "last_order": ["2024-05-01"]})
    with pytest.raises(sameas.SameasError, match="contact"):
        graph.add({"record_id": ["a"], "given_name": ["Ana"], "contact": ["ana@example.ro"]})
    graph.add({"record_id": ["a"], "given_name": ["Ana"], "mobile_email": ["ana@example.ro"]})
    assert graph.record("a")["values"]["email"] == ["ana@example.ro"]


def test_the_id_is_never_the_truth_and_may_be_named_for_its_table():
    """PatentsView calls the true inventor ``unique_id`` and the mention ``mention_id``:
    the truth is never taken as the id, and a first column ``*_id`` is the id."""
    records = {
        "unique_id": ["p1", "p1", None],
        "mention_id": ["US1-0", "US2-0", "US3-1"],
        "name_first": ["Ana", "Ana", "Ion"],
        "name_last": ["Pop", "Pop", "Rus"],
    }
    resolved = sameas.resolve(records, ignore=["unique_id"])
    assert list(resolved["record_id"]) == ["US1-0", "US2-0", "US3-1"]
    rows = {k: v for k, v in records.items() if k != "unique_id"}
    assert list(sameas.resolve(rows)["record_id"]) == ["US1-0", "US2-0", "US3-1"]
    # A later identifier is data, not the key.
    with pytest.raises(sameas.SameasError, match="no record id column"):
        sameas.resolve({"name_first": ["Ana"], "loyalty_id": ["7"]})
