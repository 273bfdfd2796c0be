// fragment finding_state: two projections for finding `f` on $as_of as known at $known_at —
// `applies` (in force: status and period) and `listed` (on record, not void and not suspended,
// whatever its period or a repair says: for rules whose own period outlasts the finding's).
// Read from the bitemporal rows stored on the finding (tracer.domain.timeline): one hop.
any(i IN range(0, size(coalesce(f.line_from, [])) - 1)
    WHERE f.line_from[i] <= $as_of AND $as_of <= f.line_to[i]
      AND f.line_known_from[i] <= $known_at AND $known_at < f.line_known_to[i]) AS applies,
any(i IN range(0, size(coalesce(f.listed_from, [])) - 1)
    WHERE f.listed_from[i] <= $as_of AND $as_of <= f.listed_to[i]
      AND f.listed_known_from[i] <= $known_at AND $known_at < f.listed_known_to[i]) AS listed
