// Which of the given person keys already exist as Person nodes (bulk reference check).
// Parameters: $keys (list of {id_type, id_number}). Returns: id_type, id_number. At most one row per key.
UNWIND $keys AS key
MATCH (p:Person {id_type: key.id_type, id_number: key.id_number})
RETURN p.id_type AS id_type, p.id_number AS id_number
