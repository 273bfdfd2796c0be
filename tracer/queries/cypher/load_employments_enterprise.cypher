// Loader: MERGE a person's employment (EMPLOYED_BY) at an enterprise on start_date; public_sector
// and end_date are set when given (an absent end_date never reopens one).
// Parameters: $rows — list of {id_type, id_number, employer_id, start_date,
// props: {public_sector, end_date}}. Returns: written (rows whose person and employer exist).
UNWIND $rows AS row
MATCH (p:Person {id_type: row.id_type, id_number: row.id_number})
MATCH (w:Enterprise {uscc: row.employer_id})
MERGE (p)-[e:EMPLOYED_BY {start_date: row.start_date}]->(w)
SET e += row.props, e.public_sector = coalesce(e.public_sector, false)
RETURN count(*) AS written
