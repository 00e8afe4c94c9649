"""The only place that draws randomness: ids, codes and secrets in AWS's formats.

With a seed (``--deterministic SEED``) every draw is reproducible; otherwise draws come from the
operating system's generator.
"""

from __future__ import annotations

import hashlib
import random
import string
import threading

_LOWER_ALNUM = string.ascii_lowercase + string.digits
_ALNUM = string.ascii_letters + string.digits
_HEX = "0123456789abcdef"



# The version (4) and variant (RFC 4122) bits of a random UUID, as uuid.UUID(bytes=..., version=4) sets them.
_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


def uuid4_text(raw: bytes) -> str:
    """``str(uuid.UUID(bytes=raw, version=4))`` without building the UUID object (a sign-in mints five)."""
    text = f"{(int.from_bytes(raw, 'big') & _UUID4_CLEAR) | _UUID4_SET:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

class Ids:
    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self.seed = seed
        self._random: random.Random = random.Random(seed) if seed is not None else random.SystemRandom()
        # Request ids and form (CSRF) tokens have a stream of their own: a control-API call, a health check or
        # a page view made on one of two deterministic emulators must not shift the ids, codes and secrets
        # of the calls after it.
        self._requests: random.Random = (
            random.Random(f"{seed}:requests") if seed is not None else random.SystemRandom()
        )

    def reseed(self) -> None:
        if self.seed is not None:
            with self._lock:
                self._random = random.Random(self.seed)
                self._requests = random.Random(f"{self.seed}:requests")

    def branch(self, state: bytes) -> None:
        """After a state import: continue the seeded stream from one derived from the seed and ``state``.

        The stream that made a snapshot would otherwise mint, after the snapshot is restored, the very ids
        it already holds (the next CreateUserPool overwrote a restored pool). Still reproducible: the same
        seed and the same state give the same ids."""
        if self.seed is not None:
            digest = hashlib.sha256(state).hexdigest()
            with self._lock:
                self._random = random.Random(f"{self.seed}:{digest}")

    def _below(self, radices: list[int]) -> list[int]:
        """A uniform draw below each radix, all from one read of the generator (the operating system's costs a
        system call a read): the digits of one random number in that mixed radix. Its 64 spare bits keep the
        digits within 2**-64 of uniform."""
        with self._lock:
            value = self._random.getrandbits(sum(map(int.bit_length, radices)) + 64)
        digits = []
        for radix in radices:
            value, digit = divmod(value, radix)
            digits.append(digit)
        return digits

    def _choose(self, alphabet: str, length: int) -> str:
        return "".join([alphabet[index] for index in self._below([len(alphabet)] * length)])

    def token_bytes(self, length: int) -> bytes:
        with self._lock:
            return self._random.getrandbits(length * 8).to_bytes(length, "big")

    def uuid(self) -> str:
        return uuid4_text(self.token_bytes(16))

    def request_id(self) -> str:
        with self._lock:
            raw = self._requests.getrandbits(128).to_bytes(16, "big")
        return uuid4_text(raw)

    def form_token(self) -> str:
        """A browser session's CSRF token (``cognito_emu.csrf``): 32 random bytes in hex."""
        with self._lock:
            return self._requests.getrandbits(256).to_bytes(32, "big").hex()

    def user_pool_id(self, region: str) -> str:
        return f"{region}_{self._choose(_ALNUM, 9)}"

    def client_id(self) -> str:
        return self._choose(_LOWER_ALNUM, 26)

    def client_secret(self) -> str:
        return self._choose(_LOWER_ALNUM, 51)

    def user_session_id(self, prefix: str) -> str:
        """A SessionId of ListUserSessions: ``tkn`` or ``sso`` and 25 lowercase letters and digits."""
        return prefix + self._choose(_LOWER_ALNUM, 25)

    def digits(self, length: int = 6) -> str:
        return self._choose(string.digits, length)

    def alphanumeric(self, length: int) -> str:
        return self._choose(_ALNUM, length)

    def hex(self, length: int) -> str:
        return self._choose(_HEX, length)

    def choice(self, alphabet: str, length: int = 1) -> str:
        """``length`` characters of ``alphabet``, each drawn alike."""
        return self._choose(alphabet, length)

    def shuffle(self, items: list[str]) -> None:
        """Fisher-Yates, its swaps drawn at once."""
        last = len(items) - 1
        for i, j in zip(range(last, 0, -1), self._below(list(range(last + 1, 1, -1))), strict=True):
            items[i], items[j] = items[j], items[i]
