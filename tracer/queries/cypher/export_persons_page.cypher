// Export: a page of all persons in key order after $after (id_type + ':' + id_number).
// Parameters: $after (string), $limit (int). Returns: key, id_type, id_number, props.
MATCH (p:Person)
WITH p, p.id_type + ':' + p.id_number AS key
WHERE key > $after
RETURN key, p.id_type AS id_type, p.id_number AS id_number, properties(p) AS props
ORDER BY key
LIMIT $limit
