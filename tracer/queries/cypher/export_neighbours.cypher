// Export: one step of a subject's network through OWNS and HOLDS (either direction) from the
// enterprises $usccs and the persons $keys.
// Parameters: $usccs (list of USCC), $keys (list of {id_type, id_number}), $limit (int).
// Returns: uscc (an enterprise) or id_type + id_number (a person).
CALL (*) {
  UNWIND $usccs AS uscc
  MATCH (:Enterprise {uscc: uscc})-[:OWNS|HOLDS]-(y)
  RETURN y
  UNION
  UNWIND $keys AS key
  MATCH (:Person {id_type: key.id_type, id_number: key.id_number})-[:OWNS|HOLDS]-(y)
  RETURN y
}
WITH DISTINCT y WHERE y:Enterprise OR y:Person
RETURN y.uscc AS uscc, y.id_type AS id_type, y.id_number AS id_number
LIMIT $limit
