"""Benchmark: median time to create a center by cloning the template schema and by running every migration.

Run:  .venv/bin/python tests/benchmarks/bench_onboarding.py [--runs 5] [--in-place]

The same as `ostoja bench onboarding`: it works in a throwaway database (test_bench_onboarding) that is
created, migrated and dropped again, unless --in-place is given. Target: a clone under one second.
"""

import sys

from ostoja.platform.cli import main

if __name__ == "__main__":
    main(["ostoja", "bench", "onboarding", *sys.argv[1:]])
