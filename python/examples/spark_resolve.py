"""Resolves a CSV of customer records on Apache Spark with the sameas bindings.

    python python/examples/spark_resolve.py INPUT.csv --profiles OUT.csv
    spark-submit python/examples/spark_resolve.py INPUT.csv --profiles OUT.csv --master yarn

Writes ``record_id,profile_id`` (one row per record). ``local[*]`` by default; any
cluster through ``--master`` or ``spark-submit`` (the workers need ``sameas``
installed, e.g. the wheel of ``python/build-wheel.sh``).

What runs where:

1. Spark reads the CSV (every column as text; empty cells are missing) and numbers
   the rows: the row number is the arrival order.
2. The driver infers a configuration from the first 200 rows (or reads ``--config``)
   and trains a graph on up to ``--sample`` records without labels; the trained graph
   without its records (configuration, model, frozen term frequencies: a few kB) is
   the *template* every executor receives.
3. Executors compute each record's blocking keys (``sameas.block_keys``).
4. Spark forms the candidate pairs by a join on the keys: every pair of a block of at
   most ``blocking.max_block_size`` records, and in a larger block each record with
   the next ``blocking.window`` by the block's sort key (``sameas.candidate_pairs``
   does the same in pandas).
5. Executors score each pair, both records joined to it (``sameas.score_pairs``):
   the γ vector and the match weight, bit for bit as the one-machine graph would.
6. Spark finds the connected components of the candidate links (pairs at or above
   the threshold) by min-label propagation, and the executors cluster each component
   with the graph's own rule (``sameas.cluster``: threshold, vetoes from strongly
   negative pairs, conflicting strong identifiers), not bare connected components.
   The rule never joins records of two components, so this is the one-machine
   partition. Profile ids are 1, 2, ... in the order of each profile's earliest
   record. ``--cluster driver`` instead collects every scored pair to the driver and
   clusters them there (faster, bounded by the driver's memory); ``auto``, the
   default, does that up to ``--driver-pairs`` scored pairs.
7. ``record_id,profile_id`` goes to ``--profiles``: one CSV file written by the
   driver when the name ends in ``.csv``, else a directory of part files written by
   the executors (what a 100M-record run wants).

When the whole file fits in ``--sample`` the result is the one-machine
``sameas.resolve`` of the same file, profile for profile. Beyond that, the model and
the term frequencies come from the sample (training from pattern counts gathered by
Spark is not built yet); the README's "More than one machine" section sizes a
100M-record run.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from typing import Iterator, List, Optional


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("input", help="CSV file with a header row")
    p.add_argument("--profiles", required=True,
                   help="where to write record_id,profile_id: a .csv file (from the driver), "
                        "else a directory of CSV part files (written by the executors)")
    p.add_argument("--master", default=None, help="Spark master (default local[*]; spark-submit sets it)")
    p.add_argument("--id", default=None, help="record id column (default: record_id, id, ...)")
    p.add_argument("--source", default=None, help="source system column (default: source when present)")
    p.add_argument("--observed-at", default=None, help="observation time column (default: observed_at)")
    p.add_argument("--ignore", nargs="*", default=[], help="columns to leave out (e.g. a truth column)")
    p.add_argument("--config", default=None, help="a configuration (JSON file) instead of inferring one")
    p.add_argument("--sample", type=int, default=200_000, help="records the model is trained on")
    p.add_argument("--partitions", type=int, default=None, help="shuffle partitions (default: 4 × cores)")
    p.add_argument("--cluster", choices=["auto", "executors", "driver"], default="auto",
                   help="cluster per connected component on the executors, or every scored pair on "
                        "the driver; auto (default): the driver up to --driver-pairs scored pairs")
    p.add_argument("--driver-pairs", type=int, default=20_000_000,
                   help="most scored pairs --cluster auto clusters on the driver (default 20M)")
    return p.parse_args(argv)


def cluster_on_executors(spark, records, edges, strong, template, roles_kw):
    """Profiles by the graph's rule, one connected component of candidate links at a
    time on the executors: the rule never joins records of different components, and
    vetoes, strong identifiers and profile checks (two members blocking never paired,
    compared from the records' fields, which travel with the component) only act
    inside one, so this is the one-machine partition. ``template`` is the pickled graph
    without records; ``roles_kw`` names the id, source, time and ignored columns.
    Profile ids: 1, 2, ... in the order of each profile's earliest record."""
    import json

    import pandas as pd
    from pyspark.sql import functions as F

    import sameas

    id_col = roles_kw["id"]
    threshold = float(pickle.loads(template).config.get("threshold", sameas.DEFAULT_THRESHOLD))
    probability = F.lit(1.0) / (F.lit(1.0) + F.pow(F.lit(2.0), -F.col("match_weight")))
    links = edges.where(~F.isnan("match_weight") & (probability >= threshold)).select("left_id", "right_id")
    links = links.localCheckpoint()
    # connected components by min-label propagation (label: earliest arrival position)
    labels = records.select(F.col(id_col).alias("id"), F.col("_pos").alias("label")).localCheckpoint()
    while True:
        a = links.join(labels, links.left_id == labels.id).select(F.col("right_id").alias("id"), "label")
        b = links.join(labels, links.right_id == labels.id).select(F.col("left_id").alias("id"), "label")
        new = labels.unionByName(a).unionByName(b).groupBy("id").agg(F.min("label").alias("label"))
        new = new.localCheckpoint()
        changed = new.join(labels.withColumnRenamed("label", "old"), "id").where(F.col("label") != F.col("old")).count()
        labels = new
        if changed == 0:
            break
    sizes = labels.groupBy("label").count()
    members = labels.join(sizes.where(F.col("count") > 1).select("label"), "label")
    fields = [c for c in records.columns if c != "_pos"]
    pos = records.select(F.col(id_col).alias("id"), "_pos", F.to_json(F.struct(*fields)).alias("data"))
    nothing = F.lit(None).cast("string").alias("d")
    rows = [
        members.join(pos, "id").select(
            F.col("label").alias("component"), F.lit("r").alias("kind"), F.col("id").alias("a"),
            F.lit(None).cast("string").alias("b"), F.col("_pos").alias("n1"),
            F.lit(None).cast("long").alias("n2"), F.lit(None).cast("double").alias("w"),
            F.col("data").alias("d"),
        ),
    ]
    la, lb = members.alias("la"), members.alias("lb")
    inside = edges.join(la, edges.left_id == F.col("la.id")).join(lb, edges.right_id == F.col("lb.id")).where(
        F.col("la.label") == F.col("lb.label")
    )
    rows.append(inside.select(
        F.col("la.label").alias("component"), F.lit("e").alias("kind"), F.col("left_id").alias("a"),
        F.col("right_id").alias("b"), F.col("gamma").alias("n1"), F.lit(None).cast("long").alias("n2"),
        F.col("match_weight").alias("w"), nothing,
    ))
    rows.append(strong.join(members, strong.record_id == members.id).select(
        F.col("label").alias("component"), F.lit("x").alias("kind"), F.col("record_id").alias("a"),
        F.lit(None).cast("string").alias("b"), F.col("class").alias("n1"), F.col("value").alias("n2"),
        F.lit(None).cast("double").alias("w"), nothing,
    ))
    grouped = rows[0].unionByName(rows[1]).unionByName(rows[2])

    def components(batches):
        # Components are independent under the rule: one call clusters every
        # component of a partition at once (a partition holds whole components, which
        # Arrow batches may cut, so the batches are put back together first).
        parts = [b for b in batches if not b.empty]
        if parts:
            pdf = pd.concat(parts, ignore_index=True)
            recs = pdf[pdf["kind"] == "r"].sort_values("n1")
            e = pdf[pdf["kind"] == "e"]
            x = pdf[pdf["kind"] == "x"]
            data = pd.DataFrame([json.loads(d) for d in recs["d"]], columns=fields)
            profiles = sameas.cluster(
                pd.DataFrame({"left_id": e["a"], "right_id": e["b"], "gamma": e["n1"], "match_weight": e["w"]}),
                pickle.loads(template),
                records=recs["a"].tolist(),
                exclusive=pd.DataFrame({"record_id": x["a"], "class": x["n1"], "value": x["n2"]}),
                data=data,
                **roles_kw,
            )
            first = dict(zip(recs["a"], recs["n1"]))
            profiles["first"] = profiles["record_id"].map(first)
            profiles["first"] = profiles.groupby("profile_id")["first"].transform("min")
            yield profiles[["record_id", "first"]]

    partitions = int(spark.conf.get("spark.sql.shuffle.partitions"))
    whole = grouped.repartition(partitions, "component")
    clustered = whole.mapInPandas(components, "record_id string, first long")
    alone = labels.join(sizes.where(F.col("count") == 1).select("label"), "label").select(
        F.col("id").alias("record_id"), F.col("label").alias("first")
    )
    assigned = clustered.unionByName(alone).cache()
    firsts = assigned.select("first").distinct().orderBy("first").rdd.map(lambda r: r[0]).zipWithIndex()
    numbers = spark.createDataFrame(firsts.map(lambda t: (t[0], t[1] + 1)), "first long, profile_id long")
    return assigned.join(numbers, "first").select("record_id", "profile_id")


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    import pandas as pd
    from pyspark.sql import SparkSession, Window
    from pyspark.sql import functions as F

    import sameas

    started = time.perf_counter()
    builder = SparkSession.builder.appName("sameas-resolve")
    if args.master or "SPARK_MASTER" not in os.environ:
        builder = builder.master(args.master or "local[*]")
    if args.partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(args.partitions))
    builder = builder.config("spark.sql.execution.arrow.pyspark.enabled", "true")
    spark = builder.config("spark.ui.showConsoleProgress", "false").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    if not args.partitions:
        spark.conf.set("spark.sql.shuffle.partitions", str(4 * spark.sparkContext.defaultParallelism))

    raw = spark.read.csv(args.input, header=True, inferSchema=False)
    records = raw.withColumn("_pos", F.monotonically_increasing_id()).cache()
    columns = [c for c in raw.columns]
    id_col, source_col, observed_col = sameas._roles({c: [] for c in columns}, args.id, args.source, args.observed_at)
    roles = [c for c in (id_col, source_col, observed_col) if c is not None]

    # 2. configuration and template, on the driver
    head = records.orderBy("_pos").limit(200).drop("_pos").toPandas()
    if args.config:
        with open(args.config, encoding="utf-8") as f:
            config = sameas._config_dict(f.read())
    else:
        config = sameas.infer_config(head, exclude=roles + list(args.ignore))
    ignore = list(args.ignore) + sameas._unused_columns(config, sameas._columns(head), roles + list(args.ignore))
    roles_kw = dict(id=id_col, source=source_col, observed_at=observed_col, ignore=ignore)
    total = records.count()
    sample = records
    if total > args.sample:
        sample = records.sample(False, min(1.0, 1.2 * args.sample / total), seed=7).orderBy("_pos").limit(args.sample)
    sample_pdf = sample.orderBy("_pos").drop("_pos").toPandas()
    graph = sameas.ProfileGraph(config)
    graph.add(sample_pdf, **roles_kw)
    graph.train()
    template = pickle.dumps(graph.without_records())
    trained = time.perf_counter()
    del graph, sample_pdf
    shipped = spark.sparkContext.broadcast(template)
    blocking = config.get("blocking", {})
    max_block = int(blocking.get("max_block_size", sameas.DEFAULT_MAX_BLOCK_SIZE))
    window = int(blocking.get("window", sameas.DEFAULT_WINDOW))
    link_only = blocking.get("mode", "dedupe") == "link_only"

    def template_graph() -> "sameas.ProfileGraph":
        cached = globals().get("_sameas_template")
        if cached is None:
            cached = pickle.loads(shipped.value)
            globals()["_sameas_template"] = cached
        return cached

    # 3. blocking keys, on the executors
    def keys_of(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        g = template_graph()
        for pdf in batches:
            keys = sameas.block_keys(g, pdf.drop(columns=["_pos"]), **roles_kw)
            pos = dict(zip(pdf[id_col].astype(str), pdf["_pos"]))
            keys["_pos"] = keys["record_id"].map(pos).astype("int64")
            yield keys

    key_schema = "record_id string, source string, rule int, key long, sort_key string, _pos long"
    keys = records.mapInPandas(keys_of, key_schema).cache()  # read by the size count and the join

    # 4. candidate pairs by a join on the keys
    sized = keys.join(keys.groupBy("key").count().withColumnRenamed("count", "size"), "key")
    small = sized.where(F.col("size") <= max_block).select("key", "record_id", "source")
    l, r = small.alias("l"), small.alias("r")
    pairs_small = l.join(r, F.col("l.key") == F.col("r.key")).where(F.col("l.record_id") < F.col("r.record_id"))
    pairs_small = pairs_small.select(
        F.col("l.record_id").alias("a"), F.col("r.record_id").alias("b"),
        F.col("l.source").alias("sa"), F.col("r.source").alias("sb"),
    )
    ranked = sized.where(F.col("size") > max_block).withColumn(
        "rank", F.row_number().over(Window.partitionBy("key").orderBy("sort_key", "_pos"))
    ).select("key", "record_id", "source", "rank")
    bl, br = ranked.alias("l"), ranked.alias("r")
    pairs_big = bl.join(
        br,
        (F.col("l.key") == F.col("r.key"))
        & (F.col("r.rank") > F.col("l.rank"))
        & (F.col("r.rank") <= F.col("l.rank") + window),
    ).select(
        F.col("l.record_id").alias("a"), F.col("r.record_id").alias("b"),
        F.col("l.source").alias("sa"), F.col("r.source").alias("sb"),
    )
    pairs = pairs_small.unionByName(pairs_big).where(F.col("a") != F.col("b"))
    if link_only:
        pairs = pairs.where(~F.col("sa").eqNullSafe(F.col("sb")))
    pairs = pairs.select(
        F.least("a", "b").alias("left_id"), F.greatest("a", "b").alias("right_id")
    ).distinct()

    # 5. scoring, on the executors
    data = records.drop("_pos")
    left = data.select([F.col(c).alias(f"l_{c}") for c in columns])
    right = data.select([F.col(c).alias(f"r_{c}") for c in columns])
    joined = pairs.join(left, pairs.left_id == left[f"l_{id_col}"]).join(
        right, pairs.right_id == right[f"r_{id_col}"]
    ).drop("left_id", "right_id")

    def score(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        g = template_graph()
        for pdf in batches:
            lf = pdf[[f"l_{c}" for c in columns]].set_axis(columns, axis=1)
            rf = pdf[[f"r_{c}" for c in columns]].set_axis(columns, axis=1)
            s = sameas.score_pairs(g, lf, rf, **roles_kw)
            yield s[["left_id", "right_id", "gamma", "match_weight"]]

    edges = joined.mapInPandas(score, "left_id string, right_id string, gamma long, match_weight double")

    def exclusive(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        g = template_graph()
        for pdf in batches:
            yield sameas.exclusive_keys(g, pdf.drop(columns=["_pos"]), **roles_kw)

    strong = records.mapInPandas(exclusive, "record_id string, class long, value long")

    # 6. clustering by the graph's rule
    edges = edges.cache()
    pair_count = edges.count()
    scored = time.perf_counter()
    mode = args.cluster
    if mode == "auto":
        mode = "driver" if pair_count <= args.driver_pairs else "executors"
    if mode == "driver":
        edge_frame = edges.toPandas()
        ids = [row[0] for row in records.orderBy("_pos").select(id_col).toLocalIterator()]
        # On the driver the records are at hand, so the profiles are checked too.
        data = records.orderBy("_pos").drop("_pos").toPandas()
        profiles = sameas.cluster(edge_frame, pickle.loads(template), records=ids,
                                  exclusive=strong.toPandas(), data=data, **roles_kw)
    else:
        profiles = cluster_on_executors(spark, records, edges, strong, template, roles_kw)
        if not args.profiles.endswith(".csv"):  # a directory of part files, written by Spark
            profiles = profiles.cache()
            profiles.write.mode("overwrite").csv(args.profiles, header=True)
            count = profiles.select("profile_id").distinct().count()
        else:
            profiles = profiles.toPandas()
    if isinstance(profiles, pd.DataFrame):
        profiles.to_csv(args.profiles, index=False)
        count = profiles["profile_id"].nunique()
    done = time.perf_counter()
    print(
        f"spark_resolve: {total} records, {pair_count} scored pairs, "
        f"{count} profiles in {done - started:.1f} s "
        f"(start, read and train on {min(total, args.sample)}: {trained - started:.1f} s; "
        f"keys, pairs and scores: {scored - trained:.1f} s; "
        f"cluster ({mode}) and write: {done - scored:.1f} s) -> {args.profiles}",
        file=sys.stderr,
    )
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
