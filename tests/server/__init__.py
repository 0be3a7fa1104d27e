"""Tests of `compliance serve` (a package, so that its conftest never shadows the suite's own)."""
