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

CREATE FUNCTION occasion_parent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF (NEW.kind = 'reception' AND NOT EXISTS (SELECT 1 FROM receptions WHERE id = NEW.occasion_id))
		OR (NEW.kind = 'activity' AND NOT EXISTS (SELECT 1 FROM activities WHERE id = NEW.occasion_id)) THEN
		RAISE EXCEPTION '%: no such occasion', TG_TABLE_NAME USING ERRCODE = 'foreign_key_violation';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER occasion_invitees_parent BEFORE INSERT OR UPDATE OF kind, occasion_id ON occasion_invitees FOR EACH ROW EXECUTE FUNCTION occasion_parent();
CREATE TRIGGER occasion_photos_parent BEFORE INSERT OR UPDATE OF kind, occasion_id ON occasion_photos FOR EACH ROW EXECUTE FUNCTION occasion_parent();
CREATE TRIGGER occasion_cases_parent BEFORE INSERT OR UPDATE OF kind, occasion_id ON occasion_cases FOR EACH ROW EXECUTE FUNCTION occasion_parent();

CREATE FUNCTION occasion_parts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM occasion_invitees WHERE kind = TG_ARGV[0] AND occasion_id = OLD.id;
	DELETE FROM occasion_photos WHERE kind = TG_ARGV[0] AND occasion_id = OLD.id;
	DELETE FROM occasion_cases WHERE kind = TG_ARGV[0] AND occasion_id = OLD.id;
	RETURN OLD;
END $$;
CREATE TRIGGER receptions_occasion_parts AFTER DELETE ON receptions FOR EACH ROW EXECUTE FUNCTION occasion_parts_delete('reception');
CREATE TRIGGER activities_occasion_parts AFTER DELETE ON activities FOR EACH ROW EXECUTE FUNCTION occasion_parts_delete('activity');
