"""CustomMessage handlers: one writes its own messages per triggerSource, one forgets the code."""


def handler(event, context):
    code = event["request"]["codeParameter"]
    source = event["triggerSource"]
    if source == "CustomMessage_AdminCreateUser":
        user = event["request"]["usernameParameter"]
        event["response"]["emailSubject"] = "Welcome aboard"
        event["response"]["emailMessage"] = f"Hi {user}, your temporary password is {code}"
    else:
        event["response"]["emailSubject"] = f"[{source}]"
        event["response"]["emailMessage"] = f"{source}: your code is {code}"
        event["response"]["smsMessage"] = f"{source} code {code}"
    return event


def forgets_the_code(event, context):
    event["response"]["emailMessage"] = "Welcome! (no code here)"
    return event
