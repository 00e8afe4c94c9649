"""Seed text: YAML or JSON in (by file extension), YAML or JSON out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cognito_emu.seed.checks import SeedError, kind


def read_seed(path: str | Path) -> dict[str, Any]:
    """Parse a seed file: YAML for .yaml/.yml, JSON for .json."""
    path = Path(path)
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise SeedError("a seed file must end in .yaml, .yml or .json", source=source)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError(f"cannot read the file: {exc.strerror or exc}", source=source) from None
    return parse_seed(text, "json" if suffix == ".json" else "yaml", source)


def parse_seed(text: str, fmt: str, source: str = "<seed>") -> dict[str, Any]:
    if fmt == "json":
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise SeedError(f"not valid JSON: {exc}", source=source) from None
    else:
        import yaml

        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise SeedError(f"not valid YAML: {exc}", source=source) from None
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise SeedError(f"the top level must be a mapping, not {kind(document)}", source=source)
    return document


def dump_seed(document: dict[str, Any], fmt: str) -> str:
    """A seed document as YAML or JSON text."""
    if fmt == "json":
        return json.dumps(document, indent=2) + "\n"
    import yaml

    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110)
