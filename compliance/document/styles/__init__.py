"""A page's stylesheets, read only as far as visibility needs: which rules could hide an element, and which wins.

``media`` evaluates media queries for the desktop screen the checker pretends to be, ``selectors``
compiles CSS selectors into XPath tests of one element, ``sheets`` finds and parses the rules that
could hide (or un-hide) something, and ``cascade`` decides which declaration wins on an element. May
import ``text`` and the bottom layer; ``compliance.document.visibility`` turns its answers into what a
reader sees.
"""
