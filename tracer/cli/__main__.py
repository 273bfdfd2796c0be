"""``python -m tracer.cli`` runs the command line."""

from tracer.cli.main import app

app()
