"""Handlers that fail in each way the runner maps: raise, malformed answers, too slow, exit."""

import sys
import time


def raises(event, context):
    raise ValueError("no sign-ups from example.org")


def returns_list(event, context):
    return [event]


def returns_none(event, context):
    return None


def returns_unserializable(event, context):
    return {"response": object()}


def slow(event, context):
    time.sleep(3)
    return event


def exits(event, context):
    sys.exit(3)
