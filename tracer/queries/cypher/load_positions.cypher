// Loader: MERGE a position (HOLDS) on (role, start_date); a given end_date closes it, an absent
// end_date never reopens one (history is kept, never overwritten).
// Parameters: $rows — list of {id_type, id_number, uscc, role, start_date, end_date}.
// Returns: written (rows whose person and enterprise exist).
UNWIND $rows AS row
MATCH (p:Person {id_type: row.id_type, id_number: row.id_number})
MATCH (e:Enterprise {uscc: row.uscc})
MERGE (p)-[h:HOLDS {role: row.role, start_date: row.start_date}]->(e)
SET h.end_date = coalesce(row.end_date, h.end_date)
RETURN count(*) AS written
