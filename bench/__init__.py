"""`make bench`: a benchmark, not a test. Prints a table and writes reports/bench.json."""
