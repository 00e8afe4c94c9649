"""HTTP: the WSGI application, the AWS JSON endpoint, the control API and CORS."""
