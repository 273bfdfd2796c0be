// Upgrade: the version of the name-key backfill last completed on this database (recorded on the
// reference state node by upgrade_name_keys_done), or none.
// No parameters. Returns: version (int or null; no row without reference data).
MATCH (s:ReferenceState {state_id: 'reference'})
RETURN s.name_keys_version AS version
