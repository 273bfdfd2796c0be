// Upgrade feedback written with one joined subject key ("TYPE:NUMBER" for persons, the USCC
// for enterprises) to the key's parts. The old key is removed, so the index on it
// (feedback_old_subject) holds only feedback still to upgrade: the look-up costs nothing once
// none is left, however much feedback there is.
// No parameters.
MATCH (fb:Feedback)
USING INDEX fb:Feedback(subject_id)
WHERE fb.subject_id IS NOT NULL AND fb.subject_uscc IS NULL AND fb.subject_id_number IS NULL
SET fb.subject_uscc = CASE WHEN fb.subject_kind = 'ENTERPRISE' THEN fb.subject_id END,
    fb.subject_id_type = CASE WHEN fb.subject_kind = 'PERSON'
                              THEN split(fb.subject_id, ':')[0] END,
    fb.subject_id_number = CASE WHEN fb.subject_kind = 'PERSON'
                                THEN substring(fb.subject_id, size(split(fb.subject_id, ':')[0]) + 1) END
REMOVE fb.subject_id
RETURN count(fb) AS upgraded
