"use strict";
// Proves the install + run path: @aws-sdk/client-cognito-identity-provider lists the emulator's pools.
const { CognitoIdentityProviderClient, ListUserPoolsCommand } = require("@aws-sdk/client-cognito-identity-provider");
const { run } = require("./lib");

run(async ({ endpoint, region }) => {
  const client = new CognitoIdentityProviderClient({ endpoint, region, maxAttempts: 1 });
  const out = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  return {
    node: process.version,
    pools: out.UserPools.map((p) => ({ id: p.Id, name: p.Name })),
  };
});
