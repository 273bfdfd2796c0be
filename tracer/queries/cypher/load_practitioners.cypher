// Loader: MERGE a registered practitioner (REGISTERED_AT) on (qualification, start_date);
// certificate_no and end_date are set when given (an absent end_date never reopens one).
// Parameters: $rows — list of {id_type, id_number, uscc, qualification, start_date,
// props: {certificate_no, end_date}}. Returns: written (rows whose person and enterprise exist).
UNWIND $rows AS row
MATCH (p:Person {id_type: row.id_type, id_number: row.id_number})
MATCH (e:Enterprise {uscc: row.uscc})
MERGE (p)-[r:REGISTERED_AT {qualification: row.qualification, start_date: row.start_date}]->(e)
SET r += row.props
RETURN count(*) AS written
