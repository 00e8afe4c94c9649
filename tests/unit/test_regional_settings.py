"""A replicated pool's Regional settings as the Region serving the operation has them
(``UserPool.regional``); the boto3 tests in tests/api/test_replicas.py cover triggers end to end."""

from __future__ import annotations

from cognito_emu.idp.continuity import UserPoolReplica, served_by
from cognito_emu.idp.models import UserPool


def replicated_pool() -> UserPool:
    pool = UserPool(id="us-east-1_abc", name="p", account="1", region="us-east-1", created=0, modified=0)
    pool.settings["EmailConfiguration"] = {"From": "primary@example.com"}
    pool.settings["LambdaConfig"] = {"PreSignUp": "arn:primary"}
    pool.replicas["eu-west-1"] = UserPoolReplica(
        region="eu-west-1", created=0, settings={"EmailConfiguration": {"From": "dublin@example.com"}}
    )
    return pool


def test_the_serving_replica_has_its_own_settings_and_region():
    pool = replicated_pool()
    with served_by(pool.replicas["eu-west-1"]):
        assert pool.regional("EmailConfiguration") == {"From": "dublin@example.com"}
        # Left out of the replica's settings: it has none, not the primary's.
        assert pool.lambda_config() == {}
        assert pool.serving_region == "eu-west-1"
    assert pool.lambda_config() == {"PreSignUp": "arn:primary"}
    assert pool.serving_region == "us-east-1"


def test_a_replica_of_another_pool_serves_nothing_here():
    pool, other = replicated_pool(), replicated_pool()
    with served_by(other.replicas["eu-west-1"]):
        assert pool.regional("EmailConfiguration") == {"From": "primary@example.com"}
        assert pool.serving_region == "us-east-1"
