"""What a user signs in with: passwords (and their SRP verifiers), MFA factors, software tokens,
remembered devices and passkeys (WebAuthn)."""
