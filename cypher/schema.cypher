// credgraph Neo4j schema: constraints and indexes.
// Generated from graph/schema.toml by `python -m credgraph.graph.codegen`; do not edit.
// Params: none. Returns: nothing. Every statement is idempotent (IF NOT EXISTS).

CREATE CONSTRAINT enterprise_key IF NOT EXISTS FOR (n:Enterprise) REQUIRE n.uscc IS UNIQUE;
CREATE CONSTRAINT person_key IF NOT EXISTS FOR (n:Person) REQUIRE n.person_id IS UNIQUE;
CREATE CONSTRAINT agency_key IF NOT EXISTS FOR (n:Agency) REQUIRE n.agency_id IS UNIQUE;
CREATE CONSTRAINT project_key IF NOT EXISTS FOR (n:Project) REQUIRE n.project_id IS UNIQUE;
CREATE CONSTRAINT penalty_key IF NOT EXISTS FOR (n:Penalty) REQUIRE n.penalty_id IS UNIQUE;
CREATE CONSTRAINT list_entry_key IF NOT EXISTS FOR (n:ListEntry) REQUIRE n.entry_id IS UNIQUE;
CREATE CONSTRAINT address_key IF NOT EXISTS FOR (n:Address) REQUIRE n.address IS UNIQUE;
CREATE CONSTRAINT phone_key IF NOT EXISTS FOR (n:Phone) REQUIRE n.phone IS UNIQUE;
CREATE CONSTRAINT email_key IF NOT EXISTS FOR (n:Email) REQUIRE n.email IS UNIQUE;
CREATE CONSTRAINT source_record_key IF NOT EXISTS FOR (n:SourceRecord) REQUIRE n.record_id IS UNIQUE;
CREATE CONSTRAINT mention_key IF NOT EXISTS FOR (n:Mention) REQUIRE n.mention_id IS UNIQUE;
CREATE CONSTRAINT review_decision_key IF NOT EXISTS FOR (n:ReviewDecision) REQUIRE n.decision_id IS UNIQUE;
CREATE CONSTRAINT load_key IF NOT EXISTS FOR (n:Load) REQUIRE n.load_id IS UNIQUE;
CREATE CONSTRAINT run_key IF NOT EXISTS FOR (n:Run) REQUIRE n.run_id IS UNIQUE;
CREATE CONSTRAINT finding_key IF NOT EXISTS FOR (n:Finding) REQUIRE n.uid IS UNIQUE;
CREATE TEXT INDEX enterprise_name_text IF NOT EXISTS FOR (n:Enterprise) ON (n.name);
CREATE TEXT INDEX person_name_text IF NOT EXISTS FOR (n:Person) ON (n.name);
CREATE TEXT INDEX agency_name_text IF NOT EXISTS FOR (n:Agency) ON (n.name);
CREATE TEXT INDEX project_name_text IF NOT EXISTS FOR (n:Project) ON (n.name);
CREATE INDEX legal_rep_of_via_mention IF NOT EXISTS FOR ()-[r:LEGAL_REP_OF]-() ON (r.via_mention);
CREATE INDEX officer_of_via_mention IF NOT EXISTS FOR ()-[r:OFFICER_OF]-() ON (r.via_mention);
CREATE INDEX shareholder_of_via_mention IF NOT EXISTS FOR ()-[r:SHAREHOLDER_OF]-() ON (r.via_mention);
CREATE INDEX guarantees_via_mention IF NOT EXISTS FOR ()-[r:GUARANTEES]-() ON (r.via_mention);
CREATE INDEX bid_on_via_mention IF NOT EXISTS FOR ()-[r:BID_ON]-() ON (r.via_mention);
CREATE INDEX controls_via_mention IF NOT EXISTS FOR ()-[r:CONTROLS]-() ON (r.via_mention);
CREATE INDEX procured_by_via_mention IF NOT EXISTS FOR ()-[r:PROCURED_BY]-() ON (r.via_mention);
CREATE INDEX has_penalty_via_mention IF NOT EXISTS FOR ()-[r:HAS_PENALTY]-() ON (r.via_mention);
CREATE INDEX has_list_entry_via_mention IF NOT EXISTS FOR ()-[r:HAS_LIST_ENTRY]-() ON (r.via_mention);
CREATE INDEX issued_by_via_mention IF NOT EXISTS FOR ()-[r:ISSUED_BY]-() ON (r.via_mention);
CREATE INDEX mentions_via_mention IF NOT EXISTS FOR ()-[r:MENTIONS]-() ON (r.via_mention);
CREATE INDEX recorded_in_via_mention IF NOT EXISTS FOR ()-[r:RECORDED_IN]-() ON (r.via_mention);
CREATE INDEX same_as_via_mention IF NOT EXISTS FOR ()-[r:SAME_AS]-() ON (r.via_mention);
CREATE INDEX maybe_same_as_via_mention IF NOT EXISTS FOR ()-[r:MAYBE_SAME_AS]-() ON (r.via_mention);
CREATE INDEX has_address_via_mention IF NOT EXISTS FOR ()-[r:HAS_ADDRESS]-() ON (r.via_mention);
CREATE INDEX has_phone_via_mention IF NOT EXISTS FOR ()-[r:HAS_PHONE]-() ON (r.via_mention);
CREATE INDEX has_email_via_mention IF NOT EXISTS FOR ()-[r:HAS_EMAIL]-() ON (r.via_mention);
CREATE INDEX finding_run IF NOT EXISTS FOR (n:Finding) ON (n.run_id, n.detector);
CREATE INDEX audit_event_seq IF NOT EXISTS FOR (n:AuditEvent) ON (n.seq);
