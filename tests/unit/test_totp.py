"""RFC 6238 TOTP: the RFC's SHA-1 test vectors, authenticator-app defaults, and the emulator's clock."""

from __future__ import annotations

import base64

import pytest

from cognito_emu import totp
from cognito_emu.config import Config
from cognito_emu.emulator import Emulator

# RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890", 8-digit codes.
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


@pytest.mark.parametrize(("at", "expected"), RFC_VECTORS)
def test_rfc6238_sha1_vectors(at: int, expected: str) -> None:
    assert totp.code(RFC_SECRET, at, digits=8) == expected


@pytest.mark.parametrize(("at", "expected"), RFC_VECTORS)
def test_six_digits_are_the_last_six_of_the_rfc_codes(at: int, expected: str) -> None:
    assert totp.code(RFC_SECRET, at) == expected[-6:]


def test_rfc4226_hotp_vectors() -> None:
    # RFC 4226 appendix D, counters 0..9.
    expected = [
        "755224",
        "287082",
        "359152",
        "969429",
        "338314",
        "254676",
        "287922",
        "162583",
        "399871",
        "520489",
    ]
    assert [totp.hotp(b"12345678901234567890", i) for i in range(10)] == expected


def test_secret_spelling_is_forgiving() -> None:
    messy = " ".join(RFC_SECRET[i : i + 4] for i in range(0, len(RFC_SECRET), 4)).lower()
    assert totp.code(messy, 59) == totp.code(RFC_SECRET, 59)
    unpadded = base64.b32encode(b"0123456789").decode().rstrip("=")
    assert totp.code(unpadded, 59) == totp.code(unpadded + "=" * 0, 59)


@pytest.mark.parametrize("bad", ["", "not base32!", "11111111"])
def test_bad_secret(bad: str) -> None:
    with pytest.raises(ValueError, match="TOTP secret"):
        totp.code(bad, 0)


def test_code_changes_every_30_seconds() -> None:
    assert totp.code(RFC_SECRET, 60) == totp.code(RFC_SECRET, 89.9)
    assert totp.code(RFC_SECRET, 89.9) != totp.code(RFC_SECRET, 90)


def test_matching_step_accepts_one_step_of_drift() -> None:
    now = 1_700_000_015.0
    assert totp.matching_step(RFC_SECRET, totp.code(RFC_SECRET, now), now) == now // 30
    assert totp.matching_step(RFC_SECRET, totp.code(RFC_SECRET, now - 30), now) == now // 30 - 1
    assert totp.matching_step(RFC_SECRET, totp.code(RFC_SECRET, now + 30), now) == now // 30 + 1
    assert None is totp.matching_step(RFC_SECRET, totp.code(RFC_SECRET, now - 90), now)
    assert None is totp.matching_step(RFC_SECRET, "12345", now)
    assert None is totp.matching_step(RFC_SECRET, "abcdef", now)


def test_emulator_totp_code_follows_the_emulator_clock() -> None:
    emu = Emulator(Config())
    emu.clock.set(1111111109)
    emu.clock.freeze()
    assert emu.totp_code(RFC_SECRET) == "081804"
    emu.clock.advance(2)
    assert emu.totp_code(RFC_SECRET) == "050471"
    assert emu.totp_code(RFC_SECRET, at=59) == "287082"
