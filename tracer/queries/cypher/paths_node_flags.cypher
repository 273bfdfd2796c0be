// Status flags of the given nodes on $as_of as known at $known_at: LISTED when a finding in
// force is AGAINST the node, NAMED when such a finding NAMES the person (the naming in effect,
// the person not released from it).
// Parameters: $ids (list of element ids, bounded by the caller), $as_of (date), $known_at.
UNWIND $ids AS id
MATCH (node) WHERE elementId(node) = id
CALL (node) {
  OPTIONAL MATCH (f:Finding)-[link:AGAINST|NAMES]->(node)
  WITH node AS p, f, link AS n, {{ finding_state }}
  WHERE f IS NULL OR applies
  RETURN any(x IN collect(type(n) = 'AGAINST') WHERE x) AS listed,
         any(x IN collect(type(n) = 'NAMES' AND {{ named_on }} AND NOT {{ person_released }})
             WHERE x) AS named
}
RETURN id AS element_id, listed, named
LIMIT 10000
