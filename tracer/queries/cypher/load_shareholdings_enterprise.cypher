// Loader: MERGE a shareholding (OWNS) of a enterprise in an enterprise on start_key (ISO start date,
// or "" when unknown, then "#" and the record id when the row has one); share (absent =
// unknown), share_min, share_max, record_id and dates are set, an absent end_date never reopens one.
// Parameters: $rows — list of {holder_id (USCC), investee, start_key, props: {share, share_min,
// share_max, start_date, end_date, record_id}}. Returns: written (rows whose holder and investee exist).
UNWIND $rows AS row
MATCH (holder:Enterprise {uscc: row.holder_id})
MATCH (e:Enterprise {uscc: row.investee})
MERGE (holder)-[o:OWNS {start_key: row.start_key}]->(e)
SET o += row.props
RETURN count(*) AS written
