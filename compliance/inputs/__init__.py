"""Bytes in: pages from files, folders, globs, stdin and URLs, decoded to text; and the other files a user names.

``sources`` expands what the user named into inputs and reads them, ``fetch`` is the bounded HTTP client,
``decode`` picks the encoding before lxml sees the bytes, ``files`` reads policies, configuration,
baselines and waivers with located errors, ``yamlpos`` loads YAML keeping each key's line. May import
``text`` and the bottom layer; knows nothing of parsed pages or policies.
"""
