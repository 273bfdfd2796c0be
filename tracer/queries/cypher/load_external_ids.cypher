// Loader (interchange): add identifiers of other schemes and topics to an enterprise (uscc) or
// a person (id_type, id_number); list properties, each value once, never removed.
// Parameters: $rows — list of {uscc, id_type, id_number, ids: [scheme:id], topics: [text]}.
// Returns: written (rows whose subject exists).
UNWIND $rows AS row
OPTIONAL MATCH (e:Enterprise {uscc: row.uscc})
OPTIONAL MATCH (p:Person {id_type: row.id_type, id_number: row.id_number})
WITH row, coalesce(e, p) AS n
WHERE n IS NOT NULL
SET n.external_ids = reduce(acc = coalesce(n.external_ids, []), x IN row.ids |
      CASE WHEN x IN acc THEN acc ELSE acc + x END),
    n.topics = reduce(acc = coalesce(n.topics, []), x IN row.topics |
      CASE WHEN x IN acc THEN acc ELSE acc + x END)
RETURN count(*) AS written
