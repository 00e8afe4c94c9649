"""Authentication sessions and sign-in lockout as pure logic, on a frozen clock and seeded ids."""

from __future__ import annotations

import pytest

from cognito_emu.clock import Clock
from cognito_emu.config import Config
from cognito_emu.delivery.outbox import Outbox
from cognito_emu.env import Env
from cognito_emu.errors import NotAuthorizedException
from cognito_emu.idp.models import AppClient, User
from cognito_emu.idp.signin import lockout, sessions
from cognito_emu.ids import Ids
from cognito_emu.state import State

START = 1_700_000_000.0


@pytest.fixture
def env() -> Env:
    clock = Clock()
    clock.freeze()
    clock.set(START)
    return Env(config=Config(), clock=clock, ids=Ids(7), state=State(), outbox=Outbox())


def app_client(**settings) -> AppClient:
    return AppClient(
        client_id="c" * 26, user_pool_id="us-east-1_abc", name="app", created=0, modified=0, settings=settings
    )


def test_session_is_random_indexed_and_expires_after_three_minutes(env):
    client = app_client()
    first = sessions.open_session(env, client, "alice", "NEW_PASSWORD_REQUIRED")
    second = sessions.open_session(env, client, "alice", "NEW_PASSWORD_REQUIRED")
    assert first.session_id != second.session_id
    assert len(first.session_id) >= 20
    assert sessions.get_session(env, first.session_id) is first
    env.clock.advance(179)
    assert sessions.get_session(env, first.session_id) is first
    env.clock.advance(1)
    with pytest.raises(NotAuthorizedException, match="session is expired"):
        sessions.get_session(env, first.session_id)


def test_validity_follows_auth_session_validity(env):
    assert sessions.validity_seconds(app_client(AuthSessionValidity=15)) == 900
    assert sessions.validity_seconds(app_client()) == 180


def test_unknown_and_used_sessions(env):
    with pytest.raises(NotAuthorizedException, match=r"^Invalid session for the user\.$"):
        sessions.get_session(env, "nope")
    with pytest.raises(NotAuthorizedException, match=r"^Invalid session for the user\.$"):
        sessions.get_session(env, None)
    session = sessions.open_session(env, app_client(), "alice", "PASSWORD_VERIFIER")
    sessions.finish(session)
    with pytest.raises(NotAuthorizedException, match="can only be used once"):
        sessions.get_session(env, session.session_id)


def test_next_challenge_closes_the_previous_session(env):
    client = app_client()
    first = sessions.open_session(env, client, "alice", "PASSWORD_VERIFIER", signed_in_as="ally")
    second = sessions.next_challenge(env, client, first, "NEW_PASSWORD_REQUIRED")
    assert first.used and not second.used
    assert (second.username, second.signed_in_as, second.challenge) == (
        "alice",
        "ally",
        "NEW_PASSWORD_REQUIRED",
    )


def test_secret_block_names_its_session(env):
    session = sessions.open_session(env, app_client(), "alice", "PASSWORD_VERIFIER")
    block = sessions.new_secret_block(env, session)
    assert sessions.session_id_of_secret_block(block) == session.session_id
    assert sessions.session_id_of_secret_block("not base64!") is None
    assert sessions.session_id_of_secret_block("bm8tc2VwYXJhdG9y") is None
    assert sessions.session_id_of_secret_block(None) is None


def test_stale_sessions_are_forgotten(env):
    client = app_client()
    old = sessions.open_session(env, client, "alice", "PASSWORD_VERIFIER")
    env.clock.advance(2 * 3600)
    sessions.open_session(env, client, "bob", "PASSWORD_VERIFIER")
    assert old.session_id not in env.state.sessions
    assert len(env.state.sessions) == 1


def test_reset_forgets_sessions(env):
    sessions.open_session(env, app_client(), "alice", "PASSWORD_VERIFIER")
    env.state.reset()
    assert env.state.sessions == {}


# -- lockout ---------------------------------------------------------------------------------------


def user() -> User:
    return User(username="alice", sub="s", created=0, modified=0)


def test_lockout_starts_after_five_failures_and_doubles(env):
    someone = user()
    for _ in range(4):
        lockout.check(env, someone)
        lockout.record_failure(env, someone)
    assert someone.locked_until is None
    lockout.record_failure(env, someone)
    assert someone.locked_until == START + 1
    with pytest.raises(NotAuthorizedException, match="^Password attempts exceeded$"):
        lockout.check(env, someone)
    env.clock.advance(1)
    lockout.check(env, someone)
    lockout.record_failure(env, someone)
    assert someone.locked_until == START + 1 + 2


def test_lockout_is_capped(env):
    someone = user()
    someone.failed_sign_ins = 30
    lockout.record_failure(env, someone)
    assert someone.locked_until == START + lockout.MAX_LOCK_SECONDS


def test_quiet_period_and_success_reset(env):
    someone = user()
    for _ in range(6):
        lockout.record_failure(env, someone)
    env.clock.advance(lockout.QUIET_RESET_SECONDS)
    lockout.check(env, someone)
    assert someone.failed_sign_ins == 0 and someone.locked_until is None
    lockout.record_failure(env, someone)
    lockout.reset(someone)
    assert someone.failed_sign_ins == 0
