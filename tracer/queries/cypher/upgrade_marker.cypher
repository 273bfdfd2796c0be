// Upgrade: the version of a backfill last completed on this database (a property of the reference
// state node, recorded by upgrade_mark), or none.
// Parameters: $marker (property name, e.g. 'name_keys_version'). Returns: version (int or null;
// no row without reference data).
MATCH (s:ReferenceState {state_id: 'reference'})
RETURN s[$marker] AS version
