// The schema: uniqueness constraints on every key of DOMAIN.md, and the indexes the queries use.
// Idempotent (IF NOT EXISTS). Statements are separated by ';'. No parameters.
CREATE CONSTRAINT enterprise_uscc IF NOT EXISTS FOR (e:Enterprise) REQUIRE e.uscc IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE (p.id_type, p.id_number) IS UNIQUE;
CREATE CONSTRAINT finding_id IF NOT EXISTS FOR (f:Finding) REQUIRE f.finding_id IS UNIQUE;
CREATE CONSTRAINT department_code IF NOT EXISTS FOR (d:Department) REQUIRE d.code IS UNIQUE;
// Reference tables are versioned (valid_from, jurisdiction): one node per version.
DROP CONSTRAINT rule_id IF EXISTS;
DROP CONSTRAINT measure_code IF EXISTS;
DROP CONSTRAINT list_type_code IF EXISTS;
CREATE CONSTRAINT rule_version IF NOT EXISTS FOR (r:Rule) REQUIRE r.version_id IS UNIQUE;
CREATE CONSTRAINT measure_version IF NOT EXISTS FOR (m:Measure) REQUIRE m.version_id IS UNIQUE;
CREATE CONSTRAINT list_type_version IF NOT EXISTS FOR (l:ListType) REQUIRE l.version_id IS UNIQUE;
CREATE CONSTRAINT list_type_period_version IF NOT EXISTS FOR (p:ListTypePeriod) REQUIRE p.version_id IS UNIQUE;
CREATE CONSTRAINT list_type_measure_version IF NOT EXISTS FOR (m:ListTypeMeasure) REQUIRE m.version_id IS UNIQUE;
CREATE CONSTRAINT basic_list_edition_version IF NOT EXISTS FOR (b:BasicListEdition) REQUIRE b.version_id IS UNIQUE;
CREATE CONSTRAINT measure_basis_version IF NOT EXISTS FOR (b:MeasureBasis) REQUIRE b.version_id IS UNIQUE;
CREATE CONSTRAINT reference_change_id IF NOT EXISTS FOR (c:ReferenceChange) REQUIRE c.change_id IS UNIQUE;
CREATE CONSTRAINT reference_state_id IF NOT EXISTS FOR (s:ReferenceState) REQUIRE s.state_id IS UNIQUE;
CREATE INDEX rule_id IF NOT EXISTS FOR (r:Rule) ON (r.rule_id);
CREATE INDEX measure_code IF NOT EXISTS FOR (m:Measure) ON (m.code);
CREATE INDEX list_type_code IF NOT EXISTS FOR (l:ListType) ON (l.code);
CREATE CONSTRAINT transition_id IF NOT EXISTS FOR (t:Transition) REQUIRE t.transition_id IS UNIQUE;
CREATE CONSTRAINT honour_id IF NOT EXISTS FOR (h:Honour) REQUIRE h.honour_id IS UNIQUE;
CREATE CONSTRAINT feedback_id IF NOT EXISTS FOR (f:Feedback) REQUIRE f.feedback_id IS UNIQUE;
CREATE CONSTRAINT commitment_id IF NOT EXISTS FOR (c:Commitment) REQUIRE c.commitment_id IS UNIQUE;
CREATE CONSTRAINT interview_id IF NOT EXISTS FOR (i:Interview) REQUIRE i.interview_id IS UNIQUE;
CREATE CONSTRAINT name_change_id IF NOT EXISTS FOR (c:NameChange) REQUIRE c.change_id IS UNIQUE;
CREATE CONSTRAINT objection_id IF NOT EXISTS FOR (o:Objection) REQUIRE o.objection_id IS UNIQUE;
CREATE CONSTRAINT finding_draft_id IF NOT EXISTS FOR (d:FindingDraft) REQUIRE d.finding_id IS UNIQUE;
CREATE INDEX enterprise_name IF NOT EXISTS FOR (e:Enterprise) ON (e.name);
CREATE TEXT INDEX enterprise_name_text IF NOT EXISTS FOR (e:Enterprise) ON (e.name);
CREATE INDEX enterprise_region IF NOT EXISTS FOR (e:Enterprise) ON (e.region_code);
CREATE INDEX person_name IF NOT EXISTS FOR (p:Person) ON (p.name);
CREATE INDEX person_number IF NOT EXISTS FOR (p:Person) ON (p.id_number);
// Name search (tracer/queries/names.py): CJK bigrams of the name, its pinyin words, joined pinyin
// and initials; one full-text index per label, queried for a bounded pool of candidates.
CREATE FULLTEXT INDEX person_name_search IF NOT EXISTS FOR (p:Person) ON EACH [p.name, p.name_pinyin, p.name_pinyin_joined, p.name_initials] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
CREATE FULLTEXT INDEX enterprise_name_search IF NOT EXISTS FOR (e:Enterprise) ON EACH [e.name, e.name_pinyin, e.name_pinyin_joined, e.name_initials] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
CREATE INDEX finding_status IF NOT EXISTS FOR (f:Finding) ON (f.status);
CREATE INDEX finding_list_type IF NOT EXISTS FOR (f:Finding) ON (f.list_type);
CREATE INDEX finding_decided_on IF NOT EXISTS FOR (f:Finding) ON (f.decided_on);
CREATE INDEX finding_effective_until IF NOT EXISTS FOR (f:Finding) ON (f.effective_until);
CREATE INDEX finding_subject IF NOT EXISTS FOR (f:Finding) ON (f.subject_id);
CREATE INDEX transition_finding IF NOT EXISTS FOR (t:Transition) ON (t.finding_id);
CREATE INDEX feedback_finding IF NOT EXISTS FOR (f:Feedback) ON (f.finding_id);
// Properties only data from an earlier version has (the upgrade removes them): each load's upgrade
// finds what is left to upgrade through these instead of reading every feedback and release.
CREATE INDEX feedback_old_subject IF NOT EXISTS FOR (f:Feedback) ON (f.subject_id);
CREATE INDEX releases_old_at IF NOT EXISTS FOR ()-[x:RELEASES]-() ON (x.at);
CREATE INDEX enterprise_address IF NOT EXISTS FOR (e:Enterprise) ON (e.address);
CREATE CONSTRAINT external_listing_id IF NOT EXISTS FOR (l:ExternalListing) REQUIRE l.listing_id IS UNIQUE;
CREATE CONSTRAINT audit_checkpoint_key IF NOT EXISTS FOR (c:AuditCheckpoint) REQUIRE c.key IS UNIQUE;
CREATE INDEX audit_checkpoint_log IF NOT EXISTS FOR (c:AuditCheckpoint) ON (c.log_id);
// No relationship-property indexes on HOLDS/OWNS: every query reaches them from an indexed node,
// and such an index lured the planner into scanning it inside the loader's MERGE (30M db hits for
// 1,000 shareholdings). Drop them where an earlier schema created them.
DROP INDEX holds_role IF EXISTS;
DROP INDEX holds_start IF EXISTS;
DROP INDEX holds_end IF EXISTS;
DROP INDEX owns_start IF EXISTS
