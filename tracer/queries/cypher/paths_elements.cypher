// The nodes and relationships of found paths, by element id: nodes as {element_id, labels,
// props}, relationships as {element_id, type, source, target, props} (stored direction).
// Parameters: $nodes, $rels (element ids, bounded by the caller).
CALL () {
  UNWIND $nodes AS id
  MATCH (n) WHERE elementId(n) = id
  RETURN {element_id: id, labels: labels(n), props: properties(n)} AS node, null AS rel
  UNION ALL
  UNWIND $rels AS id
  MATCH ()-[r]->() WHERE elementId(r) = id
  RETURN null AS node,
         {element_id: id, type: type(r), source: elementId(startNode(r)),
          target: elementId(endNode(r)), props: properties(r)} AS rel
}
RETURN node, rel
