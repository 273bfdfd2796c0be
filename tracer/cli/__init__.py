"""The ``tracer`` command line, on top of every other layer."""
