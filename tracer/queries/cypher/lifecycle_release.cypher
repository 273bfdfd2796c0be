// Release one person from one finding (RELEASES edge; idempotent: an existing release is kept
// unchanged and returned with created = false).
// Parameters: $finding_id, $id_type, $id_number, $at (DateTime), $actor, $reason, $document (or null).
MATCH (f:Finding {finding_id: $finding_id})
OPTIONAL MATCH (p:Person {id_type: $id_type, id_number: $id_number})
OPTIONAL CALL (f, p) {
  WITH f, p WHERE p IS NOT NULL
  OPTIONAL MATCH (f)-[old:RELEASES]->(p)
  WITH f, p, old IS NULL AS created
  MERGE (f)-[r:RELEASES]->(p)
  ON CREATE SET r.at = $at, r.actor = $actor, r.reason = $reason, r.document = $document
  RETURN r {.*} AS release, created
}
RETURN p IS NOT NULL AS person_found, p.name AS name, release, created
