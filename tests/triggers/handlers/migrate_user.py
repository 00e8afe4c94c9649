"""UserMigration: knows "legacy" (password "Legacy-Passw0rd"), and "resetme" who must reset."""

LEGACY = {"legacy": "Legacy-Passw0rd", "resetme": "Legacy-Passw0rd"}


def handler(event, context):
    name = event["userName"]
    if name not in LEGACY:
        raise Exception("Bad password")
    source = event["triggerSource"]
    if source == "UserMigration_Authentication" and event["request"]["password"] != LEGACY[name]:
        raise Exception("Bad password")
    event["response"]["userAttributes"] = {
        "email": f"{name}@legacy.example.com",
        "email_verified": "true",
    }
    event["response"]["messageAction"] = "SUPPRESS"
    if name == "resetme" or event["triggerSource"] == "UserMigration_ForgotPassword":
        event["response"]["finalUserStatus"] = "RESET_REQUIRED"
    else:
        event["response"]["finalUserStatus"] = "CONFIRMED"
    return event
