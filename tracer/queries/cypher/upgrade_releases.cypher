// Upgrade per-person releases written before releases had two times: the old `at` is both the
// recording time and (as a date in the deployment's time zone) the effective date.
// Parameters: $zone (time-zone name).
MATCH (:Finding)-[x:RELEASES]->(:Person)
WHERE x.recorded_at IS NULL
SET x.recorded_at = x.at,
    x.effective_on = date(datetime({datetime: x.at, timezone: $zone})),
    x.wrongful = coalesce(x.wrongful, false)
RETURN count(x) AS upgraded
