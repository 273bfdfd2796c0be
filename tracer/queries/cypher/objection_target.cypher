// What filing an objection needs to know: the finding (authority, list type, status, decision,
// its subject's region), the disputing person when one is given (null when unknown), and how
// many objections against the same finding (and person) are still open.
// Parameters: $finding_id, $id_type (null: against the finding), $id_number (null likewise).
MATCH (f:Finding {finding_id: $finding_id})
OPTIONAL MATCH (f)-[:AGAINST]->(s)
OPTIONAL MATCH (p:Person {id_type: $id_type, id_number: $id_number})
OPTIONAL CALL (f, p) {
  MATCH (o:Objection {status: 'OPEN'})-[:AGAINST]->(f)
  WHERE (p IS NULL AND NOT (o)-[:DISPUTED_BY]->(:Person))
     OR (p IS NOT NULL AND (o)-[:DISPUTED_BY]->(p))
  RETURN count(o) AS open
}
RETURN f {.finding_id, .authority, .list_type, .status, .decided_on} AS finding,
       s.region_code AS region_code,
       p IS NOT NULL AS person_found, p.name AS name, open
LIMIT 1
