// Loader: a department REPORTS_TO its superior (one superior: an older edge to another is removed).
// Parameters: $rows — list of {code, superior_code}. Returns: written (row count).
UNWIND $rows AS row
MATCH (d:Department {code: row.code})
MATCH (s:Department {code: row.superior_code})
MERGE (d)-[:REPORTS_TO]->(s)
WITH d, s
CALL (d, s) {
  MATCH (d)-[old:REPORTS_TO]->(other:Department)
  WHERE other <> s
  DELETE old
}
RETURN count(*) AS written
