// fragment subject_flags: status flags of node `node` on $as_of as known at $known_at — `listed`
// when a finding in force is AGAINST it, `named` when such a finding NAMES the person (the naming
// in effect, the person not released from it).
CALL (node) {
  OPTIONAL MATCH (f:Finding)-[link:AGAINST|NAMES]->(node)
  WITH node AS p, f, link AS n, {{ finding_state }}
  WHERE f IS NULL OR applies
  RETURN any(x IN collect(type(n) = 'AGAINST') WHERE x) AS listed,
         any(x IN collect(type(n) = 'NAMES' AND {{ named_on }} AND NOT {{ person_released }})
             WHERE x) AS named
}
