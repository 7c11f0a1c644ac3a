"""python/examples/spark_resolve.py in Spark local mode gives the one-machine profiles
(clustering per connected component on the executors: the path that scales).

Needs pyspark (with pyarrow) and Java 17; skipped, saying which is missing, without
them (python/test.sh installs pyspark and pyarrow when Java is on PATH).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import sameas

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "spark_resolve.py"


def require_spark():
    try:
        import pyarrow  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as e:
        pytest.skip(f"Spark example not tested: {e.name} is not installed (pip install pyspark pyarrow)")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark example not tested: Java is not installed (Spark needs Java 17)")


@pytest.mark.parametrize("where", ["executors", "driver"])
def test_spark_local_mode_equals_one_machine_resolve(tmp_path, where):
    require_spark()
    # Seed 7: three of its profiles differ without the profile checks (two members
    # blocking never paired, one of them someone else), so both modes must check.
    data = pd.DataFrame(sameas.generate(records=2_500, seed=7))
    source = tmp_path / "records.csv"
    data.to_csv(source, index=False)
    out = tmp_path / "profiles.csv"
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), str(source), "--profiles", str(out), "--master", "local[2]",
         "--partitions", "4", "--ignore", "entity_id", "--cluster", where],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    spark = pd.read_csv(out, dtype={"record_id": str})
    assert list(spark.columns) == ["record_id", "profile_id"]
    assert sorted(spark["record_id"]) == sorted(data["record_id"])
    # the same file through one-machine resolve, read back as the CSV reader sees it
    text = pd.read_csv(source, dtype=str, keep_default_na=False)
    local = sameas.resolve(text, ignore=["entity_id"])
    groups = lambda f: set(f.groupby("profile_id")["record_id"].apply(frozenset))  # noqa: E731
    assert groups(spark) == groups(local)
    truth = dict(zip(data["record_id"], data["entity_id"]))
    assert sameas.evaluate(spark, truth).loc["bcubed", "f1"] > 0.95
