-- Voters' personal data sealed at rest (README: Security; fieldcrypt.go).
-- submitter_phone, submitter_address and submitter_id_number now hold
-- AES-256-GCM envelopes ("v1:<key id>:<base64>"); beside the phone its last
-- four digits (masking, the tracking look-up) and a keyed hash (HMAC-SHA256)
-- for look-ups without decrypting. The rows written before are sealed by
-- the application right after this SQL, in the same transaction.
ALTER TABLE cases ADD COLUMN submitter_phone_last4 TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN submitter_phone_hmac TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_submitter_phone_hmac ON cases (submitter_phone_hmac) WHERE submitter_phone_hmac <> '';
-- The same for the voters met in deputies' diaries, the writers of mailbox
-- letters and the phone an SMS notification goes to.
ALTER TABLE diary_entries ADD COLUMN voter_phone_last4 TEXT NOT NULL DEFAULT '';
ALTER TABLE diary_entries ADD COLUMN voter_phone_hmac TEXT NOT NULL DEFAULT '';
ALTER TABLE mailbox_letters ADD COLUMN writer_phone_last4 TEXT NOT NULL DEFAULT '';
ALTER TABLE mailbox_letters ADD COLUMN writer_phone_hmac TEXT NOT NULL DEFAULT '';
