"""What users do for themselves: sign-up and confirmation, password recovery, their profile, and the
messages and one-time codes these send."""
