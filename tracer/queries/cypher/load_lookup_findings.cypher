// Which of the given finding ids already exist as Finding nodes (bulk reference check).
// Parameters: $keys (list of finding ids). Returns: key. At most one row per key.
UNWIND $keys AS key
MATCH (f:Finding {finding_id: key})
RETURN f.finding_id AS key
