"""Seed files: load, validate and apply a declared starting state; export a state as a seed.

A seed is YAML or JSON (by file extension)::

    region: us-east-1              # optional; default: the emulator's region
    account: "123456789012"        # optional; default: the emulator's account
    signingKey: |                  # optional; a PEM private key that signs every pool's tokens of this seed
      -----BEGIN PRIVATE KEY-----
      ...
    userPools:
      - PoolName: app              # CreateUserPool's members, as the API takes them
        Id: us-east-1_Example1     # optional fixed id
        Policies: {PasswordPolicy: {MinimumLength: 8}}
        mfaConfig: {SoftwareTokenMfaConfiguration: {Enabled: true}}   # SetUserPoolMfaConfig's members
        clients:                   # CreateUserPoolClient's members, plus optional fixed ClientId
          - {ClientName: web, ClientId: webclient0001, ClientSecret: s3cret}
        groups: [{GroupName: admins, Precedence: 1}]                  # CreateGroup's members
        resourceServers: [{Identifier: api, Name: API, Scopes: [...]}]   # CreateResourceServer's
        identityProviders: [...]   # CreateIdentityProvider's members
        domain: my-app             # a prefix, or CreateUserPoolDomain's members, or a list of either
        signingKey: ...            # optional PEM keys of this pool: ID tokens (and the SAML certificate),
        accessSigningKey: ...      #   access tokens
        users:
          - Username: alice
            attributes: {email: alice@example.com, email_verified: "true"}   # or [{Name, Value}]
            password: Passw0rd!    # permanent; or temporaryPassword, or passwordHash (from an export)
            mfa: {totpSecret: JBSWY3DPEHPK3PXP, softwareToken: true, preferred: SOFTWARE_TOKEN_MFA}   # optional
            groups: [admins]
            status: CONFIRMED      # optional override; enabled: false disables the user
    identityPools:
      - IdentityPoolName: app      # CreateIdentityPool's members, plus optional fixed IdentityPoolId
        IdentityPoolId: us-east-1:00000000-0000-4000-8000-000000000000
        AllowUnauthenticatedIdentities: true
        CognitoIdentityProviders:
          - {ProviderName: "cognito-idp.us-east-1.amazonaws.com/${userPool:app}", ClientId: "${client:app/web}"}
        roles: {authenticated: arn:aws:iam::123456789012:role/auth}
        roleMappings: {}           # SetIdentityPoolRoles' RoleMappings

PascalCase keys are the API's members; lowercase keys are the seed's own. Everything is applied
through the same domain functions the API calls, so every default and rule applies; only fixed ids
(pool, client, sub, identity pool), exported password hashes and timestamps are written directly.
Errors raise ``SeedError`` naming the file, the path inside it and what is wrong.

Modules: ``files`` (YAML / JSON text), ``checks`` (``SeedError`` and the path-located checks),
``apply`` (all or nothing), ``applier`` (one application: defaults, names, triggers, counts), ``user_pools``, ``users``, ``identity_pools``,
``references`` (``${userPool:..}`` / ``${client:..}``), ``export`` (state -> seed).
"""

from cognito_emu.seed.apply import apply_seed, load_seed
from cognito_emu.seed.checks import SeedError
from cognito_emu.seed.export import export_seed
from cognito_emu.seed.files import dump_seed, parse_seed, read_seed

__all__ = ["SeedError", "apply_seed", "dump_seed", "export_seed", "load_seed", "parse_seed", "read_seed"]
