// Upgrade per-person releases written before releases had two times: the old `at` is both the
// recording time and (as a date in the deployment's time zone) the effective date. The old `at`
// is then removed (its value is the recording time; no current writer sets it), so the index on
// it (releases_old_at) holds only releases still to upgrade and the look-up costs nothing once
// none is left, however many releases there are.
// Parameters: $zone (time-zone name). Returns: upgraded.
MATCH (:Finding)-[x:RELEASES]->(:Person)
USING INDEX x:RELEASES(at)
WHERE x.at IS NOT NULL
SET x.recorded_at = coalesce(x.recorded_at, x.at),
    x.effective_on = coalesce(x.effective_on, date(datetime({datetime: x.at, timezone: $zone}))),
    x.wrongful = coalesce(x.wrongful, false)
REMOVE x.at
RETURN count(x) AS upgraded
