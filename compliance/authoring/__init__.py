"""Tools for people who write policies: generated docs, scaffolding, example pages and ``policy test``.

``docs`` renders the README's policy-language and policy sections from the schema, ``scaffold`` writes a
new policy, ``example_pages`` reads example pages that state their own expected verdicts and ``policytest``
runs them, ``schema_files`` keeps the shipped JSON Schema files in step with the code. May import every
layer below the command line.
"""
