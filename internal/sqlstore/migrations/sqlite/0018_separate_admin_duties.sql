-- 三员分立 (README: Security): the one administrator role "admin" is split
-- into system_admin (accounts, registry, settings), security_admin
-- (security settings, grants review, unlocking) and auditor (the audit
-- trail). Every existing administrator becomes the system administrator;
-- the security administrator and the auditor are new accounts, created with
-- `lianluo user add --role security_admin|auditor`. The step after this
-- SQL (migrate.go) records each changed account in the audit trail.
UPDATE user_roles SET role = 'system_admin' WHERE role = 'admin';

-- The security settings required the second factor of "admin": they now
-- require it of the three administrator roles.
UPDATE settings SET value = replace(value, '"admin"', '"system_admin","security_admin","auditor"')
WHERE key = 'security';
