// Which of the given department codes already exist as Department nodes (bulk reference check).
// Parameters: $keys (list of codes). Returns: key. At most one row per key.
UNWIND $keys AS key
MATCH (d:Department {code: key})
RETURN d.code AS key
