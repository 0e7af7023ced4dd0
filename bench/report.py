"""The benchmark's outputs: a printed table, results/latest.json and a PNG chart."""

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

COLUMNS = [
    ("operation", "{}", 13),
    ("req/s", "{:.1f}", 8),
    ("p50 ms", "{:.1f}", 8),
    ("p90 ms", "{:.1f}", 8),
    ("p99 ms", "{:.1f}", 8),
    ("SQL", "{}", 4),
    ("bytes", "{}", 7),
    ("ref req/s", "{:.1f}", 10),
    ("ref p50", "{:.1f}", 8),
    ("ref SQL", "{}", 7),
    ("ratio", "{:.1f}x", 7),
    ("srv CPU", "{:.0f}%", 8),
]


def _cell(fmt: str, value) -> str:
    if value is None:
        return "-"
    return fmt.format(value)


def table(results: dict) -> str:
    head = " ".join(f"{name:>{width}}" for name, _, width in COLUMNS)
    lines = [head, "-" * len(head)]
    for name, op in results["operations"].items():
        values = [
            name,
            op["rps"],
            op["p50_ms"],
            op["p90_ms"],
            op["p99_ms"],
            op["sql_queries"],
            op["bytes"],
            op.get("reference_rps"),
            op.get("reference_p50_ms"),
            op.get("reference_sql_queries"),
            op.get("ratio"),
            op.get("server_cpu_percent"),
        ]
        cells = [_cell(fmt, v) for (_, fmt, _), v in zip(COLUMNS, values, strict=True)]
        lines.append(" ".join(f"{c:>{w}}" for c, (_, _, w) in zip(cells, COLUMNS, strict=True)))
    nginx = results.get("via_nginx") or {}
    if nginx.get("operations"):
        lines += ["", "through nginx (proxy/default.conf.tpl) in front of the same uvicorn:"]
        for name, op in nginx["operations"].items():
            lines.append(
                f"{name:>13} {op['rps']:8.1f} req/s  p50 {op['p50_ms']:.1f} ms  "
                f"p99 {op['p99_ms']:.1f} ms  ({op['vs_direct']:.2f} of direct uvicorn req/s)"
            )
    elif nginx.get("skipped"):
        lines += ["", f"nginx mode skipped: {nginx['skipped']}"]
    settings = results["settings"]
    lines += [
        "",
        results["ratio_definition"],
        f"{settings['cpus']} CPUs; load average (1, 5, 15 min) at start "
        f"{settings['load_average_at_start']}, at end {settings.get('load_average_at_end')}.",
    ]
    return "\n".join(lines)


def write_json(results: dict, path: Path | None = None) -> Path:
    path = path or RESULTS / "latest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n")
    return path


def write_chart(results: dict, path: Path | None = None) -> Path | None:
    """Requests/s of every operation next to its reference, and the ratios."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    path = path or RESULTS / "ratios.png"
    ops = results["operations"]
    names = list(ops)
    with_ref = [n for n in names if ops[n].get("ratio")]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5), width_ratios=[3, 2])

    ys = range(len(names))
    left.barh([y + 0.2 for y in ys], [ops[n]["rps"] for n in names], 0.4, label="GraphQL")
    left.barh(
        [y - 0.2 for y in ys],
        [ops[n].get("reference_rps") or 0 for n in names],
        0.4,
        label="one-SQL reference",
    )
    left.set_yticks(list(ys), names)
    left.invert_yaxis()
    left.set_xlabel("requests/s (higher is better)")
    left.legend(loc="lower right")
    left.grid(axis="x", alpha=0.3)

    ratios = [ops[n]["ratio"] for n in with_ref]
    bars = right.barh(range(len(with_ref)), ratios, color="tab:red")
    right.bar_label(bars, [f"{r:.1f}x" for r in ratios], padding=3)
    right.set_yticks(range(len(with_ref)), with_ref)
    right.invert_yaxis()
    right.axvline(1, color="black", linewidth=0.8)
    right.set_xlabel("reference req/s / GraphQL req/s (1 = at the limit)")
    right.set_xlim(0, max([*ratios, 1]) * 1.25)
    right.grid(axis="x", alpha=0.3)

    settings = results["settings"]
    fig.suptitle(
        f"{settings['connections']} connections, {settings['workers']} uvicorn worker(s), "
        f"{settings['seconds']} s per side per operation, {results['generated_at']}"
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
