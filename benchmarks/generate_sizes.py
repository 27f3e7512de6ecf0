"""Time, size and peak memory of ``credgraph.synthetic.generate`` at sizes S, M and L.

Each size runs in a fresh Python process (so its peak RSS is its own) and
writes into a temporary folder that is removed afterwards unless ``--keep``.
Prints one table row per size: enterprises, rows over all files, seconds,
MB on disk, peak RSS in MB; ``--verify`` also checks the data against its
truth.json (reference pattern finders; slow and memory-hungry beyond M).

    python benchmarks/generate_sizes.py                     # S, M and L, seed 7
    python benchmarks/generate_sizes.py --sizes S M --verify
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from credgraph.synthetic.generate import generate
size, seed, out, check = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4] == "1"
summary = generate(size, seed, out)
files = sorted(out.iterdir())
result = {"size": size, "enterprises": summary.enterprises, "rows": summary.total_rows, "seconds": summary.seconds,
          "mb": sum(f.stat().st_size for f in files) / 1e6, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
          "files": {f.name: round(f.stat().st_size / 1e6, 2) for f in files}, "rows_per_file": summary.rows,
          "planted": summary.planted}
if check:
    from credgraph.synthetic.verify import verify
    started = time.perf_counter()
    result["problems"] = len(verify(out))
    result["verify_seconds"] = round(time.perf_counter() - started, 1)
print(json.dumps(result))
"""


def run(size: str, seed: int, folder: Path, check: bool) -> dict:
    """Generate one size in a child process and return its measurements."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _CHILD, size, str(seed), str(folder), "1" if check else "0"],
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"generating {size} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["S", "M", "L"], choices=["S", "M", "L"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="write into this folder (one subfolder per size) and keep it")
    parser.add_argument("--verify", action="store_true", help="also verify each data set against its truth.json")
    parser.add_argument("--json", action="store_true", help="print the full measurements as JSON lines")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="credgraph-gen-"))
    print(f"{'size':<5}{'enterprises':>12}{'rows':>12}{'seconds':>9}{'MB':>9}{'peak RSS MB':>13}"
          + (f"{'problems':>10}" if args.verify else ""))
    try:
        for size in args.sizes:
            r = run(size, args.seed, base / size, args.verify)
            line = (f"{size:<5}{r['enterprises']:>12,}{r['rows']:>12,}{r['seconds']:>9.1f}{r['mb']:>9.1f}"
                    f"{r['rss_mb']:>13.0f}" + (f"{r['problems']:>10}" if args.verify else ""))
            print(line, flush=True)
            if args.json:
                print(json.dumps(r, ensure_ascii=False), flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
