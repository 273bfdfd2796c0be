// fragment position_in_act_period: the position with properties `hp` overlaps the act period of
// finding `f` up to $as_of (begun by $as_of, not ended before the act date, else the decision).
(hp.start_date IS NULL OR hp.start_date <= $as_of)
  AND (hp.end_date IS NULL OR hp.end_date >= coalesce(f.act_date, f.decided_on))
