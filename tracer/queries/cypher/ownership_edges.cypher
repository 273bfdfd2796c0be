// The OWNS edges held on $as_of into the given nodes, and the declared actual controllers
// (HOLDS with role ACTUAL_CONTROLLER held on $as_of) of the given enterprises.
// Rows: kind 'OWNS' or 'ACTUAL_CONTROLLER', holder and investee element ids, share (null =
// unknown), share_min and share_max (a range, either may be null), start_date, end_date, and the holder node for controllers (may lie outside the set).
// Parameters: $ids (element ids), $as_of (date), $limit (max rows).
UNWIND $ids AS id
MATCH (x) WHERE elementId(x) = id
CALL (x) {
  MATCH (h)-[o:OWNS]->(x)
  WHERE (o.start_date IS NULL OR o.start_date <= $as_of)
    AND (o.end_date IS NULL OR o.end_date >= $as_of)
  RETURN 'OWNS' AS kind, h, o AS r
  UNION ALL
  MATCH (h:Person)-[c:HOLDS {role: 'ACTUAL_CONTROLLER'}]->(x)
  WHERE (c.start_date IS NULL OR c.start_date <= $as_of)
    AND (c.end_date IS NULL OR c.end_date >= $as_of)
  RETURN 'ACTUAL_CONTROLLER' AS kind, h, c AS r
}
WITH kind, h, x, r
ORDER BY elementId(r)
LIMIT $limit
RETURN kind, elementId(h) AS holder, elementId(x) AS investee, r.share AS share,
       r.share_min AS share_min, r.share_max AS share_max,
       r.start_date AS start_date, r.end_date AS end_date,
       {element_id: elementId(h), labels: labels(h), props: properties(h)} AS holder_node
