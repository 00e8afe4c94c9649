"""Email delivery to an SMTP server (``--smtp HOST:PORT``), against an aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import email
import logging
import socket
import threading
import time
from collections.abc import Iterator
from email.message import Message as MailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from cognito_emu.config import Config
from cognito_emu.delivery import smtp
from cognito_emu.emulator import Emulator
from tests.api.support import PASSWORD, boto_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], MailMessage]] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.arrived:
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10.0) -> list[tuple[str, list[str], MailMessage]]:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.arrived.wait(left)
            return list(self.received)


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def mailing_emulator(smtp_server: tuple[Inbox, int]) -> Iterator[Emulator]:
    _, port = smtp_server
    with Emulator(Config(port=0, smtp=f"127.0.0.1:{port}")) as emu:
        yield emu


def _pool_and_client(idp: Any, **settings: Any) -> tuple[str, str]:
    pool = idp.create_user_pool(PoolName="p", **settings)["UserPool"]["Id"]
    client = idp.create_user_pool_client(UserPoolId=pool, ClientName="a")["UserPoolClient"]["ClientId"]
    return pool, client


def test_sign_up_email_reaches_the_smtp_server(smtp_server, mailing_emulator):
    inbox, _ = smtp_server
    idp = boto_client(mailing_emulator)
    pool, client = _pool_and_client(idp, AutoVerifiedAttributes=["email"])
    idp.sign_up(
        ClientId=client,
        Username="alice",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}],
    )
    [(mail_from, recipients, mail)] = inbox.wait_for(1)
    assert mail_from == "no-reply@verificationemail.com"
    assert recipients == ["alice@example.com"]
    assert mail["To"] == "alice@example.com"
    assert mail["Subject"] == "Your verification code"
    assert mail["X-Cognito-Emu-Reason"] == "SignUp"
    assert mail["X-Cognito-Emu-User-Pool-Id"] == pool
    code = mailing_emulator.outbox.last_code("alice")
    assert code in mail.get_body(("plain",)).get_content()


def test_sms_are_logged_not_mailed(smtp_server, mailing_emulator, caplog):
    inbox, _ = smtp_server
    idp = boto_client(mailing_emulator)
    pool, client = _pool_and_client(idp, AutoVerifiedAttributes=["phone_number"])
    with caplog.at_level(logging.INFO, logger="cognito_emu.delivery"):
        idp.sign_up(
            ClientId=client,
            Username="bob",
            Password=PASSWORD,
            UserAttributes=[{"Name": "phone_number", "Value": "+15550001234"}],
        )
    code = mailing_emulator.outbox.last_code("bob")
    assert any("+15550001234" in r.getMessage() and code in r.getMessage() for r in caplog.records)
    # An email afterwards arrives alone: the SMS never went to the SMTP server.
    idp.admin_create_user(
        UserPoolId=pool,
        Username="carol",
        UserAttributes=[{"Name": "email", "Value": "carol@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )
    received = inbox.wait_for(1)
    assert [r[1] for r in received] == [["carol@example.com"]]
    assert received[0][2]["X-Cognito-Emu-Reason"] == "AdminCreateUser"


def test_pool_from_address_and_html_link(smtp_server, mailing_emulator):
    inbox, _ = smtp_server
    idp = boto_client(mailing_emulator)
    _, client = _pool_and_client(
        idp,
        AutoVerifiedAttributes=["email"],
        EmailConfiguration={"EmailSendingAccount": "COGNITO_DEFAULT", "From": "Example <hello@example.com>"},
        VerificationMessageTemplate={"DefaultEmailOption": "CONFIRM_WITH_LINK"},
    )
    idp.sign_up(
        ClientId=client,
        Username="dan",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": "dan@example.com"}],
    )
    [(mail_from, _, mail)] = inbox.wait_for(1)
    assert mail_from == "hello@example.com"
    assert mail["From"] == "Example <hello@example.com>"
    link = mailing_emulator.outbox.last("dan").link
    assert link and link in mail.get_body(("html",)).get_content()


def test_unreachable_server_never_breaks_the_call(caplog):
    port = free_port()  # nothing listens here
    with Emulator(Config(port=0, smtp=f"127.0.0.1:{port}")) as emu:
        idp = boto_client(emu)
        _, client = _pool_and_client(idp, AutoVerifiedAttributes=["email"])
        with caplog.at_level(logging.WARNING, logger="cognito_emu.delivery"):
            out = idp.sign_up(
                ClientId=client,
                Username="eve",
                Password=PASSWORD,
                UserAttributes=[{"Name": "email", "Value": "eve@example.com"}],
            )
            assert out["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
            assert emu.outbox.last_code("eve")
            deliverer = next(d for d in emu.outbox.deliverers if isinstance(d, smtp.SmtpDeliverer))
            deliverer.flush()
    assert any("could not deliver SignUp email to eve@example.com" in r.getMessage() for r in caplog.records)


def test_configuration():
    assert Config.from_env({"COGNITO_EMU_SMTP": "127.0.0.1:2525"}).smtp == "127.0.0.1:2525"
    assert Config.from_env({"COGNITO_EMU_SMTP_FROM": "x@example.com"}).smtp_from == "x@example.com"
    assert Config.from_env({}).smtp is None
    assert smtp.parse_address("localhost:25") == ("localhost", 25)
    assert smtp.parse_address("[::1]:1025") == ("::1", 1025)
    for bad in ("localhost", ":25", "host:port", "host:0", "host:70000"):
        with pytest.raises(ValueError):
            smtp.parse_address(bad)
    with pytest.raises(ValueError, match="HOST:PORT"):
        Emulator(Config(smtp="nowhere"))
    plain = Emulator(Config())
    assert not any(isinstance(d, smtp.SmtpDeliverer) for d in plain.outbox.deliverers)


def test_cli_refuses_a_malformed_smtp_address(capsys):
    from cognito_emu.cli import main

    assert main(["serve", "--port", "0", "--smtp", "nowhere"]) == 2
    assert "HOST:PORT" in capsys.readouterr().err
