// `tracer import`: write back the audit log's checkpoints read before the offline import, with
// every property as it was. Parameters: $checkpoints (list of property maps, each with key).
// Returns: restored (count).
UNWIND $checkpoints AS checkpoint
MERGE (c:AuditCheckpoint {key: checkpoint.key})
SET c = checkpoint
RETURN count(*) AS restored
