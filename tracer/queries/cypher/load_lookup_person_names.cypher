// Stored names of the given persons, for the loader's identity check (bulk).
// Parameters: $keys (list of {id_type, id_number}). Returns: id_type, id_number, name, names
// (every name the person's recorded NameChange nodes hold). At most one row per key.
UNWIND $keys AS key
MATCH (p:Person {id_type: key.id_type, id_number: key.id_number})
OPTIONAL MATCH (p)-[:NAME_CHANGED]->(c:NameChange)
RETURN p.id_type AS id_type, p.id_number AS id_number, p.name AS name,
       collect(c.name) + collect(c.former_name) AS names
