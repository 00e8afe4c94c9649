"use strict";
// Identity pools through @aws-sdk/client-cognito-identity (GetId, GetCredentialsForIdentity; signed with the
// dummy env credentials and unsigned, as browsers send them) and through the fromCognitoIdentityPool
// credential provider. With `user`, first signs in with amazon-cognito-identity-js (SRP) and passes the ID
// token in Logins under cognito-idp.<region>.amazonaws.com/<poolId>.
const {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} = require("@aws-sdk/client-cognito-identity");
const { fromCognitoIdentityPool } = require("@aws-sdk/credential-provider-cognito-identity");
const { run, describeError } = require("./lib");
const cj = require("./cognito_js");

function describeCredentials(response) {
  const c = response.Credentials;
  return {
    identityId: response.IdentityId,
    accessKeyId: c.AccessKeyId,
    hasSecretKey: Boolean(c.SecretKey),
    hasSessionToken: Boolean(c.SessionToken),
    expiration: c.Expiration instanceof Date ? c.Expiration.toISOString() : String(c.Expiration),
    expiresInSeconds: c.Expiration instanceof Date ? Math.round((c.Expiration.getTime() - Date.now()) / 1000) : null,
  };
}

run(async ({ endpoint, region, identityPoolId, accountId, user }) => {
  const steps = {};
  const out = { steps, failedStep: null, error: null, now: new Date().toISOString() };
  // Run one step; record summarize(result) (or the result itself) under its name and return the result.
  async function step(name, fn, summarize) {
    try {
      const result = await fn();
      steps[name] = (summarize ? summarize(result) : result) ?? true;
      return result;
    } catch (err) {
      out.failedStep = name;
      out.error = describeError(err);
      throw err;
    }
  }

  const signed = new CognitoIdentityClient({ endpoint, region, maxAttempts: 1 });
  // Browsers call GetId/GetCredentialsForIdentity without credentials: strip the signature after signing.
  const unsigned = new CognitoIdentityClient({ endpoint, region, maxAttempts: 1 });
  const sentHeaders = [];
  unsigned.middlewareStack.addRelativeTo(
    (next) => async (args) => {
      for (const name of Object.keys(args.request.headers)) {
        if (/^(authorization|x-amz-date|x-amz-security-token|x-amz-content-sha256)$/i.test(name)) {
          delete args.request.headers[name];
        }
      }
      sentHeaders.push(Object.keys(args.request.headers).map((h) => h.toLowerCase()).sort());
      return next(args);
    },
    { relation: "after", toMiddleware: "httpSigningMiddleware", name: "stripSignature" },
  );
  out.unsignedHeaders = sentHeaders;

  try {
    let logins;
    if (user) {
      const pool = cj.userPool({ endpoint, poolId: user.poolId, clientId: user.clientId });
      const session = await step(
        "authenticateUser",
        () => cj.authenticate(cj.user(pool, user.username), user.username, user.password),
        (s) => ({ valid: s.isValid(), sub: s.getIdToken().decodePayload().sub }),
      );
      logins = { [`cognito-idp.${region}.amazonaws.com/${user.poolId}`]: session.getIdToken().getJwtToken() };
    }

    const first = await step("getIdSigned", async () => {
      const r = await signed.send(new GetIdCommand({ IdentityPoolId: identityPoolId, AccountId: accountId, Logins: logins }));
      return { identityId: r.IdentityId };
    });
    const second = await step("getIdUnsigned", async () => {
      const r = await unsigned.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }));
      return { identityId: r.IdentityId };
    });
    await step("credentialsSigned", async () =>
      describeCredentials(
        await signed.send(new GetCredentialsForIdentityCommand({ IdentityId: first.identityId, Logins: logins })),
      ),
    );
    await step("credentialsUnsigned", async () =>
      describeCredentials(
        await unsigned.send(new GetCredentialsForIdentityCommand({ IdentityId: second.identityId, Logins: logins })),
      ),
    );
    await step("fromCognitoIdentityPool", async () => {
      const provider = fromCognitoIdentityPool({
        identityPoolId,
        accountId,
        logins,
        clientConfig: { endpoint, region, maxAttempts: 1 },
      });
      const c = await provider();
      return {
        identityId: c.identityId || null,
        accessKeyId: c.accessKeyId,
        hasSecretKey: Boolean(c.secretAccessKey),
        hasSessionToken: Boolean(c.sessionToken),
        expiresInSeconds: c.expiration ? Math.round((c.expiration.getTime() - Date.now()) / 1000) : null,
      };
    });
  } catch (err) {
    if (out.failedStep === null) {
      out.failedStep = "(script)";
      out.error = describeError(err);
      out.stack = String(err && err.stack);
    }
  }
  return out;
});
