"""Glue for CI systems: the GitHub Action's logic lives here so it can be tested without GitHub."""
