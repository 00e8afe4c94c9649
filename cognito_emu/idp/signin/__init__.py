"""Sign-in: InitiateAuth / AdminInitiateAuth flows and RespondToAuthChallenge answers, the lockout and the
auth events (threat protection) a sign-in records.

The modules form floors and import only downwards (DESIGN.md, "Sign-in: one direction of calls"):

    flows, challenges            the AuthFlow and ChallengeName tables, on top
    user_auth, custom_auth,      flows and answerers: they judge an answer, then call the tail
    mfa_answers, device_answers,
    passkey, new_password
    password                     the password first factor every flow shares (and the hosted login)
    finish                       the shared tail: after a right password, a challenge or tokens
    mfa_challenge,               starters: they open a challenge and sit below the tail
    device_challenge, sessions
    context                      AuthContext, Cognito's wording, the user lookup, PreAuthentication
    result                       the typed step result (a Challenge, or Authenticated)
"""
