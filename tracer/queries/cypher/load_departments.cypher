// Loader: MERGE departments by code and set the given properties (absent ones are kept).
// Parameters: $rows — list of {code, props: {name, region_code, kind}}. Returns: written (row count).
UNWIND $rows AS row
MERGE (d:Department {code: row.code})
SET d += row.props
RETURN count(*) AS written
