// The element id and display fields of subjects: an enterprise by USCC, a person by (id_type,
// id_number); a key of one kind leaves the other's fields null.
// Rows: i (the key's position in the list), node ({element_id, labels, props}, or null when the
// key is not in the graph).
// Parameters: $subjects ({keys: list of {uscc, id_type, id_number}, bounded by the caller}: a
// map, so that one plan serves either kind and any number of keys — Neo4j plans a list, and a
// null, parameter anew per size bucket and type).
UNWIND range(0, size($subjects.keys) - 1) AS i
WITH i, $subjects.keys[i] AS key
OPTIONAL MATCH (e:Enterprise {uscc: key.uscc})
OPTIONAL MATCH (p:Person {id_type: key.id_type, id_number: key.id_number})
WITH i, coalesce(e, p) AS n
RETURN i,
       CASE WHEN n IS NOT NULL
         THEN {element_id: elementId(n), labels: labels(n), props: properties(n)}
       END AS node
