// amazon-cognito-identity-js in a page, bundled by esbuild (tests/browser/bundles.py): window.cognitoApp
// signs up, confirms, signs in with SRP, reads the session and signs out as a web app does, answering plain
// JSON for the test. window.APP_CONFIG: { userPoolId, clientId, endpoint }.
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
} from "amazon-cognito-identity-js";

const config = window.APP_CONFIG;
const pool = new CognitoUserPool({
  UserPoolId: config.userPoolId,
  ClientId: config.clientId,
  endpoint: config.endpoint,
});

function settle(executor) {
  return new Promise(executor).catch((error) => ({ error: { code: error.code, message: error.message } }));
}

function userOf(username) {
  return new CognitoUser({ Username: username, Pool: pool });
}

window.cognitoApp = {
  signUp: (username, password, email) =>
    settle((resolve, reject) => {
      const attributes = [new CognitoUserAttribute({ Name: "email", Value: email })];
      pool.signUp(username, password, attributes, null, (error, result) =>
        error ? reject(error) : resolve({ confirmed: result.userConfirmed, sub: result.userSub }));
    }),
  confirm: (username, code) =>
    settle((resolve, reject) => {
      userOf(username).confirmRegistration(code, true, (error, result) =>
        error ? reject(error) : resolve({ result }));
    }),
  signIn: (username, password) =>
    settle((resolve, reject) => {
      userOf(username).authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
        onSuccess: (session) => resolve({ username: session.getIdToken().payload["cognito:username"] }),
        onFailure: reject,
      });
    }),
  session: () =>
    settle((resolve, reject) => {
      const user = pool.getCurrentUser();
      if (user === null) {
        resolve({ signedIn: false });
        return;
      }
      user.getSession((error, session) =>
        error ? reject(error) : resolve({ signedIn: session.isValid(), username: user.getUsername() }));
    }),
  signOut: () =>
    settle((resolve) => {
      pool.getCurrentUser().signOut(() => resolve({ signedOut: true }));
    }),
};
