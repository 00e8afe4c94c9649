"""Print which operations of each service's botocore model have a handler, as Markdown.

Usage: python scripts/coverage_table.py            (the table)
       python scripts/coverage_table.py --summary  (one line per service)
"""

from __future__ import annotations

import sys

from cognito_emu.dispatch import handlers
from cognito_emu.protocol.model import services


def main(argv: list[str]) -> int:
    table = handlers()
    summary = "--summary" in argv
    for spec in services().values():
        names = sorted(spec.operations)
        done = [name for name in names if (spec.name, name) in table]
        print(f"**{spec.name}**: {len(done)} of {len(names)} operations implemented")
        if summary:
            continue
        missing = [name for name in names if (spec.name, name) not in table]
        print()
        print("Not implemented yet (answer `UnsupportedOperationException`): " + (", ".join(missing) or "none"))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
