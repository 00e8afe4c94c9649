"""What Cognito would bill: monthly active users per pool and M2M token requests (``GET /_emu/usage``)."""
