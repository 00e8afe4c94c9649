"""A suite's results as tables: one row per (server, layer, operation), printed aligned."""

from __future__ import annotations

import statistics
import sys
from dataclasses import dataclass
from typing import Any

from scripts.bench.client import Result


@dataclass(frozen=True, slots=True)
class Table:
    key: str  # its name in the --json report
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]


def row(server: str, layer: str, op: str, result: Result) -> dict[str, Any]:
    line = {
        "server": server,
        "layer": layer,
        "operation": op,
        "req/s": result.rps,
        "p50 ms": result.percentile(0.50),
        "p99 ms": result.percentile(0.99),
        "errors": result.errors,
        "requests": result.requests,
        "mean ms": statistics.fmean(result.latencies) * 1000 if result.latencies else float("nan"),
    }
    if result.first_error:
        line["first error"] = result.first_error.decode(errors="replace")
    return line


def _format(column: str, value: Any) -> str:
    if isinstance(value, float):
        if column in ("req/s", "server-only sign-ins/s"):
            return f"{value:.0f}"
        if "vs" in column:
            return f"{value:.2f}x"
        if column == "fill s":
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int) and column == "users":
        return f"{value:,}"
    return str(value)


def print_table(table: Table) -> None:
    columns = table.columns
    cells = [[_format(column, line.get(column, "")) for column in columns] for line in table.rows]
    widths = [max(len(column), *(len(line[i]) for line in cells)) for i, column in enumerate(columns)]
    print(f"\n{table.title}\n")
    print("  ".join(column.ljust(widths[i]) for i, column in enumerate(columns)).rstrip())
    print("  ".join("-" * width for width in widths))
    for line in cells:
        print("  ".join(value.ljust(widths[i]) for i, value in enumerate(line)).rstrip())
    sys.stdout.flush()
