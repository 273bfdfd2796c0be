// Stored names of the given enterprises, for the loader's identity check (bulk).
// Parameters: $keys (list of USCC strings). Returns: key, name, names (every name the
// enterprise's recorded NameChange nodes hold). At most one row per key.
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})
OPTIONAL MATCH (e)-[:NAME_CHANGED]->(c:NameChange)
RETURN e.uscc AS key, e.name AS name, collect(c.name) + collect(c.former_name) AS names
