// The nodes and relationships of found paths, by element id, in one row: nodes as
// {element_id, labels, props, listed, named} (the flags of `subject_flags` on $as_of as known at
// $known_at), rels as {element_id, type, source, target, props} (stored direction). One row, not
// a UNION of node and relationship rows: that plan costs a third less to make (planning is most
// of the cost of the first call after a start).
// Parameters: $elements ({nodes, rels: element ids, bounded by the caller}: a map, so that one
// plan serves every size — Neo4j plans a list parameter anew per size bucket), $as_of (date),
// $known_at.
WITH COLLECT {
       UNWIND $elements.rels AS id
       MATCH ()-[r]->() WHERE elementId(r) = id
       RETURN {element_id: id, type: type(r), source: elementId(startNode(r)),
               target: elementId(endNode(r)), props: properties(r)}
     } AS rels
UNWIND $elements.nodes AS id
MATCH (node) WHERE elementId(node) = id
{{ subject_flags }}
RETURN rels,
       collect({element_id: id, labels: labels(node), props: properties(node), listed: listed,
                named: named}) AS nodes
