"""Where new RSA-2048 signing keys come from: a store of keys on disk, then keys made in the background.

Making an RSA-2048 key costs 40-75 ms of CPU, and every user pool needs two on its first token; a
test suite that makes a pool per test paid that for every test. So:

- A store of keys on disk (``$XDG_CACHE_HOME/cognito-emu/signing-keys.pem``, else ``~/.cache/...``;
  ``COGNITO_EMU_KEY_STORE`` names another file, or ``off``) is read once per process, and new
  keys are taken from it in order: within a process each key goes to one pool (or identity
  store) only. Separate processes (each run of a test suite, pytest-xdist workers, a forked child)
  read the same file, so they use the same keys: the trade-off for not paying key generation in
  every process. Nothing outside this user's processes sees them: the file is written ``0600`` and
  a file that other users could read or write, or that another user owns, is not used.
- When the store runs low and is not full, a daemon thread makes fresh keys (OpenSSL releases the GIL
  while it searches for primes) into the store for later runs, until it holds ``STORE_SIZE`` keys,
  each one also ready in a small reserve in memory for this process's next pool (so it makes them
  only as fast as pools take them).
- When neither has a key (a test suite making more than ``STORE_SIZE / 2`` pools in one process),
  ``take`` pairs the primes of keys it handed out before into a key not made before (about 0.15 ms,
  where making one costs 40-75): 256 keys' primes make about 130,000 such keys. Every pool still has keys of its own, distinct moduli published in its JWKS; what they
  give up is only that two moduli sharing a prime can be factored, which matters to nobody's test
  and the emulator's API would not need anyway (it makes pools and users for anyone who asks). It
  makes one at once only when it knows too few primes (the store off, the first keys).

The file is always written whole then renamed, so a process reading it beside a writer sees the
old keys or the new ones, never half a file; two writers at once may lose one's additions, which
only costs a later run some key generation. Keys read from it are checked arithmetically (the
modulus is the product of the primes, the exponents agree) before use, so a damaged or truncated
file costs nothing but generation; they are not tested for primality (that is OpenSSL's slow
check, and the file is this user's own). A forked child forgets the reserve and the stock it
inherited (it reads the store again). Nothing here is emulator state: reset has nothing to clear.
"""

from __future__ import annotations

import contextlib
import math
import os
import queue
import re
import threading
from functools import lru_cache
from pathlib import Path

from cognito_emu import crypto
from cognito_emu.cache_dir import cache_dir

KEY_SIZE = 2048
PUBLIC_EXPONENT = 65537
# Fresh keys kept ready in memory: two per pool, so a few pools can get theirs without waiting.
RESERVE_SIZE = 6
# Keys kept on disk: two per pool for a test file of 128 pools; about 1.7 KB each.
STORE_SIZE = 256
STORE_SETTING = "COGNITO_EMU_KEY_STORE"
_OFF = frozenset({"off", "0", "false", "no", "none"})
# Greedy: base64 has no "-", so the run stops where the END line starts (lazy matching cost 3.4 ms
# of every process's first key, for a full store).
_BLOCK = re.compile(rb"-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n")
# A file much larger than a full store is not one this module wrote.
_MAX_STORE_BYTES = STORE_SIZE * 4096


def generate_pem() -> str:
    key = crypto.rsa.generate_private_key(public_exponent=PUBLIC_EXPONENT, key_size=KEY_SIZE)
    return key.private_bytes(
        crypto.serialization.Encoding.PEM,
        crypto.serialization.PrivateFormat.PKCS8,
        crypto.serialization.NoEncryption(),
    ).decode()


@lru_cache(maxsize=512)
def load_private_key(pem: str) -> crypto.rsa.RSAPrivateKey:
    """A key the emulator keeps (made here, or checked once when supplied), loaded without OpenSSL's
    full consistency check, which costs more than making the key."""
    key = crypto.serialization.load_pem_private_key(
        pem.encode(), password=None, unsafe_skip_rsa_key_validation=True
    )
    if not isinstance(key, crypto.rsa.RSAPrivateKey):
        raise ValueError("a signing key must be RSA")
    return key


def _primes(pem: str) -> tuple[int, int] | None:
    """The primes of a whole RSA-2048 key whose parts agree (checked cheaply: no primality test); None
    for anything else, such as a damaged key from the store."""
    try:
        numbers = load_private_key(pem).private_numbers()
    except (ValueError, TypeError):
        return None
    p, q, d, public = numbers.p, numbers.q, numbers.d, numbers.public_numbers
    consistent = (
        public.e == PUBLIC_EXPONENT
        and public.n.bit_length() == KEY_SIZE
        and p * q == public.n
        and d * public.e % math.lcm(p - 1, q - 1) == 1
        and numbers.dmp1 == d % (p - 1)
        and numbers.dmq1 == d % (q - 1)
        and numbers.iqmp * q % p == 1
    )
    return (p, q) if consistent else None


def key_pem(p: int, q: int) -> str | None:
    """The RSA-2048 key of primes ``p`` and ``q`` as PKCS#8 PEM; None when their product is not 2048
    bits or the public exponent does not fit them."""
    n = p * q
    totient = math.lcm(p - 1, q - 1)
    if n.bit_length() != KEY_SIZE or math.gcd(PUBLIC_EXPONENT, totient) != 1:
        return None
    d = pow(PUBLIC_EXPONENT, -1, totient)
    numbers = crypto.rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=d % (p - 1),
        dmq1=d % (q - 1),
        iqmp=pow(q, -1, p),
        public_numbers=crypto.rsa.RSAPublicNumbers(PUBLIC_EXPONENT, n),
    )
    key = numbers.private_key(unsafe_skip_rsa_key_validation=True)
    return key.private_bytes(
        crypto.serialization.Encoding.PEM,
        crypto.serialization.PrivateFormat.PKCS8,
        crypto.serialization.NoEncryption(),
    ).decode()


def store_path() -> Path | None:
    """The key store's file, or None when ``COGNITO_EMU_KEY_STORE`` turns it off."""
    setting = os.environ.get(STORE_SETTING, "").strip()
    if setting.lower() in _OFF:
        return None
    return Path(setting) if setting else cache_dir() / "signing-keys.pem"


def _private_to_this_user(status: os.stat_result) -> bool:
    if os.name != "posix":
        return True  # no owner-only mode bits to check; the file lives in the user's own profile
    return status.st_uid == os.getuid() and not status.st_mode & 0o077


def read_store(path: Path) -> list[str]:
    """The PEM blocks of the store, in order; none when it is missing, unreadable or not this user's alone."""
    try:
        with open(path, "rb") as file:
            if not _private_to_this_user(os.fstat(file.fileno())):
                return []
            data = file.read(_MAX_STORE_BYTES + 1)
    except OSError:
        return []
    if len(data) > _MAX_STORE_BYTES:
        return []
    return [block.decode() for block in _BLOCK.findall(data)]


def add_to_store(path: Path, pem: str) -> bool:
    """Append a key to the store, written whole then renamed (mode 0600); False once the store is full."""
    pems = read_store(path)
    if len(pems) >= STORE_SIZE:
        return False
    if pem in pems:
        return True
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write("".join([*pems, pem]))
        os.replace(temporary, path)
    except OSError:
        return False
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return True


class KeyReserve:
    """New private keys (PEM): from the store on disk, then from a reserve a daemon thread fills."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._ready: queue.Queue[str] = queue.Queue(maxsize=size)
        self._lock = threading.Lock()
        self._filler: threading.Thread | None = None
        # Keys of the store this process has not used yet, last in file order first; None until read.
        self._stock: list[str] | None = None
        self._stock_path: Path | None = None
        # The primes of the keys handed out (a key's two side by side), and the next pair of them to
        # make a key of: (i, j) in the order (0, 1), (0, 2), (1, 2), (0, 3), ..., skipping the keys'
        # own pairs.
        self._known_primes: list[int] = []
        self._pair = (0, 1)
        # The store found full (or not writable): no thread makes keys for it again in this process.
        self._full_store: Path | None = None

    def _load_stock(self) -> list[str]:
        path = store_path()
        if self._stock is None or path != self._stock_path:
            self._stock = read_store(path)[::-1] if path is not None else []
            self._stock_path = path
        return self._stock

    def fill(self) -> None:
        """Have keys ready for the next pools: start the background thread unless the store has enough."""
        with self._lock:
            if len(self._load_stock()) <= self._size:
                self._start_filler()

    def _start_filler(self) -> None:
        # Only to fill the store for later runs: within this run, pairing primes makes keys at once.
        if self._stock_path is None or self._stock_path == self._full_store:
            return
        if self._filler is None or not self._filler.is_alive():
            self._filler = threading.Thread(
                target=self._run, args=(self._stock_path,), name="cognito-emu-keys", daemon=True
            )
            self._filler.start()

    def _run(self, path: Path) -> None:
        """Make keys into the store until it is full, each also ready for this process's next pool: as
        fast as this process takes them (the reserve is small), so a run never burns a core ahead."""
        while True:
            pem = generate_pem()
            if not add_to_store(path, pem):
                with contextlib.suppress(queue.Full):
                    self._ready.put_nowait(pem)
                with self._lock:
                    self._full_store = path
                return
            self._ready.put(pem)

    def take(self) -> str:
        with self._lock:
            stock = self._load_stock()
            while stock:
                pem = stock.pop()
                if self._remember(pem):
                    if len(stock) <= self._size:
                        self._start_filler()
                    return pem
            self._start_filler()
            try:
                pem = self._ready.get_nowait()
            except queue.Empty:
                paired = self._paired()
                if paired is not None:
                    return paired
            else:
                self._remember(pem)
                return pem
        pem = generate_pem()
        with self._lock:
            self._remember(pem)
        return pem

    def _remember(self, pem: str) -> bool:
        """Keep the primes of a key handed out, for pairing; False when it is no whole key (a damaged
        one from the store)."""
        primes = _primes(pem)
        if primes is None:
            return False
        self._known_primes.extend(primes)
        return True

    def _paired(self) -> str | None:
        """A key of two known primes no key handed out has had together; None when there is no such pair."""
        primes = self._known_primes
        i, j = self._pair
        while j < len(primes):
            pem = None if j == i + 1 and i % 2 == 0 else key_pem(primes[i], primes[j])
            i, j = (i + 1, j) if i + 1 < j else (0, j + 1)
            if pem is not None:
                self._pair = (i, j)
                return pem
        self._pair = (i, j)
        return None

    def forget(self) -> None:
        """In a forked child: keys the parent took from the reserve must not sign for another process too."""
        self._ready = queue.Queue(maxsize=self._size)
        self._lock = threading.Lock()
        self._filler = None
        self._stock = None
        self._stock_path = None
        self._known_primes = []
        self._pair = (0, 1)
        self._full_store = None


RESERVE = KeyReserve(RESERVE_SIZE)
if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(after_in_child=RESERVE.forget)


def new_private_key_pem() -> str:
    """A new RSA-2048 private key as PKCS#8 PEM: from the store on disk, else from the reserve."""
    return RESERVE.take()
