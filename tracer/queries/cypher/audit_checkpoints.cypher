// Every checkpoint of one audit log, or of any log kept at its path, oldest entry first.
// Parameters: $log_id (string or null: the keyring is gone), $log_path (the log file, absolute).
MATCH (c:AuditCheckpoint)
WHERE c.log_id = $log_id OR c.log_path = $log_path
RETURN c.log_id AS log_id, c.seq AS seq, c.mac AS mac, c.kid AS kid, c.at AS at
ORDER BY seq
