// Name search, step 2: the facts that tell apart persons of one name (重名) — nationality, the
// positions held on $as_of (newest first, at most $positions), and whether any finding concerns
// them (against or naming them, or against an enterprise they hold or held a position in): a
// flag to run a check, never a liability.
// Parameters: $keys (list of {id_type, id_number}), $as_of (date), $positions (int).
// Returns: id_type, id_number, name, nationality, positions (list of {role, uscc, name}),
// has_findings (bool).
UNWIND $keys AS key
MATCH (p:Person {id_type: key.id_type, id_number: key.id_number})
CALL (p) {
  OPTIONAL MATCH (p)-[h:HOLDS]->(e:Enterprise)
  WHERE h.start_date <= $as_of AND (h.end_date IS NULL OR h.end_date >= $as_of)
  WITH h, e ORDER BY h.start_date DESC LIMIT $positions
  RETURN collect(CASE WHEN h IS NOT NULL THEN {role: h.role, uscc: e.uscc, name: e.name} END)
         AS positions
}
RETURN p.id_type AS id_type, p.id_number AS id_number, p.name AS name,
       p.nationality AS nationality, positions,
       EXISTS { (p)<-[:AGAINST|NAMES]-(:Finding) }
       OR EXISTS { (p)-[:HOLDS]->(:Enterprise)<-[:AGAINST]-(:Finding) } AS has_findings
