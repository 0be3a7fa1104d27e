"""How hard a run may press on the servers it reads: the settings ``compliance.inputs.crawl`` obeys.

Apart from the crawler and the fetching code so that ``compliance check`` can build them from its
options without importing either (nor asyncio): a run over local files uses neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance import __version__

DEFAULT_USER_AGENT = f"compliance/{__version__} (syndication license checker)"  # what every request sends


@dataclass(frozen=True)
class Politeness:
    """How hard a run may press on the servers it reads."""

    concurrency: int = 8
    per_host: int = 2
    delay: float = 0.5  # seconds between request starts to one host
    retries: int = 3
    max_retry_wait: float = 120.0  # a Retry-After longer than this is not waited for
    obey_robots: bool = True
    user_agent: str = DEFAULT_USER_AGENT
    cache_dir: str | None = None
