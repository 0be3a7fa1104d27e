"""Shared test fixtures: where the shared corpus lives, and a hypothesis profile."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("COMPLIANCE_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus" / "realworld"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

settings.register_profile("default", max_examples=100, deadline=None)
settings.register_profile(
    "fuzz", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def require_shared(*parts: str) -> Path:
    """Return a path under ../shared, or skip the test with a clear reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: this test needs the shared corpus beside the repository")
    return path


@pytest.fixture
def corpus_dir() -> Path:
    return require_shared("corpus", "realworld")


# -- groups the default local run leaves out -------------------------------------------------------
# A plain `pytest` stays quick for everyday work; `pytest --all` (what CI and the README run) selects
# the slow groups too. The fuzz campaign (tens of thousands of pages) runs only when asked for by name:
# `pytest -m fuzz`. Each is a marker declared in pyproject.toml.
OPT_IN_MARKERS = ("precommit", "slow")
ON_REQUEST_MARKERS = ("fuzz",)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--all", action="store_true", default=False,
                     help=f"also run the slow groups left out by default (markers: {', '.join(OPT_IN_MARKERS)}); "
                          f"{', '.join(ON_REQUEST_MARKERS)} still runs only with -m")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("-m"):
        return  # the user chose with -m
    left_out_markers = ON_REQUEST_MARKERS if config.getoption("--all") else OPT_IN_MARKERS + ON_REQUEST_MARKERS
    kept, left_out = [], []
    for item in items:
        (left_out if any(item.get_closest_marker(m) for m in left_out_markers) else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


# -- results stores: a SQLite file, and a real PostgreSQL server when one can be had (tests/store_servers.py)
from store_servers import postgres_server, postgres_url, store_url  # noqa: E402,F401
