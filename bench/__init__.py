"""The benchmark: a fixed dataset, the real server under wrk, and a one-SQL reference.

Run it with `make bench` (see bench/README.md). Nothing here is imported by the app itself.
"""
