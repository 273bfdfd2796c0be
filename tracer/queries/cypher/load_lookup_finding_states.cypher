// The stored decision, status and transitions of the given findings that exist (to validate
// a finding given again in a loaded file like one changed from the command line).
// Parameters: $keys (list of finding ids).
UNWIND $keys AS key
MATCH (f:Finding {finding_id: key})
RETURN f.finding_id AS finding_id, f.status AS status, f.decided_on AS decided_on,
       f.subject_id AS subject_id, f.list_type AS list_type, f.category AS category,
       f.ground AS ground, f.severe AS severe, f.exit_restricted AS exit_restricted,
       f.authority AS authority, f.basis AS basis, f.act_date AS act_date, f.effective_until AS effective_until,
       last(coalesce(f.status_effective, [])) AS last_effective,
       f.status_seq AS status_seq, f.status_to AS status_to,
       f.status_effective AS status_effective, f.status_recorded AS status_recorded,
       f.status_term AS status_term
