"""Shared data: small generated data sets, built once per test session."""

import pytest

import sameas


@pytest.fixture(scope="session")
def data():
    """2,000 generated records as columns (with the truth in entity_id)."""
    return sameas.generate(records=2_000, seed=11)


@pytest.fixture(scope="session")
def config(data):
    """The configuration inferred from the generated columns."""
    return sameas.infer_config(data)


@pytest.fixture()
def trained(data, config):
    """A graph holding the data, trained without labels."""
    g = sameas.ProfileGraph(config)
    g.add(data, ignore=["entity_id"])
    g.train()
    return g


def partition(graph):
    """The profiles as a set of frozensets of record ids (ids of profiles ignored)."""
    return {frozenset(m) for m in graph.profiles().values()}
