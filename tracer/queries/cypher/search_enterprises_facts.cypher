// Name search, step 2: the facts that tell apart enterprises of similar names — status, region,
// establishment date, the legal representative on $as_of, and whether any finding is against it
// (a flag to run a check, never a restriction).
// Parameters: $usccs (list of strings), $as_of (date).
// Returns: uscc, name, status, region_code, established_on, representative ({id_type, id_number,
// name} or null), has_findings (bool).
UNWIND $usccs AS uscc
MATCH (e:Enterprise {uscc: uscc})
CALL (e) {
  OPTIONAL MATCH (p:Person)-[h:HOLDS {role: 'LEGAL_REPRESENTATIVE'}]->(e)
  WHERE h.start_date <= $as_of AND (h.end_date IS NULL OR h.end_date >= $as_of)
  WITH p, h ORDER BY h.start_date DESC LIMIT 1
  RETURN CASE WHEN p IS NOT NULL
         THEN {id_type: p.id_type, id_number: p.id_number, name: p.name} END AS representative
}
RETURN e.uscc AS uscc, e.name AS name, e.status AS status, e.region_code AS region_code,
       e.established_on AS established_on, representative,
       EXISTS { (e)<-[:AGAINST]-(:Finding) } AS has_findings
