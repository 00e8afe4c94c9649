"""The server side of Cognito's SRP-6a (USER_SRP_AUTH, DEVICE_SRP_AUTH), as Cognito's clients compute it.

Everything here is pure: randomness comes in as arguments, nothing is stored. The byte layouts are
the ones amazon-cognito-identity-js, Amplify, pycognito and the AWS SDK extensions use:

- group: RFC 5054's 3072-bit prime N, g = 2, hash SHA-256;
- ``pad(n)``: the hex of ``n`` with a leading ``0`` when its length is odd, or ``00`` when its first
  nibble has the high bit set (the two's-complement form Java's BigInteger and the JS SDK hash);
- ``k = H(pad(N) | pad(g))``, ``u = H(pad(A) | pad(B))``;
- ``x = H(pad(salt) | H(realm | user | ":" | password))`` where, for a user, ``realm`` is the part of
  the pool id after ``_`` and ``user`` is USER_ID_FOR_SRP; for a device, ``realm`` is the device
  group key and ``user`` the device key;
- the session key is one HKDF-SHA256 block over ``pad(S)`` with ``pad(u)`` as salt and the info
  ``"Caldera Derived Key"``, cut to 16 bytes;
- PASSWORD_CLAIM_SIGNATURE = base64(HMAC-SHA256(key, realm | user | SECRET_BLOCK bytes | TIMESTAMP)).

The TIMESTAMP must be in the clients' format (``Tue Jan 2 03:04:05 UTC 2024``): Cognito refuses a
zero-padded day or a weekday that does not match the date with ``NotAuthorizedException`` (measured
against AWS in ministackorg/ministack#1758). How stale it may be is not documented, so it is not
checked here (``parse_timestamp`` lets a caller add that).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from datetime import UTC, datetime
from functools import cache
from typing import Any

from cognito_emu.env import Env
from cognito_emu.errors import InvalidParameterException
from cognito_emu.idp.models import SrpServerState

# RFC 5054, appendix A, the 3072-bit group.
N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = int(N_HEX, 16)
G = 2
_INFO = b"Caldera Derived Key\x01"
# A public value has at most 384 bytes; allow a little slack for padding, refuse anything huge
# before doing arithmetic on it.
_MAX_PUBLIC_HEX = 800
_HEX_RE = re.compile(r"[0-9a-fA-F]+")

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TIMESTAMP_RE = re.compile(
    r"(?P<wd>[A-Z][a-z]{2}) (?P<mon>[A-Z][a-z]{2}) (?P<day>[1-9]|[12][0-9]|3[01]) "
    r"(?P<h>[0-9]{2}):(?P<m>[0-9]{2}):(?P<s>[0-9]{2}) UTC (?P<y>[0-9]{4})"
)


def pad_hex(value: int) -> str:
    """Hex of a non-negative integer in the padded form the clients hash."""
    text = format(value, "x")
    if len(text) % 2:
        return "0" + text
    if text[0] in "89abcdef":
        return "00" + text
    return text


def _hash_hex(hex_text: str) -> int:
    return int.from_bytes(hashlib.sha256(bytes.fromhex(hex_text)).digest(), "big")


K = _hash_hex(pad_hex(N) + pad_hex(G))


# g^e mod N with a fixed base: a table of g^(d * 2^(w*i)) mod N for every w-bit digit d of window i
# turns the 256-bit exponents used here (x, b) into 256/w GMP multiplications, against about 300 for a
# general powmod. A process starts with 6-bit windows (43 multiplications; the table takes a few ms and
# ~1 MB to build, which a test process that sets a few passwords pays once); after _WIDE_AFTER powers it
# builds 8-bit windows (32 multiplications, about 25 us less for every password set or checked; ~20 ms
# and ~3.4 MB), which a server under sign-ins pays back within a second.
_TABLE_BITS = 256
_NARROW_BITS = 6
_WIDE_BITS = 8
_WIDE_AFTER = 512


class _GTable:
    """The rows of g^(d * 2^(w*i)) mod N for windows of ``bits`` bits."""

    def __init__(self, gmp: _Gmp, bits: int) -> None:
        self.bits = bits
        self.n = gmp.n
        self.one = gmp.mpz(1)
        self.rows: list[list[Any]] = []
        base = gmp.mpz(G)
        for _ in range(-(-_TABLE_BITS // bits)):
            row = [self.one]
            for _ in range((1 << bits) - 1):
                row.append(row[-1] * base % self.n)
            self.rows.append(row)
            base = row[-1] * base % self.n

    def power(self, exponent: int) -> int:
        bits = self.bits
        mask = (1 << bits) - 1
        n = self.n
        result = self.one
        for row in self.rows:
            if not exponent:
                break
            digit = exponent & mask
            if digit:
                result = result * row[digit] % n
            exponent >>= bits
        return int(result)


class _Gmp:
    """GMP's arithmetic for the group: a 3072-bit power takes about a tenth of the time of Python's
    pow(), which made an SRP sign-in cost several times a USER_PASSWORD_AUTH one."""

    def __init__(self) -> None:
        # Imported on the first SRP computation, not with this module: gmpy2 costs about ten
        # milliseconds of every start, and a server's first calls are seldom about passwords.
        import gmpy2

        self.powmod = gmpy2.powmod
        self.mpz = gmpy2.mpz
        self.n = gmpy2.mpz(N)
        self.g_table = _GTable(self, _NARROW_BITS)
        # Fixed-base powers so far (unlocked: a lost count only widens the windows a little later).
        self.powers = 0


@cache
def _gmp() -> _Gmp:
    # A race only builds the same tables twice.
    return _Gmp()


def g_pow(exponent: int) -> int:
    """``pow(G, exponent, N)`` for a non-negative exponent, fast for exponents up to 256 bits."""
    gmp = _gmp()
    if exponent < 0 or exponent.bit_length() > _TABLE_BITS:
        return int(gmp.powmod(G, exponent, gmp.n))
    gmp.powers += 1
    if gmp.powers >= _WIDE_AFTER and gmp.g_table.bits != _WIDE_BITS:
        # A race only builds the same table twice.
        gmp.g_table = _GTable(gmp, _WIDE_BITS)
    return gmp.g_table.power(exponent)


def _x(realm: str, user: str, password: str, salt_hex: str) -> int:
    inner = hashlib.sha256(f"{realm}{user}:{password}".encode()).hexdigest()
    return _hash_hex(pad_hex(int(salt_hex, 16)) + inner)


def canonical_salt(salt: bytes) -> str:
    """The hex form of a salt that every client hashes identically (see module notes)."""
    return pad_hex(int.from_bytes(salt, "big") or 1)


def new_salt(env: Env) -> str:
    """A fresh 16-byte salt in canonical hex."""
    return canonical_salt(env.ids.token_bytes(16))


def make_verifier(realm: str, user: str, password: str, salt_hex: str) -> str:
    """``v = g^x mod N`` as padded hex; stored when a password is set, never the password itself.

    For a user: ``realm`` is the pool name (the part of the pool id after ``_``) and ``user`` the
    internal username (USER_ID_FOR_SRP).
    """
    return pad_hex(g_pow(_x(realm, user, password, salt_hex)))


def verifier_matches(realm: str, user: str, password: str, salt_hex: str, verifier: bytes) -> bool:
    """Whether ``password`` is the one behind ``verifier`` (``v = g^x mod N`` as bytes): recompute ``x``
    from the stored salt and compare, in constant time. The verifier is the one secret a user keeps for a
    password, so the password flows (USER_PASSWORD_AUTH, ChangePassword, ...) check it this way, as SRP
    does: one-way, and no clear text anywhere."""
    return hmac.compare_digest(bytes.fromhex(make_verifier(realm, user, password, salt_hex)), verifier)


def pool_name(user_pool_id: str) -> str:
    """The part of a user pool id after ``_``, which the clients put into x and the signature."""
    return user_pool_id.split("_", 1)[1]


def server_challenge(verifier_hex: str, b_random: bytes) -> SrpServerState:
    """``B = k*v + g^b mod N`` for a secret ``b`` taken from ``b_random`` (e.g. ``env.ids.token_bytes(32)``)."""
    v = int(verifier_hex, 16)
    b = int.from_bytes(b_random, "big") % N or 1
    big_b = (K * v + g_pow(b)) % N
    if big_b == 0:  # would need g^b == -k*v mod N; never in practice, but never send 0
        raise ValueError("SRP B is zero; draw another b")
    return SrpServerState(big_b=format(big_b, "x"), small_b=format(b, "x"))


def parse_public_a(a_hex: str) -> int:
    """SRP_A as an integer, refusing what no client sends (not hex, absurdly long, A % N == 0)."""
    if not isinstance(a_hex, str) or len(a_hex) > _MAX_PUBLIC_HEX or not _HEX_RE.fullmatch(a_hex):
        raise InvalidParameterException("SRP_A is not a valid hexadecimal value.")
    a = int(a_hex, 16)
    if a % N == 0:
        raise InvalidParameterException("SRP_A is not valid.")
    return a


def format_timestamp(moment: datetime) -> str:
    """TIMESTAMP as the clients write it: ``Tue Jan 2 03:04:05 UTC 2024`` (UTC, day not padded)."""
    moment = moment.astimezone(UTC)
    return (
        f"{_WEEKDAYS[moment.weekday()]} {_MONTHS[moment.month - 1]} {moment.day} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} UTC {moment.year}"
    )


def parse_timestamp(text: str) -> datetime | None:
    """The instant a TIMESTAMP names, or None when Cognito would refuse its form."""
    match = _TIMESTAMP_RE.fullmatch(text) if isinstance(text, str) else None
    if match is None or match["wd"] not in _WEEKDAYS or match["mon"] not in _MONTHS:
        return None
    try:
        moment = datetime(
            int(match["y"]),
            _MONTHS.index(match["mon"]) + 1,
            int(match["day"]),
            int(match["h"]),
            int(match["m"]),
            int(match["s"]),
            tzinfo=UTC,
        )
    except ValueError:
        return None
    if _WEEKDAYS[moment.weekday()] != match["wd"]:
        return None
    return moment


def _session_key(a: int, big_b: int, small_b: int, v: int) -> bytes | None:
    u = _hash_hex(pad_hex(a) + pad_hex(big_b))
    if u == 0:
        return None
    gmp = _gmp()
    s = int(gmp.powmod(a * gmp.powmod(v, u, gmp.n), small_b, gmp.n))
    prk = hmac.new(bytes.fromhex(pad_hex(u)), bytes.fromhex(pad_hex(s)), hashlib.sha256).digest()
    return hmac.new(prk, _INFO, hashlib.sha256).digest()[:16]


def _b64(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError, TypeError):
        return None


def verify_password_claim(
    realm: str,
    user_id_for_srp: str,
    salt_hex: str,
    verifier_hex: str,
    a_hex: str,
    challenge: SrpServerState,
    secret_block_b64: str,
    timestamp: str,
    signature_b64: str,
) -> bool:
    """Whether PASSWORD_CLAIM_SIGNATURE proves knowledge of the password behind ``verifier_hex``.

    ``realm`` is the pool name for a user (the device group key for a device), ``secret_block_b64``
    the PASSWORD_CLAIM_SECRET_BLOCK the client sent (the caller checks it is the one it issued).
    ``salt_hex`` is accepted for symmetry with the challenge; the verifier already binds it.
    Every malformed input is simply a failed proof.
    """
    del salt_hex
    try:
        a = parse_public_a(a_hex)
    except InvalidParameterException:
        return False
    secret_block = _b64(secret_block_b64) if isinstance(secret_block_b64, str) else None
    signature = _b64(signature_b64) if isinstance(signature_b64, str) else None
    if secret_block is None or signature is None or parse_timestamp(timestamp) is None:
        return False
    key = _session_key(a, int(challenge.big_b, 16), int(challenge.small_b, 16), int(verifier_hex, 16))
    if key is None:
        return False
    message = realm.encode() + user_id_for_srp.encode() + secret_block + timestamp.encode()
    expected = hmac.new(key, message, hashlib.sha256).digest()
    return hmac.compare_digest(expected, signature)
