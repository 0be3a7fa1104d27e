"""The result model every later stage reads: clause, page and run verdicts, their evidence, the exit code.

Plain frozen data (``model``), how a page's status and message follow from its clauses (``status``) and
the exit status of a run (``exit``). It imports nothing of the checker: it is the bottom layer, so every
stage above may build or read results.
"""
