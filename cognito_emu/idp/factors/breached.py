"""A small bundled list of breached passwords: what the emulator's compromised-credentials check knows.

Cognito compares a password against credentials leaked elsewhere (developer guide, "Working with
compromised-credentials detection"); an emulator has no such feed. These are some of the most common
passwords of public breach corpora, in forms that pass Cognito's default password policy too, so a
test can sign up or sign in with one on purpose. The check ignores case.
"""

from __future__ import annotations

BREACHED_PASSWORDS = frozenset(
    password.lower()
    for password in (
        "123456",
        "123456789",
        "12345678",
        "password",
        "qwerty123",
        "qwerty1!",
        "111111",
        "abc123",
        "iloveyou",
        "letmein",
        "monkey",
        "dragon",
        "sunshine",
        "princess",
        "football",
        "baseball",
        "welcome",
        "admin",
        "Password1",
        "Password1!",
        "Password123",
        "Password123!",
        "P@ssw0rd",
        "P@ssw0rd1",
        "P@ssword1",
        "Passw0rd",
        "Welcome1",
        "Welcome1!",
        "Welcome123!",
        "Qwerty123!",
        "Abcd1234!",
        "Aa123456",
        "Aa123456!",
        "Summer2024!",
        "Winter2024!",
        "Spring2024!",
        "Autumn2024!",
        "Changeme1!",
        "Letmein1!",
        "Iloveyou1!",
        "Football1!",
        "Monkey123!",
        "Dragon123!",
        "Admin123!",
        "Test1234!",
    )
)


def is_breached(password: str) -> bool:
    return password.lower() in BREACHED_PASSWORDS
