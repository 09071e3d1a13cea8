"""Benchmarks of meterbook (run with `make bench`; not part of the test suite)."""
