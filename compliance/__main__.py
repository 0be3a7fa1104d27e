"""``python -m compliance``."""

from compliance.cli import main

main()
