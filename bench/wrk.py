"""Driving a server with wrk (Debian's package) and reading its results."""

import json
import os
import shutil
import subprocess
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "post.lua"
MARK = "BENCH_RESULT "


def ensure_wrk(log=print) -> str:
    """The wrk executable; installed with apt-get when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing: installing it with apt-get (Debian's package)")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("apt-get did not install wrk")
    return found


@dataclass
class Run:
    """One wrk run."""

    requests: int
    seconds: float
    bytes: int
    errors: dict[str, int]
    percentiles: list[tuple[float, float]]  # (percent, latency ms)
    server_cpu: float = 0.0  # CPU seconds the server used during the run

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def run(
    url: str,
    bodies_file: Path,
    *,
    seconds: float,
    connections: int,
    threads: int,
    authorization: str = "",
) -> Run:
    args = [
        ensure_wrk(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(SCRIPT),
        url,
        "--",
        str(bodies_file),
        authorization,
    ]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARK)]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    data = json.loads(lines[-1][len(MARK) :])
    return Run(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        bytes=data["bytes"],
        errors=data["errors"],
        percentiles=[(p, us / 1000) for p, us in data["latency_us"]["percentiles"]],
    )


@dataclass
class Merged:
    """Several runs of one side of one operation, taken together."""

    runs: list[Run] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.runs)

    @property
    def seconds(self) -> float:
        return sum(r.seconds for r in self.runs)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return sum(r.error_count for r in self.runs)

    @property
    def server_cpu_percent(self) -> float:
        """Server CPU use over the runs, in percent of one core."""
        return 100 * sum(r.server_cpu for r in self.runs) / self.seconds if self.seconds else 0.0

    def percentile(self, percent: float) -> float:
        """Latency percentile (ms) of all the runs' requests together.

        wrk reports each run's percentiles; the runs' distributions are mixed, weighted by
        their request counts, and the mixture is inverted by bisection."""
        runs = [r for r in self.runs if r.requests and r.percentiles]
        if not runs:
            return 0.0
        total = sum(r.requests for r in runs)

        def cdf(x: float) -> float:
            acc = 0.0
            for r in runs:
                values = [v for _, v in r.percentiles]
                i = bisect_left(values, x)
                if i == 0:
                    share = 0.0
                elif i >= len(values):
                    share = 100.0
                else:
                    (p0, v0), (p1, v1) = r.percentiles[i - 1], r.percentiles[i]
                    share = p0 + (p1 - p0) * ((x - v0) / (v1 - v0) if v1 > v0 else 1.0)
                acc += share * r.requests / total
            return acc

        lo = min(r.percentiles[0][1] for r in runs)
        hi = max(r.percentiles[-1][1] for r in runs)
        for _ in range(60):
            mid = (lo + hi) / 2
            if cdf(mid) < percent:
                lo = mid
            else:
                hi = mid
        return hi
