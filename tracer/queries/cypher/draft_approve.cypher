// Mark a draft approved once its finding is written, and record on the finding who drafted
// and who approved it. No row when the draft was approved meanwhile.
// Parameters: $finding_id, $approval (map: approved_by, approved_key, approved_name,
// approved_at).
MATCH (d:FindingDraft {finding_id: $finding_id})
SET d.approval_lock = true
REMOVE d.approval_lock
WITH d
WHERE d.status = 'DRAFT'
MATCH (f:Finding {finding_id: $finding_id})
SET d += $approval, d.status = 'APPROVED',
    f.drafted_by = d.drafted_by, f.drafted_at = d.drafted_at,
    f.approved_by = $approval.approved_by, f.approved_at = $approval.approved_at
RETURN d.finding_id AS finding_id
