"""The browser playground: a local HTTP server, its settings and sessions, and one static
page (``static/``)."""
