"""Records per second of `sameas.resolve` from Python vs the Rust example, same data.

Generates N records (default 100,000) with the seeded generator, runs the Rust
example `resolve` on them (it generates the same records itself) and reads its
seconds from `--report`, then times `sameas.resolve` on the same records with the
same configuration (`--print-config`). Data generation is outside both timings.

    target/pyenv/bin/python python/bench.py [--records N] [--seed S]

Run `bash python/test.sh` first so that the extension is built in target/pyenv.
"""

import argparse
import json
import os
import subprocess
import tempfile
import time

import sameas

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rust(records, seed, repeat):
    """(best seconds for the resolve steps, profiles, config) from the Rust example."""
    base = ["cargo", "run", "--quiet", "--release", "--example", "resolve", "--",
            "--records", str(records), "--seed", str(seed)]
    subprocess.run(["cargo", "build", "--quiet", "--release", "--example", "resolve"],
                   cwd=ROOT, check=True)
    config = subprocess.run(base + ["--print-config"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    best = None
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "report.json")
            subprocess.run(base + ["--quiet", "--report", path], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
            with open(path) as f:
                report = json.load(f)
        s = report["seconds"]
        # all but generating the data: add (prepare, block, compare), train, score, cluster
        seconds = s["total"] - s["load"]
        best = seconds if best is None else min(best, seconds)
    return best, report["profiles"], json.loads(config)


def python_data(records, seed):
    """The generator's columns with the second email and phone folded into lists, as
    the Rust records hold them (two values of one field)."""
    data = sameas.generate(records=records, seed=seed)
    for field in ("email", "phone"):
        second = data.pop(field + "_2")
        data[field] = [[a, b] if b else a for a, b in zip(data[field], second)]
    return data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the fastest counts")
    args = parser.parse_args()

    rust_seconds, rust_profiles, config = rust(args.records, args.seed, args.repeat)
    data = python_data(args.records, args.seed)
    py_seconds = None
    for _ in range(args.repeat):
        t = time.perf_counter()
        profiles = sameas.resolve(data, config, id="record_id", ignore=["entity_id"])
        took = time.perf_counter() - t
        py_seconds = took if py_seconds is None else min(py_seconds, took)
    py_profiles = len(set(profiles["profile_id"] if not isinstance(profiles, list)
                          else (r["profile_id"] for r in profiles)))

    n = args.records
    print(f"records: {n} (generated, seed {args.seed}); best of {args.repeat}; profiles: Rust {rust_profiles}, "
          f"Python {py_profiles}")
    print(f"Rust example  resolve: {rust_seconds:8.3f} s  {n / rust_seconds:10.0f} records/s")
    print(f"Python        resolve: {py_seconds:8.3f} s  {n / py_seconds:10.0f} records/s")
    print(f"Python / Rust time: {py_seconds / rust_seconds:.3f}x")


if __name__ == "__main__":
    main()
