"""Generated data for demos, tests and benchmarks (never used by a running commune)."""
