"""The page's own title, as a browser tab shows it: what reports head a page's section with.

Read from the page text (the first ``<title>``), not the tree, so that a page a policy rules out
by its raw text is still never parsed. Distinct from the article's headline (``document.article``),
which matching compares with an original's title.
"""

from __future__ import annotations

import html
import re
from typing import Any

from compliance.text.shorten import clip

_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_SCAN = 256 * 1024  # the title sits in the head, near the start


def document_title(page: Any) -> str:
    """The first ``<title>``'s text (tags dropped, entities read, spaces collapsed, clipped), or ""."""
    found = _TITLE.search(page.text, 0, _SCAN)
    if found is None:
        return ""
    text = " ".join(html.unescape(_TAG.sub(" ", found.group(1))).split())
    return clip(text, 200)
