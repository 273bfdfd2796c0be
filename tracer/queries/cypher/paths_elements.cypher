// The nodes and relationships of found paths, by element id: nodes as {element_id, labels,
// props, listed, named} (the flags of `subject_flags` on $as_of as known at $known_at),
// relationships as {element_id, type, source, target, props} (stored direction).
// Parameters: $elements ({nodes, rels: element ids, bounded by the caller}: a map, so that one
// plan serves every size — Neo4j plans a list parameter anew per size bucket), $as_of (date),
// $known_at.
CALL () {
  UNWIND $elements.nodes AS id
  MATCH (node) WHERE elementId(node) = id
  {{ subject_flags }}
  RETURN {element_id: id, labels: labels(node), props: properties(node), listed: listed,
          named: named} AS node,
         null AS rel
  UNION ALL
  UNWIND $elements.rels AS id
  MATCH ()-[r]->() WHERE elementId(r) = id
  RETURN null AS node,
         {element_id: id, type: type(r), source: elementId(startNode(r)),
          target: elementId(endNode(r)), props: properties(r)} AS rel
}
RETURN node, rel
