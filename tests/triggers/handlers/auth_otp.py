"""A one-time-code CUSTOM_AUTH: three handlers (define, create, verify), optionally after SRP.

Define: after SRP_A ask for PASSWORD_VERIFIER; issue tokens after a right answer; fail after three
wrong ones (or a wrong password); otherwise ask a CUSTOM_CHALLENGE. Create: a code derived from the
attempt number, kept in privateChallengeParameters (and returned by ``code_for`` to the test).
Verify: compare. Every event is kept in SEEN.
"""

SEEN = []


def code_for(attempt):
    return f"{123456 + attempt:06d}"


def define(event, context):
    SEEN.append(event)
    session = event["request"]["session"]
    response = event["response"]
    response.update({"issueTokens": False, "failAuthentication": False})
    if session and session[0]["challengeName"] == "SRP_A" and len(session) == 1:
        response["challengeName"] = "PASSWORD_VERIFIER"
    elif any(
        item["challengeName"] == "PASSWORD_VERIFIER" and not item["challengeResult"] for item in session
    ):
        response["failAuthentication"] = True
    elif session and session[-1]["challengeName"] == "CUSTOM_CHALLENGE" and session[-1]["challengeResult"]:
        response["issueTokens"] = True
    elif len([item for item in session if item["challengeName"] == "CUSTOM_CHALLENGE"]) >= 3:
        response["failAuthentication"] = True
    else:
        response["challengeName"] = "CUSTOM_CHALLENGE"
    return event


def create(event, context):
    SEEN.append(event)
    attempt = len(
        [item for item in event["request"]["session"] if item["challengeName"] == "CUSTOM_CHALLENGE"]
    )
    event["response"] = {
        "publicChallengeParameters": {"hint": "the code we sent", "attempt": str(attempt + 1)},
        "privateChallengeParameters": {"answer": code_for(attempt)},
        "challengeMetadata": f"OTP-{attempt + 1}",
    }
    return event


def verify(event, context):
    SEEN.append(event)
    expected = event["request"]["privateChallengeParameters"]["answer"]
    event["response"]["answerCorrect"] = event["request"]["challengeAnswer"] == expected
    return event
