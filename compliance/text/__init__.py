"""String-level tools that know nothing of pages: RE2 patterns, URLs, person names, shortening.

``patterns`` compiles the policy language's ``/regex/`` and word patterns on RE2; ``urls`` normalises and
classifies addresses; ``names/`` folds, matches, splits and recognises person names; ``shorten`` cuts text
for messages. May import only ``compliance.errors`` and ``compliance.results``.
"""
