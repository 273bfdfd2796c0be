// Close an open credit commitment: fulfilled ($outcome FULFILLED) or breached (BREACHED) on $on,
// recorded at the server's time; a commitment already closed is left unchanged (no row).
// Parameters: $commitment_id, $outcome, $on (Date), $recorded_at (DateTime), $recorded_by,
// $document (or null). Returns: commitment_id.
MATCH (c:Commitment {commitment_id: $commitment_id})
WHERE c.fulfilled_on IS NULL AND c.breached_on IS NULL
SET c.fulfilled_on = CASE WHEN $outcome = 'FULFILLED' THEN $on END,
    c.breached_on = CASE WHEN $outcome = 'BREACHED' THEN $on END,
    c.closed_recorded_at = $recorded_at, c.closed_by = $recorded_by,
    c.closing_document = $document
RETURN c.commitment_id AS commitment_id
