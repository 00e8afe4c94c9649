"""Where messages go: the outbox every email and SMS is recorded in, and delivery on top of it (SMTP)."""
