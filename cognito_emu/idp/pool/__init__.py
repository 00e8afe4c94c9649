"""The user pool's configuration: settings, schema, app clients and their authentication, domains,
resource servers, identity providers, branding, terms, session configuration, limits and tags."""
