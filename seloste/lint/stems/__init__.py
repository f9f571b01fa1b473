"""Package data: the lint's keyword stems per language (fi.yaml, sv.yaml, en.yaml).

A package (not a plain folder) so that ``importlib.resources.files("seloste.lint.stems")``
finds the files in an installed wheel as well as in a source checkout. `seloste.lint.words`
reads them and keeps the structure (which stems make up which pattern) in code.
"""
