// Record an objection against a finding (and, when a person disputes their own role, the
// person): an append-only Objection node.
// Parameters: $finding_id, $objection (map of Objection properties), $id_type, $id_number
// (null: against the finding as a whole).
MATCH (f:Finding {finding_id: $finding_id})
CREATE (o:Objection)
SET o = $objection
CREATE (o)-[:AGAINST]->(f)
WITH o
OPTIONAL MATCH (p:Person {id_type: $id_type, id_number: $id_number})
CALL (o, p) {
  WITH o, p WHERE p IS NOT NULL
  CREATE (o)-[:DISPUTED_BY]->(p)
}
RETURN o.objection_id AS objection_id
