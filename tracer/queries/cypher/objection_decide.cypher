// Record the decision of an open objection (it stays, DECIDED, with its outcome) and link the
// transition that carried it out, if any. No row when the objection was no longer open.
// Parameters: $objection_id, $decision (map: status, outcome, decided_on, decided_by,
// decided_at, decision_reason, decision_document, release_wrongful), $transition_id (or null).
MATCH (o:Objection {objection_id: $objection_id})
SET o.decision_lock = true
REMOVE o.decision_lock
WITH o
WHERE o.status = 'OPEN'
SET o += $decision
WITH o
OPTIONAL MATCH (t:Transition {transition_id: $transition_id})
CALL (o, t) {
  WITH o, t WHERE t IS NOT NULL
  CREATE (o)-[:DECIDED_WITH]->(t)
}
RETURN o.objection_id AS objection_id
