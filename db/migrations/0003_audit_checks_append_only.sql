-- Custom SQL migration file, put your code below! --
-- Verdicts of the audit-chain verifier are evidence too: the application may only add them.
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_chain_checks" FROM stint_app;
