// Which of the given USCCs already exist as Enterprise nodes (bulk reference check of the loader).
// Parameters: $keys (list of USCC strings). Returns: key. At most one row per key.
UNWIND $keys AS key
MATCH (e:Enterprise {uscc: key})
RETURN e.uscc AS key
