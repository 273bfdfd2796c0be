// Loader: a department REPORTS_TO its superior (one superior: an older edge to another is removed).
// Parameters: $rows — list of {code, superior_code}. Returns: written (row count).
// The older edges are found by a pattern comprehension (no per-row subquery).
UNWIND $rows AS row
MATCH (d:Department {code: row.code})
MATCH (s:Department {code: row.superior_code})
MERGE (d)-[:REPORTS_TO]->(s)
WITH d, s, [(d)-[old:REPORTS_TO]->(other:Department) WHERE other <> s | old] AS stale
FOREACH (old IN stale | DELETE old)
RETURN count(*) AS written
