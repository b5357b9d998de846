package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// A user who turns the second factor on logs in with their password and
// then a code of their authenticator app (or a recovery code, once); a
// code is accepted once, wrong codes lock the account like wrong
// passwords, and turning it off takes the password.
func TestSecondFactor(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := storetest.MustWorld(t, db)
		at(db, "2026-05-01 09:00")
		office := w.As(t, "officea")
		bg := context.Background()
		code := func(secret string) string {
			t.Helper()
			c, err := lianluo.TOTPAt(secret, db.Now())
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		tick := func() { // the next 30-second code
			now := db.Now().Add(lianluo.TOTPStep)
			storetest.ClockOf(db).Set(func() time.Time { return now })
		}

		if _, err := db.ConfirmMFA(office, "123456"); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("confirm before enrolling: %v", err)
		}
		e, err := db.BeginMFA(office)
		if err != nil || len(e.Secret) != 32 || !strings.HasPrefix(e.URI, "otpauth://totp/") {
			t.Fatalf("BeginMFA = %+v, %v", e, err)
		}
		// The secret is kept encrypted, like voters' personal data.
		var stored string
		if err := rawDB(t, db).QueryRow(`SELECT secret FROM user_mfa`).Scan(&stored); err != nil || !strings.HasPrefix(stored, "v1:") || strings.Contains(stored, e.Secret) {
			t.Errorf("stored secret = %q, %v; want it sealed", stored, err)
		}
		// Until confirmed, the password alone still logs in.
		if s, err := db.Login(bg, "officea", storetest.Password, "127.0.0.1"); err != nil || s.Token == "" {
			t.Fatalf("login while enrolling = %+v, %v", s, err)
		}
		if _, err := db.ConfirmMFA(office, "000000"); lianluo.ErrorField(err) != "code" {
			t.Errorf("confirm with a wrong code: %v", err)
		}
		recovery, err := db.ConfirmMFA(office, code(e.Secret))
		if err != nil || len(recovery) != lianluo.RecoveryCodes {
			t.Fatalf("ConfirmMFA = %v, %v", recovery, err)
		}
		if st, err := db.MFAStatus(office); err != nil || !st.Enabled || st.RecoveryLeft != lianluo.RecoveryCodes {
			t.Errorf("MFAStatus = %+v, %v", st, err)
		}
		if _, err := db.BeginMFA(office); lianluo.ErrorCode(err) != lianluo.ESTATE {
			t.Errorf("enrolling again while on: %v", err)
		}

		// The password now gives a second step, not a session.
		login := func() string {
			t.Helper()
			s, err := db.Login(bg, "officea", storetest.Password, "127.0.0.1")
			if err != nil || s.Token != "" || s.MFAToken == "" {
				t.Fatalf("login with the second factor on = %+v, %v", s, err)
			}
			return s.MFAToken
		}
		mt := login()
		// The code used to confirm is spent.
		if _, err := db.LoginMFA(bg, mt, code(e.Secret), "127.0.0.1"); lianluo.ErrorField(err) != "code" {
			t.Errorf("the confirming code again: %v", err)
		}
		tick()
		s, err := db.LoginMFA(bg, mt, code(e.Secret), "127.0.0.1")
		if err != nil || s.Token == "" || s.User.Username != "officea" {
			t.Fatalf("LoginMFA = %+v, %v", s, err)
		}
		if _, err := db.LoginMFA(bg, mt, code(e.Secret), "127.0.0.1"); lianluo.ErrorCode(err) != lianluo.EUNAUTHORIZED {
			t.Errorf("a second step used twice: %v", err)
		}
		if _, err := db.LoginMFA(bg, login(), code(e.Secret), "127.0.0.1"); lianluo.ErrorField(err) != "code" {
			t.Errorf("a code replayed in its window: %v", err)
		}

		// A recovery code works once, whatever its case and dashes.
		if s, err := db.LoginMFA(bg, login(), strings.ToUpper(recovery[0]), "127.0.0.1"); err != nil || s.Token == "" {
			t.Errorf("LoginMFA with a recovery code = %+v, %v", s, err)
		}
		if _, err := db.LoginMFA(bg, login(), recovery[0], "127.0.0.1"); lianluo.ErrorField(err) != "code" {
			t.Errorf("a recovery code used twice: %v", err)
		}
		if st, _ := db.MFAStatus(office); st.RecoveryLeft != lianluo.RecoveryCodes-1 {
			t.Errorf("recovery codes left = %d", st.RecoveryLeft)
		}
		// An expired second step.
		old := login()
		storetest.ClockOf(db).Set(func() time.Time { return time.Date(2026, 5, 1, 2, 0, 0, 0, time.UTC) })
		if _, err := db.LoginMFA(bg, old, code(e.Secret), "127.0.0.1"); lianluo.ErrorCode(err) != lianluo.EUNAUTHORIZED {
			t.Errorf("an expired second step: %v", err)
		}

		// Wrong codes count toward the lockout: after a login that cleared
		// the count, five lock the account.
		tick()
		if _, err := db.LoginMFA(bg, login(), code(e.Secret), "127.0.0.1"); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < sqlstore.MaxFailedLogins; i++ {
			if _, err := db.LoginMFA(bg, login(), "000000", "127.0.0.1"); lianluo.ErrorField(err) != "code" {
				t.Fatalf("wrong code %d: %v", i+1, err)
			}
		}
		if _, err := db.Login(bg, "officea", storetest.Password, "127.0.0.1"); lianluo.ErrorCode(err) != lianluo.EUNAUTHORIZED {
			t.Errorf("login after five wrong codes: %v", err)
		}
		storetest.ClockOf(db).Set(func() time.Time { return time.Date(2026, 5, 1, 3, 0, 0, 0, time.UTC) })

		// Turning it off takes the password; then the password alone logs in.
		office = w.As(t, "officea")
		if err := db.DisableMFA(office, "wrong"); lianluo.ErrorField(err) != "password" {
			t.Errorf("disable with a wrong password: %v", err)
		}
		if err := db.DisableMFA(office, storetest.Password); err != nil {
			t.Fatal(err)
		}
		if s, err := db.Login(bg, "officea", storetest.Password, "127.0.0.1"); err != nil || s.Token == "" {
			t.Errorf("login after disabling = %+v, %v", s, err)
		}
		var events int
		if err := rawDB(t, db).QueryRow(`SELECT COUNT(*) FROM events WHERE action = 'mfa'`).Scan(&events); err != nil || events != 2 {
			t.Errorf("mfa events = %d, %v; want on and off", events, err)
		}
	})
}
