// Record the head of an audit log (DOMAIN.md §12): a checkpoint outside the log's own files.
// Parameters: $log_id (string), $log_path (the log file, absolute), $seq (int), $mac (hex
// string), $kid (string), $at (ISO 8601 instant of the entry). Idempotent per (log, seq); `same`
// is false when a checkpoint of that entry already holds another MAC (the log was rewritten).
MERGE (c:AuditCheckpoint {key: $log_id + ':' + toString($seq)})
  ON CREATE SET c.log_id = $log_id, c.log_path = $log_path, c.seq = $seq, c.mac = $mac,
                c.kid = $kid, c.at = datetime($at), c.recorded_at = datetime()
RETURN c.mac = $mac AS same
