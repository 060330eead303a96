"""Helpers run by the tests (and the benchmarks) outside pytest itself, e.g. as child processes."""
