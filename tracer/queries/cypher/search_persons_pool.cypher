// Name search, step 1: a bounded pool of persons whose name may match — the exact name (range
// index person_name) and the full-text index person_name_search (CJK bigrams, pinyin, initials).
// Parameters: $name (the text as typed, trimmed), $lucene (full-text query from
// tracer.queries.names.lucene_query), $pool (int: rows per source).
// Returns: id_type, id_number, name (at most 2 × $pool rows, each person once).
CALL () {
  MATCH (p:Person {name: $name})
  RETURN p LIMIT $pool
  UNION
  CALL db.index.fulltext.queryNodes('person_name_search', $lucene, {limit: $pool}) YIELD node
  RETURN node AS p LIMIT $pool
}
RETURN p.id_type AS id_type, p.id_number AS id_number, p.name AS name
