"""PreSignUp handlers: one auto-confirms and auto-verifies, one refuses everybody."""


def auto_confirm(event, context):
    event["response"]["autoConfirmUser"] = True
    event["response"]["autoVerifyEmail"] = True
    return event


def refuse(event, context):
    raise Exception("no sign-ups today")
