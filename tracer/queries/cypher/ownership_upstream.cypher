// The upstream ownership subgraph's nodes: every holder (person, enterprise, department) that
// reaches the enterprise through OWNS edges held on $as_of, with its distance; nearest first,
// at most $limit rows (cycles never loop: one shortest path per holder). The depth bound is
// the literal {1,15} (hard cap); Python narrows it to {1,max_depth} for an allow-listed
// max_depth in 1..15.
// Parameters: $uscc, $as_of (date), $limit.
MATCH (t:Enterprise {uscc: $uscc})
MATCH p = ANY SHORTEST (t)(()<-[o:OWNS
    WHERE (o.start_date IS NULL OR o.start_date <= $as_of)
      AND (o.end_date IS NULL OR o.end_date >= $as_of)]-()){1,15}(h)
WHERE h <> t
WITH h, length(p) AS distance
ORDER BY distance, elementId(h)
LIMIT $limit
RETURN elementId(h) AS element_id, labels(h) AS labels, properties(h) AS props, distance
