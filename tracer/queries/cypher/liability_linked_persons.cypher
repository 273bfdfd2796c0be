// Persons linked to at least $min_findings distinct findings in force on $as_of as known at
// $known_at (a position or registration at the listed enterprise, being named, or being the
// listed person): the candidates to ask the liability engine about (whether a link makes them
// liable is its answer), most links first. A shareholding alone is no link: a rule may reach
// SHAREHOLDER only when the finding names the person (reference tables refuse it in `roles`),
// and the naming links them.
// Parameters: $as_of (Date), $known_at (DateTime), $min_findings (int), $limit (max persons).
MATCH (f:Finding)
WITH f, {{ finding_state }}
WHERE applies OR listed
CALL (f) {
  MATCH (f)-[:AGAINST]->(:Enterprise)<-[:HOLDS|REGISTERED_AT]-(p:Person)
  RETURN p
  UNION
  MATCH (f)-[:NAMES]->(p:Person)
  RETURN p
  UNION
  MATCH (f)-[:AGAINST]->(p:Person)
  RETURN p
}
WITH p, count(DISTINCT f) AS findings
WHERE findings >= $min_findings
RETURN p.id_type AS id_type, p.id_number AS id_number, findings
ORDER BY findings DESC, id_type, id_number
LIMIT $limit
