"""The AWS Regions that offer Cognito user pools, from botocore's own ``endpoints.json``."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import botocore

_SERVICE = "cognito-idp"
# The Regional endpoint a client called, as the Host of an unsigned call names it.
_ENDPOINT = re.compile(r"https?://cognito-idp(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?::\d+)?")


@cache
def _partitions() -> tuple[tuple[str, frozenset[str]], ...]:
    """(regionRegex, the Regions with a cognito-idp endpoint) of each partition; read on first need."""
    data = json.loads((Path(botocore.__file__).parent / "data" / "endpoints.json").read_text())
    return tuple(
        (
            partition["regionRegex"],
            frozenset(
                name
                for name in partition["services"].get(_SERVICE, {}).get("endpoints", {})
                if name in partition["regions"]
            ),
        )
        for partition in data["partitions"]
    )


def user_pool_regions(region: str) -> frozenset[str]:
    """The Regions with user pools in the partition ``region`` belongs to (empty for an unknown one)."""
    for pattern, regions in _partitions():
        if region in regions or re.match(pattern, region):
            return regions
    return frozenset()


def region_of_endpoint(base_url: str) -> str | None:
    """The Region in ``https://cognito-idp.<region>.amazonaws.com`` (what an in-process mock, or a
    client sending that Host, calls); None for any other address, such as a local server's."""
    match = _ENDPOINT.fullmatch(base_url)
    return match.group(1) if match else None
