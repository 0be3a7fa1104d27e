"""Policies: the YAML language, its generated JSON Schema, built-in policies, and composing layers.

``schema`` defines the language from the check registry, ``load`` validates and builds a policy (checks
are compiled here, errors name file, line and key), ``compose`` merges ``extends`` parents and override
files, ``builtin`` finds the shipped policies, ``model`` holds the loaded result, ``describe`` says a
policy in plain words. May import ``checks`` and everything below; the checks never import it back (they
build nested checks through the ``Where`` they are handed).
"""
