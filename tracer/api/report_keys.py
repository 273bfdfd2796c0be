"""The server's report keys: a keyring of its own beside the audit log's (same code, another
file), so report keys rotate apart from the audit keys."""

from __future__ import annotations

from tracer.api.audit.keyring import AuditKeyring
from tracer.api.settings import ApiSettings

REPORT_KEYS_FILE = "report-keys.json"


def report_keyring(settings: ApiSettings) -> AuditKeyring:
    """The keyring that seals credit reports: ``<home>/report-keys.json`` (mode 0600)."""
    return AuditKeyring(settings.home.expanduser() / REPORT_KEYS_FILE)
