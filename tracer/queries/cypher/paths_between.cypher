// The shortest connections between two subjects through HOLDS, OWNS, REGISTERED_AT, NAMES,
// AGAINST and SUPERVISED_BY relationships (any direction), shortest first; a path never visits
// a node twice (checked inside the selection, so loops never take the place of real paths).
// With $as_of set, only relationships held on that date are followed (start_date <= $as_of or
// unknown, end_date absent or >= $as_of); with $as_of null, history is followed too.
// The hop bound is the literal {1,8} (hard cap); Python narrows it to {1,max_hops} for an
// allow-listed max_hops in 1..8 so the search stops early. At most 50 paths, then $limit (the
// caller asks for 50 and merges paths that differ only in a parallel relationship).
// Parameters: $source_id, $target_id (element ids), $limit (int <= 50), $as_of (date or null).
MATCH (s) WHERE elementId(s) = $source_id
MATCH (t) WHERE elementId(t) = $target_id
MATCH p = SHORTEST 50 ((s)(()-[r:HOLDS|OWNS|REGISTERED_AT|NAMES|AGAINST|SUPERVISED_BY
    WHERE $as_of IS NULL
       OR ((r.start_date IS NULL OR r.start_date <= $as_of)
           AND (r.end_date IS NULL OR r.end_date >= $as_of))]-(x)){1,8}(t)
  WHERE NOT s IN x AND all(i IN range(0, size(x) - 2) WHERE NOT x[i] IN x[i + 1..]))
WITH p
ORDER BY length(p)
LIMIT $limit
RETURN [n IN nodes(p) | {element_id: elementId(n), labels: labels(n), props: properties(n)}]
         AS nodes,
       [r IN relationships(p) | {element_id: elementId(r), type: type(r),
                                 source: elementId(startNode(r)), target: elementId(endNode(r)),
                                 props: properties(r)}] AS rels
