// Loader: an enterprise is SUPERVISED_BY its superior department (one: an older edge is removed).
// Parameters: $rows — list of {uscc, department}. Returns: written (row count).
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.uscc})
MATCH (d:Department {code: row.department})
MERGE (e)-[:SUPERVISED_BY]->(d)
WITH e, d
CALL (e, d) {
  MATCH (e)-[old:SUPERVISED_BY]->(other:Department)
  WHERE other <> d
  DELETE old
}
RETURN count(*) AS written
