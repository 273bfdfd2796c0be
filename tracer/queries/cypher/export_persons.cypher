// Export: persons by key ($keys: list of {id_type, id_number}), each once.
// Parameters: $keys. Returns: id_type, id_number, props.
UNWIND $keys AS key
MATCH (p:Person {id_type: key.id_type, id_number: key.id_number})
RETURN DISTINCT p.id_type AS id_type, p.id_number AS id_number, properties(p) AS props
