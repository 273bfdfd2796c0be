// Loader: an enterprise is SUPERVISED_BY its superior department (one: an older edge is removed).
// Parameters: $rows — list of {uscc, department}. Returns: written (row count).
// The older edges are found by a pattern comprehension (no per-row subquery: most enterprises
// have none, and the plan stays a straight pipeline).
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.uscc})
MATCH (d:Department {code: row.department})
MERGE (e)-[:SUPERVISED_BY]->(d)
WITH e, d, [(e)-[old:SUPERVISED_BY]->(other:Department) WHERE other <> d | old] AS stale
FOREACH (old IN stale | DELETE old)
RETURN count(*) AS written
