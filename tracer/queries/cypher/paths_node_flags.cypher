// Status flags of the given nodes on a date: LISTED when an ACTIVE finding (not expired on $on)
// is AGAINST the node, NAMED when such a finding NAMES the person.
// Parameters: $ids (list of element ids, bounded by the caller), $on (date).
UNWIND $ids AS id
MATCH (n) WHERE elementId(n) = id
WITH n, id,
     EXISTS {
       MATCH (f:Finding {status: 'ACTIVE'})-[:AGAINST]->(n)
       WHERE f.effective_until IS NULL OR f.effective_until >= $on
     } AS listed,
     EXISTS {
       MATCH (f:Finding {status: 'ACTIVE'})-[:NAMES]->(n)
       WHERE f.effective_until IS NULL OR f.effective_until >= $on
     } AS named
RETURN id AS element_id, listed, named
LIMIT 10000
