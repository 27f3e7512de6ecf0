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
CREATE CONSTRAINT load_key IF NOT EXISTS FOR (n:Load) REQUIRE n.load_id IS UNIQUE;
CREATE CONSTRAINT run_key IF NOT EXISTS FOR (n:Run) REQUIRE n.run_id IS UNIQUE;
CREATE CONSTRAINT finding_key IF NOT EXISTS FOR (n:Finding) REQUIRE n.uid IS UNIQUE;
CREATE TEXT INDEX enterprise_name_text IF NOT EXISTS FOR (n:Enterprise) ON (n.name);
CREATE TEXT INDEX person_name_text IF NOT EXISTS FOR (n:Person) ON (n.name);
CREATE TEXT INDEX agency_name_text IF NOT EXISTS FOR (n:Agency) ON (n.name);
CREATE TEXT INDEX project_name_text IF NOT EXISTS FOR (n:Project) ON (n.name);
CREATE INDEX finding_run IF NOT EXISTS FOR (n:Finding) ON (n.run_id, n.detector);
CREATE INDEX audit_event_seq IF NOT EXISTS FOR (n:AuditEvent) ON (n.seq);
