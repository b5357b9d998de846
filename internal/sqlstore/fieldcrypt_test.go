package sqlstore_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// A voter's details distinctive enough to be searched for as bytes.
var sealedVoter = lianluo.Submitter{Name: "李四", Phone: "13987650123", Address: "百灵路幸福苑17幢302室", IDNumber: "330206198807154329"}

func sealedCase(t *testing.T, w *caseWorld) *lianluo.Case {
	t.Helper()
	return sealedCaseWith(t, w, "楼道灯不亮，请尽快修复。")
}

func sealedCaseWith(t *testing.T, w *caseWorld, content string) *lianluo.Case {
	t.Helper()
	c, err := w.DB.CreateCase(w.As(t, "liaisona"), lianluo.CaseInput{
		Channel: "visit", StationID: &w.StationA.ID, Title: "楼道照明", Content: content,
		Category: "城乡建设", RegionCode: "330206004", Submitter: sealedVoter, ReceivedBy: []int64{w.DeputyA1.ID},
	})
	if err != nil {
		t.Fatalf("CreateCase: %v", err)
	}
	return c
}

func plaintextIn(b []byte) []string {
	var found []string
	for _, s := range []string{sealedVoter.Phone, sealedVoter.Address, sealedVoter.IDNumber} {
		if bytes.Contains(b, []byte(s)) {
			found = append(found, s)
		}
	}
	return found
}

// checkSealedColumns checks the raw columns hold envelopes of key id
// (any key when ""), the phone's last four digits and a look-up hash.
func checkSealedColumns(t *testing.T, db *sqlstore.DB, id int64, key string) {
	t.Helper()
	rows := query(t, db, `SELECT submitter_phone || '|' || submitter_address || '|' || submitter_id_number || '|' || submitter_phone_last4 || '|' || submitter_phone_hmac FROM cases WHERE id = `+itoa(id))
	if len(rows) != 1 {
		t.Fatalf("rows = %v", rows)
	}
	f := strings.Split(strings.Trim(rows[0], "[]"), "|")
	if len(f) != 5 {
		t.Fatalf("columns = %q", rows[0])
	}
	for _, v := range f[:3] {
		if !strings.HasPrefix(v, "v1:"+key) {
			t.Errorf("stored %q; want a v1 envelope of key %q", v, key)
		}
	}
	if f[3] != "0123" || len(f[4]) != 64 {
		t.Errorf("last four %q, hash %q", f[3], f[4])
	}
	if p := plaintextIn([]byte(rows[0])); len(p) > 0 {
		t.Errorf("plaintext %v in the columns", p)
	}
}

// sealedVoterElsewhere has the voter met by a deputy, sent a confirmation
// code by text message (a notification to their phone), and writing a letter.
func sealedVoterElsewhere(t *testing.T, w *caseWorld) {
	t.Helper()
	db := w.DB
	dep := w.As(t, "deputya")
	e, err := db.CreateDiaryEntry(dep, lianluo.DiaryInput{VisitedAt: "2026-03-01T15:00", Place: "社区活动室", VoterName: sealedVoter.Name,
		VoterPhone: sealedVoter.Phone, VoterAddress: sealedVoter.Address, Content: "楼道灯不亮。", Category: "小区物业"})
	if err != nil {
		t.Fatal(err)
	}
	if e.Voter.Phone != sealedVoter.Phone || e.Voter.Address != sealedVoter.Address {
		t.Errorf("own diary entry's voter = %+v", e.Voter)
	}
	if err := db.SendDiaryCode(dep, e.ID); err != nil {
		t.Fatal(err)
	}
	o, err := db.RecordOpening(w.As(t, "liaisona"), w.StationA.ID, lianluo.OpeningInput{OpenedAt: "2026-03-02T09:00", OpenedBy: []string{"周敏"},
		Letters: []lianluo.Letter{{Content: "楼道灯不亮。", WriterName: sealedVoter.Name, WriterPhone: sealedVoter.Phone, WriterAddress: sealedVoter.Address}}})
	if err != nil {
		t.Fatal(err)
	}
	if l := o.Letters[0]; l.WriterPhone != lianluo.MaskPhone(sealedVoter.Phone) || l.WriterAddress != "百灵路幸福苑****" {
		t.Errorf("letter shown as %q, %q", l.WriterPhone, l.WriterAddress)
	}
}

// checkSealedElsewhere checks the diary entry, the letter and the text
// message hold the voter's phone and address sealed.
func checkSealedElsewhere(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	if n := query(t, db, `SELECT COUNT(*) FROM diary_entries WHERE voter_phone_last4 = '0123' AND voter_phone LIKE 'v1:%' AND voter_address LIKE 'v1:%'`,
		`SELECT COUNT(*) FROM mailbox_letters WHERE writer_phone_last4 = '0123' AND writer_phone LIKE 'v1:%' AND writer_address LIKE 'v1:%'`,
		`SELECT COUNT(*) FROM notifications WHERE phone LIKE 'v1:%'`); strings.Join(n, " ") != "[1] [1] [1]" {
		t.Errorf("sealed diary entries, letters, text messages = %v; want one each", n)
	}
}

// No voter phone, address or ID number is plaintext at rest: not in the
// SQLite file, its WAL or a backup, nor in PostgreSQL's rows as text —
// while reveals, masking, the tracking look-up and exports still work.
func TestPersonalDataSealedAtRest(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		c := sealedCase(t, w)
		checkSealedColumns(t, db, c.ID, "")
		sealedVoterElsewhere(t, w)
		checkSealedElsewhere(t, db)
		notes, _, err := db.FindNotifications(w.As(t, "admin"), lianluo.NotificationFilter{Channel: "sms"})
		if err != nil || len(notes) != 1 || notes[0].Phone != lianluo.MaskPhone(sealedVoter.Phone) {
			t.Errorf("outbox list = %v, %v", notes, err)
		}
		if db.Dialect == sqlstore.SQLite {
			backup := filepath.Join(t.TempDir(), "backup.db")
			if err := db.Backup(storetest.SystemContext(), backup); err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{db.URL, db.URL + "-wal", backup} {
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				if found := plaintextIn(b); len(found) > 0 {
					t.Errorf("%s holds %v in plaintext", filepath.Base(p), found)
				}
			}
			// The backup opens only with the key: without it (a new key
			// file is made beside it, and removed again) the start stops.
			if _, err := sqlstore.Open(storetest.SystemContext(), sqlstore.Config{DatabaseURL: "sqlite:" + backup, PasswordHash: sqlstore.PasswordHashForTests}); err == nil ||
				!strings.Contains(err.Error(), "LIANLUO_KEY_FILE") {
				t.Errorf("backup opened without its key: %v", err)
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(backup), sqlstore.KeyFileName)); err == nil {
				t.Error("a key file made for the backup was left behind")
			}
			cp, err := sqlstore.Open(storetest.SystemContext(), sqlstore.Config{DatabaseURL: "sqlite:" + backup, PasswordHash: sqlstore.PasswordHashForTests, KeyFile: db.KeyFile()})
			if err != nil {
				t.Fatal(err)
			}
			defer cp.Close()
			if got, err := cp.RevealSubmitter(w.As(t, "officea"), c.ID, lianluo.RevealReason{Purpose: lianluo.RevealCallback, Text: "核对备份数据"}); err != nil || got.Phone != sealedVoter.Phone {
				t.Errorf("revealed from the backup: %+v, %v", got, err)
			}
		} else {
			// Every column of every row of the table, as pg_dump would read it.
			rows := query(t, db, `SELECT CAST(c AS TEXT) FROM cases c`, `SELECT CAST(e AS TEXT) FROM diary_entries e`,
				`SELECT CAST(l AS TEXT) FROM mailbox_letters l`, `SELECT CAST(n AS TEXT) FROM notifications n`)
			if found := plaintextIn([]byte(strings.Join(rows, "\n"))); len(found) > 0 {
				t.Errorf("rows hold %v in plaintext", found)
			}
		}

		// Those who may reveal get the details back; the case shows them masked.
		got, err := db.RevealSubmitter(w.As(t, "officea"), c.ID, lianluo.RevealReason{Purpose: lianluo.RevealCallback, Text: "约定上门时间"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Phone != sealedVoter.Phone || got.Address != sealedVoter.Address || got.IDNumber != sealedVoter.IDNumber {
			t.Errorf("revealed %+v", got)
		}
		shown, err := db.FindCaseByID(w.As(t, "officea"), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if shown.Submitter.Phone != lianluo.MaskPhone(sealedVoter.Phone) || !strings.HasSuffix(shown.Submitter.Phone, "0123") ||
			shown.Submitter.IDNumber != lianluo.MaskIDNumber(sealedVoter.IDNumber) || shown.Submitter.Address != "百灵路幸福苑****" {
			t.Errorf("shown %+v", shown.Submitter)
		}
		list, _, err := db.FindCases(w.As(t, "officea"), lianluo.CaseFilter{})
		if err != nil || len(list) == 0 || list[0].Submitter.Phone != lianluo.MaskPhone(sealedVoter.Phone) {
			t.Errorf("list = %v, %v", list, err)
		}

		// The tracking look-up compares the stored last four digits.
		if _, err := db.FollowOpinion(storetest.SystemContext(), c.TrackingCode, "0123"); err != nil {
			t.Errorf("FollowOpinion with the right digits: %v", err)
		}
		if _, err := db.FollowOpinion(storetest.SystemContext(), c.TrackingCode, "9999"); lianluo.ErrorCode(err) != lianluo.ENOTFOUND {
			t.Errorf("FollowOpinion with wrong digits = %v; want not found", err)
		}

		// The export masks the submitter's address where the voter typed it
		// into the content (free text, not sealed): the address was opened.
		c = sealedCaseWith(t, w, "家住"+sealedVoter.Address+"，楼道灯不亮。")
		var content string
		if _, err := db.EachCaseForExport(w.As(t, "officea"), lianluo.CaseFilter{}, func(r *lianluo.CaseExportRow) error {
			if r.ID == c.ID {
				content = r.Content
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if content == "" || strings.Contains(content, sealedVoter.Address) {
			t.Errorf("exported content %q", content)
		}
	})
}

// Rows written before 0017 are sealed by its step when the database migrates.
func TestPersonalDataMigrationSealsOldRows(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		c := sealedCase(t, w)
		sealedVoterElsewhere(t, w)
		exec(t, db, migrationsDown(db, 16)...)
		exec(t, db, `UPDATE cases SET submitter_phone = '`+sealedVoter.Phone+`', submitter_address = '`+sealedVoter.Address+
			`', submitter_id_number = '`+sealedVoter.IDNumber+`' WHERE id = `+itoa(c.ID),
			`UPDATE diary_entries SET voter_phone = '`+sealedVoter.Phone+`', voter_address = '`+sealedVoter.Address+`'`,
			`UPDATE mailbox_letters SET writer_phone = '`+sealedVoter.Phone+`', writer_address = '`+sealedVoter.Address+`'`,
			`UPDATE notifications SET phone = '`+sealedVoter.Phone+`' WHERE phone <> ''`)
		if err := db.Migrate(storetest.SystemContext()); err != nil {
			t.Fatal(err)
		}
		checkSealedColumns(t, db, c.ID, "")
		checkSealedElsewhere(t, db)
		if db.Dialect == sqlstore.SQLite {
			// The plaintext the rows held is gone from freed pages and the WAL too.
			for _, p := range []string{db.URL, db.URL + "-wal"} {
				b, err := os.ReadFile(p)
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				if found := plaintextIn(b); len(found) > 0 {
					t.Errorf("%s holds %v in plaintext after the migration", filepath.Base(p), found)
				}
			}
		}
		got, err := db.RevealSubmitter(w.As(t, "officea"), c.ID, lianluo.RevealReason{Purpose: lianluo.RevealCallback, Text: "约定上门时间"})
		if err != nil || got.Phone != sealedVoter.Phone || got.Address != sealedVoter.Address || got.IDNumber != sealedVoter.IDNumber {
			t.Errorf("revealed %+v, %v", got, err)
		}
	})
}

// A rotation re-seals every value with a new key and keeps the old one in
// the file; the values still open, in this process and in a new one.
func TestRotateKeys(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if db.Dialect == sqlstore.Postgres {
			// Not the process's shared key file: a copy of it.
			b, err := os.ReadFile(db.KeyFile())
			if err != nil {
				t.Fatal(err)
			}
			kf := filepath.Join(t.TempDir(), "lianluo.key")
			if err := os.WriteFile(kf, b, 0o600); err != nil {
				t.Fatal(err)
			}
			other, err := sqlstore.Open(storetest.SystemContext(), sqlstore.Config{DatabaseURL: db.URL, PasswordHash: sqlstore.PasswordHashForTests, Now: db.Now, KeyFile: kf})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			db = other
		}
		w := mustCaseWorld(t, db)
		c := sealedCase(t, w)
		sealedVoterElsewhere(t, w)
		// Another instance on the same database and key file, running
		// meanwhile: it reads the new key when it first meets a value sealed with it.
		url := db.URL
		if db.Dialect == sqlstore.SQLite {
			url = "sqlite:" + url
		}
		again, err := sqlstore.Open(storetest.SystemContext(), sqlstore.Config{DatabaseURL: url, PasswordHash: sqlstore.PasswordHashForTests, Now: db.Now, KeyFile: db.KeyFile()})
		if err != nil {
			t.Fatal(err)
		}
		defer again.Close()
		id, err := db.RotateKeys(storetest.SystemContext())
		if err != nil {
			t.Fatal(err)
		}
		checkSealedColumns(t, db, c.ID, id+":")
		newKey := `LIKE 'v1:` + id + `:%'`
		if n := query(t, db, `SELECT COUNT(*) FROM diary_entries WHERE voter_phone `+newKey+` AND voter_address `+newKey,
			`SELECT COUNT(*) FROM mailbox_letters WHERE writer_phone `+newKey+` AND writer_address `+newKey,
			`SELECT COUNT(*) FROM notifications WHERE phone `+newKey); strings.Join(n, " ") != "[1] [1] [1]" {
			t.Errorf("diary entries, letters, text messages sealed with the new key = %v; want one each", n)
		}
		b, err := os.ReadFile(db.KeyFile())
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(b), "\nk"); n != 2 {
			t.Errorf("key file holds %d keys; want 2:\n%s", n, b)
		}
		if fi, err := os.Stat(db.KeyFile()); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("key file mode %v, %v", fi.Mode(), err)
		}
		for _, d := range []*sqlstore.DB{db, again} {
			got, err := d.RevealSubmitter(w.As(t, "officea"), c.ID, lianluo.RevealReason{Purpose: lianluo.RevealCallback, Text: "约定上门时间"})
			if err != nil || got.Phone != sealedVoter.Phone || got.Address != sealedVoter.Address || got.IDNumber != sealedVoter.IDNumber {
				t.Errorf("revealed %+v, %v", got, err)
			}
		}
	})
}

// PostgreSQL without a key file does not start, and says why.
func TestPostgresNeedsKeyFile(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		if db.Dialect != sqlstore.Postgres {
			return
		}
		_, err := sqlstore.Open(storetest.SystemContext(), sqlstore.Config{DatabaseURL: db.URL, PasswordHash: sqlstore.PasswordHashForTests})
		if err == nil || !strings.Contains(err.Error(), "LIANLUO_KEY_FILE") {
			t.Errorf("Open without a key file = %v", err)
		}
	})
}

// Processes starting at once on a new data folder end up with one key file.
func TestGenerateKeyFileOnce(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), sqlstore.KeyFileName)
	errs := make(chan error, 8)
	for range 8 {
		go func() { errs <- sqlstore.GenerateKeyFile(path) }()
	}
	made := 0
	for range 8 {
		if err := <-errs; err == nil {
			made++
		} else if !errors.Is(err, os.ErrExist) {
			t.Errorf("GenerateKeyFile: %v", err)
		}
	}
	b, err := os.ReadFile(path)
	if made != 1 || err != nil || strings.Count(string(b), "\nk") != 1 {
		t.Errorf("made %d, file %q, %v", made, b, err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".lianluo-key-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
