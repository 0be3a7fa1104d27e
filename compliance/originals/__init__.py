"""The licensor's original stories: catalogs of them, matching a republished page to one, comparing texts.

``catalog`` reads feeds and manifests (bounded, without DTDs or entities), ``matching`` finds the original
a page republishes (links, headline, body shingles), ``textdiff`` compares paragraphs with tolerances,
``context`` loads originals once per run and attaches the match to a page. May import ``document`` and
the layers below it.
"""
