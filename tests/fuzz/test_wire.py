"""Wire fuzzing: mangled HTTP requests (request line, headers, framing, body) on real sockets.

test_fuzz.py fuzzes what the application is given; this fuzzes what the serving layer reads and how
a request is routed (the credential scope, X-Amz-Target, Content-Length, Transfer-Encoding, Expect,
line endings). Whatever arrives, the answer is a well-formed HTTP answer that is not a 5xx (or none,
when the request never ended before the client closed), and afterwards the server still answers and
has lost nothing. The mutations come from a fixed seed, so a failure names the bytes that caused it.
"""

from __future__ import annotations

import json
import random
import socket

from cognito_emu.emulator import Emulator
from tests.fuzz.pool import IDP, SIGNED

CASES = 400
# What a byte-level mutation inserts: line endings, separators, numbers and framing that mean something.
INSERTS = (
    b"\r\n",
    b"\n",
    b"\r",
    b":",
    b" ",
    b"\r\n\r\n",
    b"-1",
    b"99999999",
    b"chunked",
    b"Transfer-Encoding: chunked\r\n",
    b"Expect: 100-continue\r\n",
    b"Content-Length: 3\r\n",
    b"/aws4_request",
    b"\x00",
    b"\xff",
)


def _request(port: int, body: bytes) -> bytes:
    return (
        f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Amz-Target: {IDP}.ListUserPools\r\n"
        f"Content-Type: application/x-amz-json-1.1\r\nAuthorization: {SIGNED}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def _mutate(rng: random.Random, data: bytes) -> bytes:
    mutated = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(mutated) + 1)
        roll = rng.random()
        if roll < 0.4 and at < len(mutated):
            mutated[at] = rng.randrange(256)
        elif roll < 0.6:
            del mutated[at : at + rng.randint(1, 20)]
        elif roll < 0.9:
            mutated[at:at] = rng.choice(INSERTS)
        else:
            del mutated[at:]
    return bytes(mutated)


def _exchange(port: int, data: bytes) -> bytes:
    """Send ``data``, close our side, read until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def _statuses(answer: bytes) -> list[int]:
    """The status of every answer in what the server sent (pipelined requests get several)."""
    return [int(line.split(b" ", 2)[1]) for line in answer.split(b"\r\n") if line.startswith(b"HTTP/1.1 ")]


def test_mangled_requests_get_well_formed_answers_and_lose_nothing(server_emulator: Emulator) -> None:
    server_emulator.reset()
    idp = server_emulator.client("cognito-idp", region_name="us-east-1")
    pool_id = idp.create_user_pool(PoolName="wire")["UserPool"]["Id"]
    port = int(server_emulator.endpoint_url.rsplit(":", 1)[1])
    body = json.dumps({"MaxResults": 5}).encode()
    valid = _request(port, body)
    rng = random.Random(20261207)
    for _ in range(CASES):
        data = _mutate(rng, valid * rng.choice((1, 1, 2)))
        answer = _exchange(port, data)
        assert answer == b"" or answer.startswith(b"HTTP/1.1 "), (data, answer[:300])
        statuses = _statuses(answer)
        assert all(status < 500 for status in statuses), (data, answer[:600])
    assert _statuses(_exchange(port, valid)) == [200]
    assert [pool["Id"] for pool in idp.list_user_pools(MaxResults=5)["UserPools"]] == [pool_id]
