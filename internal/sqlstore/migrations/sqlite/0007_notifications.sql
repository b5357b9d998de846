-- Notifications for real (docs/design.md): where a non-SMS row delivers, and each
-- user's channels beyond the in-app inbox.

-- An e-mail address, or a robot's webhook when it is not the deployment's
-- default robot; '' for in-app and SMS rows (SMS uses phone).
ALTER TABLE notifications ADD COLUMN address TEXT NOT NULL DEFAULT '';

-- 通知设置: the channels a user wants beyond in-app, which every user gets.
-- A user without a row gets the default: text messages only. The e-mail
-- address lives here, not on users: it is used for nothing else.
CREATE TABLE notification_prefs (
	user_id       INTEGER PRIMARY KEY REFERENCES users (id),
	sms           BOOLEAN NOT NULL DEFAULT TRUE,
	email         BOOLEAN NOT NULL DEFAULT FALSE,
	wecom         BOOLEAN NOT NULL DEFAULT FALSE,
	dingtalk      BOOLEAN NOT NULL DEFAULT FALSE,
	email_address TEXT NOT NULL DEFAULT '',
	updated_at    TIMESTAMP NOT NULL
);
