// The element id and display fields of one subject: an enterprise by USCC, or a person by
// (id_type, id_number). Pass the keys of one kind and null for the other's.
// Parameters: $uscc (string or null), $id_type (string or null), $id_number (string or null).
OPTIONAL MATCH (e:Enterprise {uscc: $uscc})
OPTIONAL MATCH (p:Person {id_type: $id_type, id_number: $id_number})
WITH coalesce(e, p) AS n
WHERE n IS NOT NULL
RETURN elementId(n) AS element_id, labels(n) AS labels, properties(n) AS props
LIMIT 1
