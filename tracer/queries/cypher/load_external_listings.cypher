// Loader (interchange): MERGE an external listing (a sanction or other list entry of another
// body, e.g. from OpenSanctions) on listing_id and link it to its subject (LISTED_AS). Never a
// Finding: it makes nobody liable.
// Parameters: $rows — list of {listing_id, uscc, id_type, id_number, props: {source, program,
// reason, authority, country, source_url, start_date, end_date, topics}}, $recorded_at.
// Returns: written (rows whose subject exists).
UNWIND $rows AS row
OPTIONAL MATCH (e:Enterprise {uscc: row.uscc})
OPTIONAL MATCH (p:Person {id_type: row.id_type, id_number: row.id_number})
WITH row, coalesce(e, p) AS n
WHERE n IS NOT NULL
MERGE (l:ExternalListing {listing_id: row.listing_id})
ON CREATE SET l.recorded_at = $recorded_at
SET l += row.props
MERGE (n)-[:LISTED_AS]->(l)
RETURN count(*) AS written
