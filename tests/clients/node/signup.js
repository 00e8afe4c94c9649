"use strict";
// amazon-cognito-identity-js signUp; the test reads the confirmation code from the emulator's outbox.
const { run, describeError } = require("./lib");
const cj = require("./cognito_js");

run(async ({ endpoint, poolId, clientId, username, password, attributes }) => {
  const pool = cj.userPool({ endpoint, poolId, clientId });
  try {
    const result = await cj.signUp(pool, username, password, attributes);
    return {
      userConfirmed: result.userConfirmed,
      userSub: result.userSub,
      username: result.user.getUsername(),
      codeDeliveryDetails: result.codeDeliveryDetails || null,
    };
  } catch (err) {
    return { error: describeError(err) };
  }
});
