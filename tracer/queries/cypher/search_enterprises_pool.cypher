// Name search, step 1: a bounded pool of enterprises whose name may match — the exact name
// (range index enterprise_name) and the full-text index enterprise_name_search.
// Parameters: $name (the text as typed, trimmed), $lucene (full-text query from
// tracer.queries.names.lucene_query), $pool (int: rows per source).
// Returns: uscc, name (at most 2 × $pool rows, each enterprise once).
CALL () {
  MATCH (e:Enterprise {name: $name})
  RETURN e LIMIT $pool
  UNION
  CALL db.index.fulltext.queryNodes('enterprise_name_search', $lucene, {limit: $pool}) YIELD node
  RETURN node AS e LIMIT $pool
}
RETURN e.uscc AS uscc, e.name AS name
