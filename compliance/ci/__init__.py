"""What CI adds to a run: baselines of known failures, expiring waivers, and the GitHub Action's logic.

``baseline`` and ``waivers`` read and write their files, ``suppress`` applies them to a finished run
(changing clause statuses to ``baselined``/``waived`` and re-deriving page status), ``action`` is the
Action's entry point, testable without GitHub. May import the runner and everything below it.
"""
