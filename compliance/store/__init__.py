"""Audits over time: a results store (SQLite or PostgreSQL), what changed between runs, history, evidence.

``database`` records a run as it happens and reads runs back (``backends``: the two databases;
``migrations``: the versioned schema; ``keys``: what makes two results the same page); ``diff``,
``history`` and ``chart`` compare runs; ``evidence`` bundles one page's proof; ``render`` turns
them into text, JSON and HTML. It reads the result model, the inputs (archived WARC records), the
policy loader and the reporters' template environment; only the command line imports it.
"""
