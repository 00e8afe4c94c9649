"""Every cognito-idp operation is placed in exactly one kind (idp.pool.operation_kinds): an operation
the model gains later must be placed before a secondary replica or a recovery can judge it."""

from __future__ import annotations

from cognito_emu.idp.pool import operation_kinds
from cognito_emu.protocol.model import IDP, service
from cognito_emu.protocol.regions import region_of_endpoint, user_pool_regions


def test_every_operation_has_one_kind():
    placed = [name for names in operation_kinds._KINDS.values() for name in names]
    assert len(placed) == len(set(placed)), "an operation is placed twice"
    assert set(placed) == set(service(IDP).operations)


def test_regions_of_the_partition_and_of_an_endpoint():
    assert {"us-east-1", "eu-west-1", "ap-southeast-2"} <= user_pool_regions("us-east-1")
    assert "us-gov-west-1" not in user_pool_regions("us-east-1")
    assert user_pool_regions("local-1") == frozenset()
    assert region_of_endpoint("https://cognito-idp.eu-west-1.amazonaws.com") == "eu-west-1"
    assert region_of_endpoint("http://127.0.0.1:9229") is None
