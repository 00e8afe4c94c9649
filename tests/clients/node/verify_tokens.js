"use strict";
// aws-jwt-verify against the emulator's JWKS. CognitoJwtVerifier hard-codes the AWS issuer, so the generic
// JwtRsaVerifier is used with iss = <endpoint>/<poolId>. Its built-in fetcher speaks HTTPS only; a local
// http:// endpoint needs a fetcher built on global fetch, passed through a SimpleJwksCache.
const { JwtRsaVerifier } = require("aws-jwt-verify");
const { SimpleJwksCache } = require("aws-jwt-verify/jwk");

const httpFetcher = {
  async fetch(uri) {
    const response = await fetch(uri);
    if (response.status !== 200) throw new Error(`GET ${uri}: status ${response.status}`);
    return response.arrayBuffer();
  },
};

function verifiers({ endpoint, poolId, clientId }) {
  const issuer = `${endpoint.replace(/\/$/, "")}/${poolId}`;
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const jwksCache = new SimpleJwksCache({ fetcher: httpFetcher });
  const id = JwtRsaVerifier.create(
    {
      issuer,
      audience: clientId,
      jwksUri,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== "id") throw new Error(`token_use is ${payload.token_use}, expected id`);
      },
    },
    { jwksCache },
  );
  const access = JwtRsaVerifier.create(
    {
      issuer,
      audience: null, // access tokens carry client_id, not aud
      jwksUri,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== "access") throw new Error(`token_use is ${payload.token_use}, expected access`);
        if (payload.client_id !== clientId) throw new Error(`client_id is ${payload.client_id}`);
      },
    },
    { jwksCache },
  );
  return { issuer, jwksUri, id, access };
}

module.exports = { verifiers, httpFetcher };
