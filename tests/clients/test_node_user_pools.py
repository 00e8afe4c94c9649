"""User pools through real JavaScript clients: amazon-cognito-identity-js, aws-jwt-verify, AWS SDK v3."""

from __future__ import annotations

from typing import Any

import pytest
from node_harness import NodeRunner, require_node

REGION = "us-east-1"


@pytest.fixture(scope="session")
def node() -> NodeRunner:
    return require_node()


def test_sdk_v3_lists_user_pools(node: NodeRunner, emulator: Any, idp: Any) -> None:
    pool_id = idp.create_user_pool(PoolName="node-smoke")["UserPool"]["Id"]
    out = node.run("smoke_list_user_pools.js", {"endpoint": emulator.endpoint_url, "region": REGION})
    assert out["pools"] == [{"id": pool_id, "name": "node-smoke"}]
