"""OAuth 2.0 / OIDC endpoints of a user pool domain and a minimal hosted login (no Werkzeug in here).

``cognito_emu.web.oauth_routes`` turns HTTP requests into ``wire.OAuthRequest`` and ``wire.Reply`` back
into responses; each endpoint is one module: authorize, login, logout, token, userinfo, revoke.
"""
