// Status flags of the given nodes on $as_of as known at $known_at: LISTED when a finding in
// force is AGAINST the node, NAMED when such a finding NAMES the person (the naming in effect,
// the person not released from it).
// Parameters: $nodes ({ids: element ids, bounded by the caller}: a map, so that one plan serves
// every number of nodes — Neo4j plans a list parameter anew per size bucket), $as_of (date),
// $known_at.
UNWIND $nodes.ids AS id
MATCH (node) WHERE elementId(node) = id
{{ subject_flags }}
RETURN id AS element_id, listed, named
LIMIT 10000
