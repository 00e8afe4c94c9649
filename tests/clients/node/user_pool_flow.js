"use strict";
// The whole amazon-cognito-identity-js life cycle of a signed-up user, in order:
// confirmRegistration -> authenticateUser (SRP) -> aws-jwt-verify -> refreshSession -> getUserAttributes
// -> changePassword -> globalSignOut (old access token rejected) -> sign in with the new password
// -> signOut (revokes the refresh token) -> refresh with the revoked token fails.
// Every step is recorded in `steps`; the first failing step stops the run and is named in `failedStep`.
const { CognitoIdentityProviderClient, GetUserCommand } = require("@aws-sdk/client-cognito-identity-provider");
const { run, describeError } = require("./lib");
const cj = require("./cognito_js");
const { verifiers } = require("./verify_tokens");

run(async (p) => {
  const { endpoint, region, poolId, clientId, username, password, newPassword, code } = p;
  const pool = cj.userPool({ endpoint, poolId, clientId });
  // The library retries a failed refresh (InitiateAuth) with jittered backoff for ~6 s before giving up;
  // the checks that expect a refresh to fail use a pool whose client does not retry.
  const noRetryPool = cj.userPool({ endpoint, poolId, clientId });
  noRetryPool.client.requestWithRetry = noRetryPool.client.request.bind(noRetryPool.client);
  const sdk = new CognitoIdentityProviderClient({ endpoint, region, maxAttempts: 1 });
  const verify = verifiers({ endpoint, poolId, clientId });
  const steps = {};
  const timings = {}; // milliseconds per step
  const out = { steps, timings, failedStep: null, error: null };

  // Run one step; record summarize(result) (or the result itself) under its name and return the result.
  async function step(name, fn, summarize) {
    const started = Date.now();
    try {
      const result = await fn();
      timings[name] = Date.now() - started;
      steps[name] = (summarize ? summarize(result) : result) ?? true;
      return result;
    } catch (err) {
      out.failedStep = name;
      out.error = describeError(err);
      throw err;
    }
  }
  async function expectFailure(fn) {
    try {
      await fn();
    } catch (err) {
      return describeError(err);
    }
    throw new Error("expected an error, the call succeeded");
  }

  try {
    const user = cj.user(pool, username);
    await step("confirmRegistration", () => cj.confirmRegistration(user, code));

    const session = await step(
      "authenticateUser",
      () => cj.authenticate(user, username, password),
      (s) => ({
        valid: s.isValid(),
        idToken: s.getIdToken().decodePayload(),
        accessToken: s.getAccessToken().decodePayload(),
        hasRefreshToken: Boolean(s.getRefreshToken().getToken()),
      }),
    );

    await step("verifyIdToken", () => verify.id.verify(session.getIdToken().getJwtToken()));
    await step("verifyAccessToken", () => verify.access.verify(session.getAccessToken().getJwtToken()));
    await step("jwks", async () => {
      const response = await fetch(verify.jwksUri);
      const body = await response.json();
      return { status: response.status, contentType: response.headers.get("content-type"), kids: body.keys.map((k) => k.kid) };
    });

    const refreshed = await step(
      "refreshSession",
      () => cj.refreshSession(user, session.getRefreshToken()),
      (s) => ({
        valid: s.isValid(),
        newAccessToken: s.getAccessToken().getJwtToken() !== session.getAccessToken().getJwtToken(),
        sameRefreshToken: s.getRefreshToken().getToken() === session.getRefreshToken().getToken(),
        idToken: s.getIdToken().decodePayload(),
        accessToken: s.getAccessToken().decodePayload(),
      }),
    );
    await step("verifyRefreshedIdToken", () => verify.id.verify(refreshed.getIdToken().getJwtToken()));
    await step("verifyRefreshedAccessToken", () => verify.access.verify(refreshed.getAccessToken().getJwtToken()));

    await step("getUserAttributes", () => cj.getUserAttributes(user));
    await step("changePassword", () => cj.changePassword(user, password, newPassword));

    const accessBeforeSignOut = refreshed.getAccessToken().getJwtToken();
    await step("globalSignOut", () => cj.globalSignOut(user));
    await step("getUserAfterGlobalSignOut", () =>
      expectFailure(() => sdk.send(new GetUserCommand({ AccessToken: accessBeforeSignOut }))),
    );
    await step("refreshAfterGlobalSignOut", () =>
      expectFailure(() => cj.refreshSession(cj.user(noRetryPool, username), refreshed.getRefreshToken())),
    );

    await step("oldPasswordRejected", () =>
      expectFailure(() => cj.authenticate(cj.user(pool, username), username, password)),
    );
    const again = cj.user(pool, username);
    const second = await step(
      "authenticateWithNewPassword",
      () => cj.authenticate(again, username, newPassword),
      (s) => ({ valid: s.isValid(), originJti: s.getAccessToken().decodePayload().origin_jti || null }),
    );

    await step("signOut", () => cj.signOut(again));
    await step("refreshAfterSignOut", () =>
      expectFailure(() => cj.refreshSession(cj.user(noRetryPool, username), second.getRefreshToken())),
    );
  } catch (err) {
    if (out.failedStep === null) {
      out.failedStep = "(script)";
      out.error = describeError(err);
      out.stack = String(err && err.stack);
    }
  }
  return out;
});
