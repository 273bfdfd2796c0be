// Enterprise-to-enterprise OWNS edges (any date) as USCC pairs: to find the deepest ownership
// pyramids (benchmarks, analysts).
// Parameters: $limit (max rows).
MATCH (h:Enterprise)-[:OWNS]->(x:Enterprise)
RETURN h.uscc AS holder, x.uscc AS investee
LIMIT $limit
