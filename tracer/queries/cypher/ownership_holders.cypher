// One bounded upstream step of an ownership subgraph: for each given node, at most $fanout of its
// incoming OWNS relationships and at most $fanout of its incoming HOLDS from persons, read before
// any filter (a node with many holders costs $fanout relationships, not its degree; the caller
// asks for $fanout + 1 to see a cut). `keep` tells the caller which to use: OWNS held on $as_of,
// and HOLDS with role ACTUAL_CONTROLLER held on $as_of.
// The first step names the target by $frontier.uscc and also returns its node; later steps name
// the nodes by $frontier.ids. The list travels inside the map $frontier so that one plan serves
// every step: Neo4j plans a list parameter anew for each size bucket (1, 2-10, 11-100 ...).
// The statement is kept plain (no CASE or WITH in the subqueries): planning it is most of the
// cost of the first call after a start.
// Rows, one per node found: investee (element id), node (the target as {element_id, labels,
// props} on the first step, else null), owns and controls (lists of the holder as
// {element_id, labels, props} with keep, and for owns share (null = unknown), share_min and
// share_max (a range, either may be null)).
// Parameters: $frontier ({uscc: string or null, ids: element ids bounded by the caller, or
// null}), $as_of (date), $fanout (int).
OPTIONAL MATCH (t:Enterprise {uscc: $frontier.uscc})
UNWIND CASE WHEN t IS NULL THEN coalesce($frontier.ids, []) ELSE [elementId(t)] END AS id
MATCH (x) WHERE elementId(x) = id
RETURN id AS investee,
       CASE WHEN t IS NOT NULL THEN {element_id: id, labels: labels(x), props: properties(x)} END
         AS node,
       COLLECT {
         MATCH (h)-[r:OWNS]->(x)
         RETURN {element_id: elementId(h), labels: labels(h), props: properties(h),
                 keep: (r.start_date IS NULL OR r.start_date <= $as_of)
                       AND (r.end_date IS NULL OR r.end_date >= $as_of),
                 share: r.share, share_min: r.share_min, share_max: r.share_max}
         LIMIT $fanout
       } AS owns,
       COLLECT {
         MATCH (h:Person)-[r:HOLDS]->(x)
         RETURN {element_id: elementId(h), labels: labels(h), props: properties(h),
                 keep: (r.start_date IS NULL OR r.start_date <= $as_of)
                       AND (r.end_date IS NULL OR r.end_date >= $as_of)
                       AND r.role = 'ACTUAL_CONTROLLER'}
         LIMIT $fanout
       } AS controls
