"""Benchmarks for Seloste (GitHub issue #8): `make bench` or `python -m bench`.

Every figure is measured next to a baseline taken in the same run, so the ratio survives a
noisy machine. See bench/README.md for what each figure means.
"""
