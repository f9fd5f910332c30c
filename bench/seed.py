"""Build the benchmarks' data: `python bench/seed.py [--scale 1.0] [--slug estado] …` is
`coplat bench-seed …`, with the same options (`--help` lists them).

The generator itself lives in the package (`coplat/bench_seed.py`) so that the command
works from any install of coplat, a wheel included, and the test suite checks it
(`tests/test_bench_seed.py`); this file is only the entry point beside the other
scripts of bench/. Settings come from the environment as for every `coplat` command:
DATABASE_URL (PostgreSQL) or COPLAT_INSTANCE (the folder of the SQLite database)."""

import sys

from coplat.cli import cli

if __name__ == "__main__":
    cli.main(args=["bench-seed", *sys.argv[1:]], prog_name="python bench/seed.py")
