// Record that the subject of an interview rectified on $on (recorded at the server's time); an
// interview already rectified is left unchanged (no row).
// Parameters: $interview_id, $on (Date), $recorded_at (DateTime), $recorded_by, $document (or
// null). Returns: interview_id.
MATCH (i:Interview {interview_id: $interview_id})
WHERE i.rectified_on IS NULL
SET i.rectified_on = $on, i.rectified_recorded_at = $recorded_at, i.rectified_by = $recorded_by,
    i.rectification_document = $document
RETURN i.interview_id AS interview_id
