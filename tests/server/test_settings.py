"""What a server refuses to start with, and which policies it offers (no server process needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.errors import PolicyError, UsageError
from compliance.server.catalog import PolicyCatalog
from compliance.server.settings import ServeSettings, is_loopback, validate


@pytest.mark.parametrize("host,loopback", [("127.0.0.1", True), ("127.8.9.10", True), ("::1", True),
                                           ("[::1]", True), ("localhost", True), ("0.0.0.0", False),
                                           ("::", False), ("10.0.0.1", False), ("example.org", False)])
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_a_token_opens_other_addresses() -> None:
    assert validate(ServeSettings(host="0.0.0.0", token="t" * 16)).host == "0.0.0.0"
    with pytest.raises(UsageError, match="without a token"):
        validate(ServeSettings(host="0.0.0.0"))


@pytest.mark.parametrize("origin", ["cms.example.org", "https://cms.example.org/path", "*"])
def test_cors_origins_must_be_origins(origin: str) -> None:
    with pytest.raises(UsageError, match="--cors-origin"):
        validate(ServeSettings(cors_origins=(origin,)))


def test_the_catalog_is_the_built_in_policies_plus_the_folder(tmp_path: Path) -> None:
    from compliance.policy.builtin import builtin_names, rules_dir

    (tmp_path / "house.yaml").write_text((rules_dir() / "dcnf.yaml").read_text().replace("id: dcnf", "id: house"))
    catalog = PolicyCatalog.load(tmp_path)
    assert catalog.ids() == sorted([*builtin_names(), "house"])
    assert catalog.unknown(("dcnf", "house")) is None
    assert "'../dcnf'" in catalog.unknown(("../dcnf",))


def test_a_folder_policy_may_not_take_a_built_in_id(tmp_path: Path) -> None:
    from compliance.policy.builtin import rules_dir

    (tmp_path / "mine.yaml").write_text((rules_dir() / "dcnf.yaml").read_text())
    with pytest.raises(UsageError, match="taken already"):
        PolicyCatalog.load(tmp_path)


def test_a_broken_policy_stops_the_start(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: x\n")
    with pytest.raises(PolicyError):
        PolicyCatalog.load(tmp_path)


def test_the_budgets_default_to_the_command_lines() -> None:
    from compliance.runner import DEFAULT_PAGE_MEMORY, DEFAULT_PAGE_TIMEOUT

    assert (ServeSettings().page_timeout, ServeSettings().page_memory) == (DEFAULT_PAGE_TIMEOUT, DEFAULT_PAGE_MEMORY)
