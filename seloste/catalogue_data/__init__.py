"""Package data: the service catalogue (services.yaml) and its texts (fi.yaml, sv.yaml, en.yaml).

A package (not a plain folder) so that ``importlib.resources.files("seloste.catalogue_data")``
finds the files in an installed wheel as well as in a source checkout.
"""
