"""The browser playground: a local HTTP server (``server``) for one static page (``static/``,
with its options: ``page``), the settings a run takes (``settings``), its data (``data``),
the runs (``session``), the sessions and uploads kept between requests (``store``), the
model file a page downloads (``export``) and the formula panel's text (``formula``)."""
