// Revoke a red-list honour (撤销荣誉称号) from $revoked_on: it stops counting from that day; a
// revoked honour is left unchanged (no row).
// Parameters: $honour_id, $revoked_on (Date), $revoked_by, $reason, $document (or null),
// $recorded_at (DateTime). Returns: honour_id.
MATCH (h:Honour {honour_id: $honour_id})
WHERE h.revoked_on IS NULL
SET h.revoked_on = $revoked_on, h.revoked_by = $revoked_by, h.revocation_reason = $reason,
    h.revocation_document = $document, h.revoked_recorded_at = $recorded_at
RETURN h.honour_id AS honour_id
