// Passkeys as a web app uses them with the user pool API called from the page (CORS): a password sign-in,
// StartWebAuthnRegistration, navigator.credentials.create, CompleteWebAuthnRegistration; then USER_AUTH
// with PREFERRED_CHALLENGE WEB_AUTHN, navigator.credentials.get, and the WEB_AUTHN answer.
// window.APP_CONFIG: { endpoint, clientId }.
"use strict";

const config = window.APP_CONFIG;
const status = document.getElementById("status");
const result = document.getElementById("result");
const field = (id) => document.getElementById(id).value;

async function call(operation, body) {
  const response = await fetch(config.endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) {
    throw new Error(`${answer.__type}: ${answer.message}`);
  }
  return answer;
}

async function register() {
  const signedIn = await call("InitiateAuth", {
    AuthFlow: "USER_PASSWORD_AUTH",
    ClientId: config.clientId,
    AuthParameters: { USERNAME: field("username"), PASSWORD: field("password") },
  });
  const token = signedIn.AuthenticationResult.AccessToken;
  const started = await call("StartWebAuthnRegistration", { AccessToken: token });
  const credential = await navigator.credentials.create({
    publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(started.CredentialCreationOptions),
  });
  await call("CompleteWebAuthnRegistration", { AccessToken: token, Credential: credential.toJSON() });
  const listed = await call("ListWebAuthnCredentials", { AccessToken: token });
  result.textContent = JSON.stringify(listed.Credentials);
  status.textContent = "Passkey registered";
}

async function signIn() {
  const username = field("username");
  const started = await call("InitiateAuth", {
    AuthFlow: "USER_AUTH",
    ClientId: config.clientId,
    AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: "WEB_AUTHN" },
  });
  const options = JSON.parse(started.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS);
  const assertion = await navigator.credentials.get({
    publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
  });
  const answered = await call("RespondToAuthChallenge", {
    ClientId: config.clientId,
    ChallengeName: "WEB_AUTHN",
    Session: started.Session,
    ChallengeResponses: { USERNAME: username, CREDENTIAL: JSON.stringify(assertion.toJSON()) },
  });
  const claims = JSON.parse(atob(answered.AuthenticationResult.IdToken.split(".")[1]
    .replace(/-/g, "+").replace(/_/g, "/")));
  status.textContent = `Signed in as ${claims["cognito:username"]}`;
}

function reporting(action) {
  return () => action().catch((error) => { status.textContent = `Error: ${error.message}`; });
}

document.getElementById("register").addEventListener("click", reporting(register));
document.getElementById("signIn").addEventListener("click", reporting(signIn));
