// Loader: MERGE persons by (id_type, id_number) and set the given properties (absent ones kept).
// Parameters: $rows — list of {id_type, id_number, props: {name, nationality, and the name's
// search keys name_pinyin, name_pinyin_joined, name_initials}}.
// Returns: written (row count).
UNWIND $rows AS row
MERGE (p:Person {id_type: row.id_type, id_number: row.id_number})
SET p += row.props
RETURN count(*) AS written
