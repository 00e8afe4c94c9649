"use strict";
// One amazon-cognito-identity-js authenticateUser (USER_SRP_AUTH): the token claims, or the error.
const { run, describeError } = require("./lib");
const cj = require("./cognito_js");

run(async ({ endpoint, poolId, clientId, username, password }) => {
  const pool = cj.userPool({ endpoint, poolId, clientId });
  try {
    const session = await cj.authenticate(cj.user(pool, username), username, password);
    return {
      valid: session.isValid(),
      idToken: session.getIdToken().decodePayload(),
      accessToken: session.getAccessToken().decodePayload(),
    };
  } catch (err) {
    return { error: describeError(err) };
  }
});
