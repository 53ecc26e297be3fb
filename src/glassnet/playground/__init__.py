"""The browser playground: a local HTTP server (``server``, its HTTP in ``handler``) for one
static page (``static/``, with its options: ``page``), the settings a run takes
(``settings``), its data (``data``) and uploaded CSV files (``uploads``), the runs
(``session``), their decision and neuron maps (``maps``), perceptron mode (``perceptron``),
a run rebuilt to the last digit (``journal``), the classroom lessons (``lessons``), the
sessions and uploads kept between requests (``store``), the model file a page downloads
(``export``) and the formula panel's text (``formula``)."""
