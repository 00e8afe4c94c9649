// A single-page app that signs in through the hosted login with the authorization code grant and PKCE
// (RFC 7636), exchanges the code at /oauth2/token with fetch (a cross-origin call: CORS), and signs out
// through /logout. window.APP_CONFIG: { authority, clientId, scope, acrValues (optional) }.
"use strict";

const config = window.APP_CONFIG;
const status = document.getElementById("status");
const result = document.getElementById("result");
const callbackUrl = `${location.origin}/callback`;
const signedOutUrl = `${location.origin}/signed-out`;

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

function claimsOf(jwt) {
  const payload = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(payload));
}

async function signIn() {
  const verifier = randomString();
  const state = randomString();
  sessionStorage.setItem("pkce", JSON.stringify({ verifier, state }));
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: callbackUrl,
    scope: config.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  if (config.acrValues) {
    query.set("acr_values", config.acrValues);
  }
  location.assign(`${config.authority}/oauth2/authorize?${query}`);
}

async function callback() {
  const params = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem("pkce") || "{}");
  if (params.get("error")) {
    status.textContent = `Error: ${params.get("error")}`;
    return;
  }
  if (!pending.state || params.get("state") !== pending.state) {
    status.textContent = "Error: state mismatch";
    return;
  }
  const response = await fetch(`${config.authority}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: config.clientId,
      code: params.get("code"),
      redirect_uri: callbackUrl,
      code_verifier: pending.verifier,
    }),
  });
  const body = await response.json();
  if (!response.ok) {
    status.textContent = `Error: ${body.error}`;
    return;
  }
  sessionStorage.removeItem("pkce");
  sessionStorage.setItem("tokens", JSON.stringify(body));
  result.textContent = JSON.stringify({ id: claimsOf(body.id_token), access: claimsOf(body.access_token) });
  status.textContent = `Signed in as ${claimsOf(body.id_token)["cognito:username"]}`;
  document.getElementById("signOut").hidden = false;
}

function signOut() {
  sessionStorage.removeItem("tokens");
  const query = new URLSearchParams({ client_id: config.clientId, logout_uri: signedOutUrl });
  location.assign(`${config.authority}/logout?${query}`);
}

document.getElementById("signIn").addEventListener("click", signIn);
document.getElementById("signOut").addEventListener("click", signOut);

if (location.pathname === "/callback") {
  callback().catch((error) => { status.textContent = `Error: ${error}`; });
} else {
  status.textContent = location.pathname === "/signed-out" ? "Signed out" : "Not signed in";
  document.getElementById("signIn").hidden = false;
}
