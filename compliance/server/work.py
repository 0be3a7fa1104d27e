"""One check as it runs in a worker process: a page's bytes against some policies, the CLI's way.

A ``Job`` is plain data (bytes, strings, paths), so it crosses to a worker
process; the worker loads each policy file once and keeps it, since compiled
selectors cannot be sent over. The check itself is ``runner.check_raw``, the
function ``compliance check`` runs for every page, so the verdicts are the
command line's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from compliance.results.model import PageResult


@dataclass(frozen=True)
class Original:
    """The licensor's original story, fetched by the server (``original_url``), as ``--original URL`` would."""

    location: str
    data: bytes
    http_charset: str | None = None


@dataclass(frozen=True)
class Job:
    source: str                  # how the page is named in the result
    data: bytes
    policies: tuple[Path, ...]   # files from the server's catalog, never from the request
    authors: tuple[str, ...] = ()
    http_charset: str | None = None
    url: str | None = None       # the page's final URL when it was fetched
    original: Original | None = None


@lru_cache(maxsize=128)
def _policy(path: Path):
    from compliance.policy.load import load_policy

    return load_policy(str(path))


def warm_up(_: object = None) -> None:
    """Import the checker before the first request arrives (each worker's setup)."""
    import compliance.runner  # noqa: F401
    from compliance.checks import REGISTRY

    REGISTRY.load_all()  # every primitive: the requests' policies are not known yet


def work(state: None, job: Job) -> list[PageResult]:
    """``compliance.pool``'s task function: check one job (``state`` is the setup's value, unused)."""
    return run_job(job)


def run_job(job: Job) -> list[PageResult]:
    from compliance.runner import Settings, check_raw

    policies = [_policy(p) for p in job.policies]
    settings = Settings(policies=tuple(str(p) for p in job.policies), authors=job.authors)
    matcher = None
    if job.original is not None:
        from compliance.originals.context import matcher_for, original_from_bytes

        o = job.original
        matcher = matcher_for((original_from_bytes(o.location, o.data, o.http_charset),))
    return check_raw(job.source, job.data, policies, settings, http_charset=job.http_charset, url=job.url,
                     matcher=matcher)
