"""One reading of a page: the parsed tree, what a reader sees of it, its story, bylines and structured data.

``page`` is the page model (parse once, visible lines, evidence helpers, the one cache of derived data),
``visibility`` the one definition of what a reader cannot see, ``jsonld`` its structured data, ``article`` and ``body`` read the story (title, authors, date, paragraphs, links) for
comparison with originals, ``bylines`` finds where a page credits a person. May import ``inputs``,
``text`` and the bottom layer; knows nothing of policies or checks.
"""
