"use strict";
// Amplify JS v6 (aws-amplify) in Node: signUp, confirmSignUp (the code comes from the emulator's outbox),
// signIn (USER_SRP_AUTH), fetchAuthSession with identity-pool credentials, signOut. Amplify takes
// userPoolEndpoint but has no setting for the identity pool's endpoint, so the fetch it uses sends
// https://cognito-identity.<region>.amazonaws.com/ to the emulator (the README's recipe).
const { Amplify } = require("aws-amplify");
const auth = require("aws-amplify/auth");
const { run } = require("./lib");

const IDENTITY_HOST = /^https:\/\/cognito-identity\.[a-z0-9-]+\.amazonaws\.com\//;

function routeIdentityPools(endpoint) {
  const original = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (IDENTITY_HOST.test(url)) {
      return original(url.replace(IDENTITY_HOST, `${endpoint}/`), init);
    }
    return original(input, init);
  };
}

async function outboxCode(endpoint, username) {
  const response = await fetch(`${endpoint}/_emu/outbox/last?withCode=true&username=${encodeURIComponent(username)}`);
  return (await response.json()).code;
}

run(async ({ endpoint, userPoolId, clientId, identityPoolId, username, password, email }) => {
  routeIdentityPools(endpoint);
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId,
        userPoolClientId: clientId,
        identityPoolId,
        userPoolEndpoint: endpoint,
        loginWith: { username: true, email: true },
      },
    },
  });
  const signedUp = await auth.signUp({ username, password, options: { userAttributes: { email } } });
  const code = await outboxCode(endpoint, username);
  const confirmed = await auth.confirmSignUp({ username, confirmationCode: code });
  const signedIn = await auth.signIn({ username, password });
  const user = await auth.getCurrentUser();
  const session = await auth.fetchAuthSession();
  const again = await auth.fetchAuthSession({ forceRefresh: true });
  await auth.signOut({ global: true });
  let afterSignOut = null;
  try {
    await auth.getCurrentUser();
  } catch (error) {
    afterSignOut = error.name;
  }
  return {
    signUpStep: signedUp.nextStep.signUpStep,
    confirmed: confirmed.isSignUpComplete,
    signInStep: signedIn.nextStep.signInStep,
    username: user.username,
    idTokenUsername: session.tokens.idToken.payload["cognito:username"],
    identityId: session.identityId,
    refreshedIdentityId: again.identityId,
    accessKeyId: session.credentials.accessKeyId,
    hasSessionToken: Boolean(session.credentials.sessionToken),
    accessToken: session.tokens.accessToken.toString(),
    afterSignOut,
  };
});
