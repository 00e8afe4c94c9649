// Amplify JS v6 (aws-amplify) in a page, bundled by esbuild (tests/browser/bundles.py): window.amplifyApp
// runs the Auth calls a web app makes and answers plain JSON for the test. window.APP_CONFIG:
// { userPoolId, userPoolClientId, identityPoolId, userPoolEndpoint }.
import { Amplify } from "aws-amplify";
import {
  confirmSignUp,
  fetchAuthSession,
  getCurrentUser,
  signIn,
  signOut,
  signUp,
} from "aws-amplify/auth";

const config = window.APP_CONFIG;
Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: config.userPoolId,
      userPoolClientId: config.userPoolClientId,
      identityPoolId: config.identityPoolId,
      userPoolEndpoint: config.userPoolEndpoint,
      loginWith: { username: true, email: true },
      signUpVerificationMethod: "code",
    },
  },
});

function failure(error) {
  return { error: { name: error.name, message: error.message } };
}

async function answer(action) {
  try {
    return await action();
  } catch (error) {
    return failure(error);
  }
}

window.amplifyApp = {
  signUp: (username, password, email) =>
    answer(async () => {
      const result = await signUp({ username, password, options: { userAttributes: { email } } });
      return { isSignUpComplete: result.isSignUpComplete, nextStep: result.nextStep.signUpStep };
    }),
  confirmSignUp: (username, confirmationCode) =>
    answer(async () => {
      const result = await confirmSignUp({ username, confirmationCode });
      return { isSignUpComplete: result.isSignUpComplete, nextStep: result.nextStep.signUpStep };
    }),
  signIn: (username, password) =>
    answer(async () => {
      const result = await signIn({ username, password });
      return { isSignedIn: result.isSignedIn, nextStep: result.nextStep.signInStep };
    }),
  currentUser: () => answer(async () => ({ ...(await getCurrentUser()) })),
  session: () =>
    answer(async () => {
      const session = await fetchAuthSession();
      const credentials = session.credentials;
      return {
        identityId: session.identityId,
        idTokenUsername: session.tokens?.idToken?.payload["cognito:username"] ?? null,
        accessKeyId: credentials?.accessKeyId ?? null,
        hasSecretKey: Boolean(credentials?.secretAccessKey),
        hasSessionToken: Boolean(credentials?.sessionToken),
        expiration: credentials?.expiration ? credentials.expiration.toISOString() : null,
      };
    }),
  signOut: (global) => answer(async () => { await signOut({ global }); return { signedOut: true }; }),
};
