// One bounded upstream step of an ownership subgraph: for each given node, at most $fanout OWNS
// edges held on $as_of into it (with $holders set, only from those holders), and at most $fanout
// declared actual controllers (HOLDS role ACTUAL_CONTROLLER held on $as_of). A node with many
// holders costs $fanout rows, not its degree; the caller asks for $fanout + 1 to see a cut.
// Rows: kind 'OWNS' or 'ACTUAL_CONTROLLER', holder and investee element ids, share (null =
// unknown), share_min and share_max (a range, either may be null), and the holder node.
// Parameters: $ids (element ids, bounded by the caller), $as_of (date), $fanout (int),
// $holders (element ids, or null for any holder).
UNWIND $ids AS id
MATCH (x) WHERE elementId(x) = id
CALL (x) {
  MATCH (h)-[o:OWNS]->(x)
  WHERE (o.start_date IS NULL OR o.start_date <= $as_of)
    AND (o.end_date IS NULL OR o.end_date >= $as_of)
    AND ($holders IS NULL OR elementId(h) IN $holders)
  RETURN 'OWNS' AS kind, h, o AS r
  LIMIT $fanout
  UNION ALL
  MATCH (h:Person)-[c:HOLDS {role: 'ACTUAL_CONTROLLER'}]->(x)
  WHERE (c.start_date IS NULL OR c.start_date <= $as_of)
    AND (c.end_date IS NULL OR c.end_date >= $as_of)
  RETURN 'ACTUAL_CONTROLLER' AS kind, h, c AS r
  LIMIT $fanout
}
RETURN kind, elementId(h) AS holder, id AS investee, r.share AS share,
       r.share_min AS share_min, r.share_max AS share_max,
       {element_id: elementId(h), labels: labels(h), props: properties(h)} AS holder_node
