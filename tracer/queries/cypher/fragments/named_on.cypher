// fragment named_on: naming `n` of finding `f` is in effect on $as_of as known at $known_at (from
// its effective date, default the decision; recorded when made, default when the finding was).
coalesce(n.effective_on, f.decided_on) <= $as_of
AND coalesce(n.recorded_at, f.recorded_at) <= $known_at
