-- The occasion tables (0012) hold rows of two kinds' occasions, so no
-- foreign key can name their parent; these triggers do what one would:
-- a row must name an occasion that exists, and an occasion deleted (a
-- draft session remade with the rota) takes its invitees, photos and
-- linked cases with it. Rows left behind before this migration go.

DELETE FROM occasion_invitees WHERE (kind = 'reception' AND occasion_id NOT IN (SELECT id FROM receptions))
	OR (kind = 'activity' AND occasion_id NOT IN (SELECT id FROM activities));
DELETE FROM occasion_photos WHERE (kind = 'reception' AND occasion_id NOT IN (SELECT id FROM receptions))
	OR (kind = 'activity' AND occasion_id NOT IN (SELECT id FROM activities));
DELETE FROM occasion_cases WHERE (kind = 'reception' AND occasion_id NOT IN (SELECT id FROM receptions))
	OR (kind = 'activity' AND occasion_id NOT IN (SELECT id FROM activities));

CREATE TRIGGER occasion_invitees_parent BEFORE INSERT ON occasion_invitees
WHEN (NEW.kind = 'reception' AND NOT EXISTS (SELECT 1 FROM receptions WHERE id = NEW.occasion_id))
	OR (NEW.kind = 'activity' AND NOT EXISTS (SELECT 1 FROM activities WHERE id = NEW.occasion_id))
BEGIN SELECT RAISE(ABORT, 'occasion_invitees: no such occasion'); END;
CREATE TRIGGER occasion_photos_parent BEFORE INSERT ON occasion_photos
WHEN (NEW.kind = 'reception' AND NOT EXISTS (SELECT 1 FROM receptions WHERE id = NEW.occasion_id))
	OR (NEW.kind = 'activity' AND NOT EXISTS (SELECT 1 FROM activities WHERE id = NEW.occasion_id))
BEGIN SELECT RAISE(ABORT, 'occasion_photos: no such occasion'); END;
CREATE TRIGGER occasion_cases_parent BEFORE INSERT ON occasion_cases
WHEN (NEW.kind = 'reception' AND NOT EXISTS (SELECT 1 FROM receptions WHERE id = NEW.occasion_id))
	OR (NEW.kind = 'activity' AND NOT EXISTS (SELECT 1 FROM activities WHERE id = NEW.occasion_id))
BEGIN SELECT RAISE(ABORT, 'occasion_cases: no such occasion'); END;

-- (One statement per trigger: the driver runs a migration as one script.)
CREATE TRIGGER receptions_occasion_invitees AFTER DELETE ON receptions BEGIN DELETE FROM occasion_invitees WHERE kind = 'reception' AND occasion_id = OLD.id; END;
CREATE TRIGGER receptions_occasion_photos AFTER DELETE ON receptions BEGIN DELETE FROM occasion_photos WHERE kind = 'reception' AND occasion_id = OLD.id; END;
CREATE TRIGGER receptions_occasion_cases AFTER DELETE ON receptions BEGIN DELETE FROM occasion_cases WHERE kind = 'reception' AND occasion_id = OLD.id; END;
CREATE TRIGGER activities_occasion_invitees AFTER DELETE ON activities BEGIN DELETE FROM occasion_invitees WHERE kind = 'activity' AND occasion_id = OLD.id; END;
CREATE TRIGGER activities_occasion_photos AFTER DELETE ON activities BEGIN DELETE FROM occasion_photos WHERE kind = 'activity' AND occasion_id = OLD.id; END;
CREATE TRIGGER activities_occasion_cases AFTER DELETE ON activities BEGIN DELETE FROM occasion_cases WHERE kind = 'activity' AND occasion_id = OLD.id; END;
