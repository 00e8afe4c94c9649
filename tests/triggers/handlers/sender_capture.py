"""A custom sender that decrypts ``request.code`` the way a real one would, and keeps what it got."""

from cognito_emu.triggers.custom_senders import decrypt_code

SEEN = []


def handler(event, context):
    SEEN.append({"event": event, "code": decrypt_code(event["request"]["code"])})
    return event
