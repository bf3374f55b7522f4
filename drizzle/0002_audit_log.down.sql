-- Reverts 0002_audit_log: the table goes with its indexes and foreign key (the audit history is lost).
DROP TABLE IF EXISTS "audit_log";
