"""Identity pools (the cognito-identity service): pools, identities, logins, credentials, role mapping,
and the OpenID tokens the identity service signs. No HTTP in here."""
