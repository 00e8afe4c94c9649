"use strict";
// Promise wrappers around amazon-cognito-identity-js's callback API, bound to an emulator endpoint.
const {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
} = require("amazon-cognito-identity-js");

// The library posts to https://cognito-idp.<region>.amazonaws.com/ unless given `endpoint`.
function userPool({ endpoint, poolId, clientId }) {
  return new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: endpoint.replace(/\/?$/, "/") });
}

function user(pool, username) {
  return new CognitoUser({ Username: username, Pool: pool });
}

function signUp(pool, username, password, attributes) {
  const list = Object.entries(attributes || {}).map(([Name, Value]) => new CognitoUserAttribute({ Name, Value }));
  return new Promise((resolve, reject) =>
    pool.signUp(username, password, list, null, (err, result) => (err ? reject(err) : resolve(result))),
  );
}

function nodeCallback(resolve, reject) {
  return (err, result) => (err ? reject(err) : resolve(result));
}

function confirmRegistration(cognitoUser, code) {
  return new Promise((resolve, reject) => cognitoUser.confirmRegistration(code, true, nodeCallback(resolve, reject)));
}

// USER_SRP_AUTH (the library's default flow). Any challenge other than success is reported as an error.
function authenticate(cognitoUser, username, password) {
  const details = new AuthenticationDetails({ Username: username, Password: password });
  return new Promise((resolve, reject) =>
    cognitoUser.authenticateUser(details, {
      onSuccess: (session) => resolve(session),
      onFailure: (err) => reject(err),
      newPasswordRequired: () => reject(Object.assign(new Error("NEW_PASSWORD_REQUIRED"), { code: "Challenge" })),
      mfaRequired: () => reject(Object.assign(new Error("SMS_MFA"), { code: "Challenge" })),
      totpRequired: () => reject(Object.assign(new Error("SOFTWARE_TOKEN_MFA"), { code: "Challenge" })),
      customChallenge: () => reject(Object.assign(new Error("CUSTOM_CHALLENGE"), { code: "Challenge" })),
      mfaSetup: () => reject(Object.assign(new Error("MFA_SETUP"), { code: "Challenge" })),
      selectMFAType: () => reject(Object.assign(new Error("SELECT_MFA_TYPE"), { code: "Challenge" })),
    }),
  );
}

function refreshSession(cognitoUser, refreshToken) {
  return new Promise((resolve, reject) => cognitoUser.refreshSession(refreshToken, nodeCallback(resolve, reject)));
}

function getUserAttributes(cognitoUser) {
  return new Promise((resolve, reject) =>
    cognitoUser.getUserAttributes((err, attrs) =>
      err ? reject(err) : resolve(Object.fromEntries(attrs.map((a) => [a.getName(), a.getValue()]))),
    ),
  );
}

function changePassword(cognitoUser, oldPassword, newPassword) {
  return new Promise((resolve, reject) =>
    cognitoUser.changePassword(oldPassword, newPassword, nodeCallback(resolve, reject)),
  );
}

function globalSignOut(cognitoUser) {
  return new Promise((resolve, reject) =>
    cognitoUser.globalSignOut({ onSuccess: (msg) => resolve(msg), onFailure: (err) => reject(err) }),
  );
}

// signOut(callback) revokes the refresh token (RevokeToken) when the access token carries origin_jti.
function signOut(cognitoUser) {
  return new Promise((resolve, reject) => cognitoUser.signOut((err) => (err ? reject(err) : resolve("SUCCESS"))));
}

module.exports = {
  userPool,
  user,
  signUp,
  confirmRegistration,
  authenticate,
  refreshSession,
  getUserAttributes,
  changePassword,
  globalSignOut,
  signOut,
};
