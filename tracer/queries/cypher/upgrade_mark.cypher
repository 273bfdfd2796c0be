// Upgrade: record that every person and enterprise name has its pinyin search keys, so that later
// loads skip the scan (every current writer of a name writes its keys).
// Parameters: $version (int). Returns: marked (0 without reference data).
MATCH (s:ReferenceState {state_id: 'reference'})
SET s.name_keys_version = $version
RETURN count(s) AS marked
