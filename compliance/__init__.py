"""compliance: check republished news pages against syndication license terms.

Kept light on purpose: importing the package must not pull in lxml, Jinja2 or
Typer, so that ``compliance --help`` and a one-page check start fast.
"""

__version__ = "0.1.0"
