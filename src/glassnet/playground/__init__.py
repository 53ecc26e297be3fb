"""The browser playground: a local HTTP server (``server``) for one static page (``static/``),
the settings a run takes (``settings``), its data (``data``), the runs (``session``) and the
formula panel's text (``formula``)."""
