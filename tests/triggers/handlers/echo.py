"""Answers the event unchanged and keeps every event it saw (for assertions on the event shape)."""

SEEN = []


def handler(event, context):
    SEEN.append(
        {
            "event": event,
            "function_name": context.function_name,
            "remaining": context.get_remaining_time_in_millis(),
        }
    )
    return event
