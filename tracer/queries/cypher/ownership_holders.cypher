// One bounded upstream step of an ownership subgraph: for each given node, at most $fanout of its
// incoming OWNS relationships and at most $fanout of its incoming HOLDS, read before any filter
// (a node with many holders costs $fanout relationships, not its degree; the caller asks for
// $fanout + 1 to see a cut). `keep` tells the caller which to use: OWNS held on $as_of (with
// $holders set, only from those holders), and HOLDS with role ACTUAL_CONTROLLER held on $as_of.
// Rows: kind 'OWNS' or 'ACTUAL_CONTROLLER' (any HOLDS), keep (boolean), holder and investee
// element ids, share (null = unknown), share_min and share_max (a range, either may be null),
// and the holder node (null when not kept).
// Parameters: $ids (element ids, bounded by the caller), $as_of (date), $fanout (int),
// $holders (element ids, or null for any holder).
UNWIND $ids AS id
MATCH (x) WHERE elementId(x) = id
CALL (x) {
  MATCH (h)-[o:OWNS]->(x)
  RETURN 'OWNS' AS kind, h, o AS r
  LIMIT $fanout
  UNION ALL
  MATCH (h:Person)-[c:HOLDS]->(x)
  RETURN 'ACTUAL_CONTROLLER' AS kind, h, c AS r
  LIMIT $fanout
}
WITH id, kind, h, r,
     (r.start_date IS NULL OR r.start_date <= $as_of)
     AND (r.end_date IS NULL OR r.end_date >= $as_of)
     AND CASE kind
           WHEN 'OWNS' THEN $holders IS NULL OR elementId(h) IN $holders
           ELSE r.role = 'ACTUAL_CONTROLLER'
         END AS keep
RETURN kind, keep, elementId(h) AS holder, id AS investee, r.share AS share,
       r.share_min AS share_min, r.share_max AS share_max,
       CASE WHEN keep
         THEN {element_id: elementId(h), labels: labels(h), props: properties(h)}
       END AS holder_node
