package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"lianluo"
)

// Ballots (民主测评, lianluo.Ballot; migration 0027): opened by a 述职 or
// an appraisal inside its own transaction (openBallot), voted on by voters
// at /ballot/{token}, closed by staff or by the job a day after the
// meeting. Closing hands the tally to the subject (ballotClosers).

// ballotClosers hand a closed ballot's tally to its subject, inside the
// closing transaction: the deputy's notice and records for a 述职
// (report_plan.go). A subject kind without one simply closes.
var ballotClosers = map[lianluo.BallotSubject]func(ctx context.Context, tx *Tx, b *lianluo.Ballot) error{
	lianluo.BallotReport: closeReportBallot,
}

// votesPerAddrHour bounds the votes from one network address on one
// ballot in an hour: a meeting hall's Wi-Fi carries a whole meeting (the
// norm is at least 50 voters, 003 述职制度 五), a script far more.
const votesPerAddrHour = 200

// newBallotToken is the secret of a ballot's public address: 144 random
// bits, URL-safe.
func newBallotToken() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// openBallot opens a ballot on the subject for the voters of the activity
// (closing BallotGrace after its end) in the caller's transaction; the
// caller has checked the actor may manage the activity.
func openBallot(ctx context.Context, tx *Tx, kind lianluo.BallotSubject, subjectID int64, act *lianluo.Activity, title string, items []lianluo.BallotItem) (*lianluo.Ballot, error) {
	b := &lianluo.Ballot{SubjectKind: kind, SubjectID: subjectID, ActivityID: act.ID, Title: title, Items: items,
		Token: newBallotToken(), ClosesAt: lianluo.BallotClosesAt(act.EndsAt), Status: lianluo.BallotOpen, Version: 1, PaperVersion: 1}
	err := tx.QueryRow(ctx, `INSERT INTO ballots (
			subject_kind,
			subject_id,
			activity_id,
			title,
			token,
			closes_at,
			status,
			created_at,
			updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
		string(kind), subjectID, act.ID, title, b.Token, b.ClosesAt.UTC(), string(b.Status), tx.now).Scan(&b.ID)
	if isUniqueViolation(err) {
		return nil, lianluo.Errorf(lianluo.ECONFLICT, "已为该事项开启过民主测评。")
	} else if err != nil {
		return nil, err
	}
	for i, it := range items {
		if _, err := tx.Exec(ctx, `INSERT INTO ballot_items (ballot_id, position, item, label) VALUES ($1, $2, $3, $4)`,
			b.ID, i, it.Key, it.Label); err != nil {
			return nil, err
		}
	}
	return b, tx.event(ctx, lianluo.EntityActivity, act.ID, lianluo.AuditCreate, "开启民主测评："+title)
}

const ballotColumns = `id, subject_kind, subject_id, activity_id, title, token, closes_at, closed_at, status, paper_version, version`

func scanBallot(sc interface{ Scan(...any) error }, b *lianluo.Ballot) error {
	var kind, status string
	err := sc.Scan(&b.ID, &kind, &b.SubjectID, &b.ActivityID, &b.Title, &b.Token, &b.ClosesAt, &b.ClosedAt, &status, &b.PaperVersion, &b.Version)
	b.SubjectKind, b.Status = lianluo.BallotSubject(kind), lianluo.BallotStatus(status)
	b.ClosesAt = b.ClosesAt.In(lianluo.Beijing)
	if b.ClosedAt != nil {
		t := b.ClosedAt.In(lianluo.Beijing)
		b.ClosedAt = &t
	}
	return err
}

// loadBallot reads a ballot and its items by a column (id or token); no scope.
func loadBallot(ctx context.Context, c conn, col string, v any) (*lianluo.Ballot, error) {
	var b lianluo.Ballot
	err := scanBallot(c.QueryRow(ctx, `SELECT `+ballotColumns+` FROM ballots WHERE `+col+` = $1`, v), &b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("民主测评")
	} else if err != nil {
		return nil, err
	}
	b.Items = []lianluo.BallotItem{}
	err = scanEach(ctx, c, `SELECT item, label FROM ballot_items WHERE ballot_id = $1 ORDER BY position`, []any{b.ID}, func(sc func(...any) error) error {
		var it lianluo.BallotItem
		if err := sc(&it.Key, &it.Label); err != nil {
			return err
		}
		b.Items = append(b.Items, it)
		return nil
	})
	return &b, err
}

// ballotInScope reads a ballot whose activity is in the caller's scope (a
// ballot of another region's activity is not found), with whether the
// caller may manage it.
func ballotInScope(ctx context.Context, c conn, id int64) (*lianluo.Ballot, *lianluo.Activity, error) {
	b, err := loadBallot(ctx, c, "id", id)
	if err != nil {
		return nil, nil, err
	}
	act, err := findActivity(ctx, c, b.ActivityID)
	if lianluo.Is(err, lianluo.ENOTFOUND) {
		return nil, nil, lianluo.NotFound("民主测评")
	} else if err != nil {
		return nil, nil, err
	}
	a := lianluo.ActorFromContext(ctx)
	manage, _, err := activityRole(ctx, c, a, act)
	if err != nil {
		return nil, nil, err
	}
	b.CanManage = lianluo.CanManageBallot(a, manage, b)
	return b, act, nil
}

// manageableBallot is ballotInScope for a change: forbidden unless the
// caller may manage the ballot.
func manageableBallot(ctx context.Context, c conn, id int64) (*lianluo.Ballot, error) {
	b, _, err := ballotInScope(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if !b.CanManage {
		return nil, lianluo.Forbidden()
	}
	return b, nil
}

// ballotTally adds up a ballot's votes and paper counts.
func ballotTally(ctx context.Context, c conn, b *lianluo.Ballot) (*lianluo.BallotTally, error) {
	online, paper := map[string]lianluo.ChoiceCounts{}, map[string]lianluo.ChoiceCounts{}
	err := scanEach(ctx, c, `SELECT item, choice, COUNT(*) FROM ballot_answers WHERE ballot_id = $1 GROUP BY item, choice`, []any{b.ID},
		func(sc func(...any) error) error {
			var item, choice string
			var n int
			if err := sc(&item, &choice, &n); err != nil {
				return err
			}
			cc := online[item]
			cc.Add(lianluo.BallotChoice(choice), n)
			online[item] = cc
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = scanEach(ctx, c, `SELECT item, satisfied, basic, dissatisfied FROM ballot_paper WHERE ballot_id = $1`, []any{b.ID},
		func(sc func(...any) error) error {
			var item string
			var cc lianluo.ChoiceCounts
			if err := sc(&item, &cc.Satisfied, &cc.Basic, &cc.Dissatisfied); err != nil {
				return err
			}
			paper[item] = cc
			return nil
		})
	if err != nil {
		return nil, err
	}
	var voters int
	var comments []string
	err = scanEach(ctx, c, `SELECT comment FROM ballot_votes WHERE ballot_id = $1 ORDER BY id`, []any{b.ID}, func(sc func(...any) error) error {
		var s string
		if err := sc(&s); err != nil {
			return err
		}
		voters++
		comments = append(comments, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return lianluo.NewBallotTally(b, online, paper, voters, comments), nil
}

// FindBallotByID returns a ballot in scope with its tally. Only whoever
// may manage it sees its token (the poster's address).
func (db *DB) FindBallotByID(ctx context.Context, id int64) (_ *lianluo.Ballot, err error) {
	defer wrap(&err, "FindBallotByID(%d)", id)
	if _, err := lianluo.RequireActor(ctx); err != nil {
		return nil, err
	}
	c := db.reader()
	b, _, err := ballotInScope(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if b.Tally, err = ballotTally(ctx, c, b); err != nil {
		return nil, err
	}
	if !b.CanManage {
		b.Token = ""
	}
	return b, nil
}

// FindActivityBallots returns the ballots held at an activity in scope,
// oldest first, each as FindBallotByID gives it.
func (db *DB) FindActivityBallots(ctx context.Context, activityID int64) (_ []*lianluo.Ballot, err error) {
	defer wrap(&err, "FindActivityBallots(%d)", activityID)
	if _, err := lianluo.RequireActor(ctx); err != nil {
		return nil, err
	}
	ids, err := queryIDs(ctx, db.reader(), `SELECT id FROM ballots WHERE activity_id = $1 ORDER BY id`, activityID)
	if err != nil {
		return nil, err
	}
	out := []*lianluo.Ballot{}
	for _, id := range ids {
		b, err := db.FindBallotByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// CloseBallot ends the voting and hands the tally to the subject.
func (db *DB) CloseBallot(ctx context.Context, id int64, version int) (_ *lianluo.Ballot, err error) {
	defer wrap(&err, "CloseBallot(%d)", id)
	if _, err := lianluo.RequireActor(ctx); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		b, err := manageableBallot(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := lianluo.CheckVersion("该测评", version, b.Version); err != nil {
			return err
		}
		if b.Status != lianluo.BallotOpen {
			return lianluo.Errorf(lianluo.ESTATE, "该测评已经结束。")
		}
		return closeBallot(ctx, tx, b)
	})
	if err != nil {
		return nil, err
	}
	return db.FindBallotByID(ctx, id)
}

// closeBallot closes an open ballot in tx: the tally in words is kept on
// the row (the ledger and the performance record read it) and the
// subject's closer tells whom it concerns.
func closeBallot(ctx context.Context, tx *Tx, b *lianluo.Ballot) error {
	t, err := ballotTally(ctx, tx.conn, b)
	if err != nil {
		return err
	}
	b.Tally = t
	res, err := tx.Exec(ctx, `UPDATE ballots SET status = $1, closed_at = $2, closed_by = $3, summary = $4, version = version + 1, updated_at = $2
		WHERE id = $5 AND status = $6`, string(lianluo.BallotClosed), tx.now, userRef(lianluo.ActorFromContext(ctx)), t.Summary(), b.ID, string(lianluo.BallotOpen))
	if err != nil {
		return err
	}
	if err := checkOne(res); err != nil {
		return err
	}
	now := tx.now
	b.Status, b.ClosedAt, b.Version = lianluo.BallotClosed, &now, b.Version+1
	if fn := ballotClosers[b.SubjectKind]; fn != nil {
		if err := fn(ctx, tx, b); err != nil {
			return err
		}
	}
	return tx.event(ctx, lianluo.EntityActivity, b.ActivityID, lianluo.AuditUpdate, "结束民主测评："+b.Title+"。"+t.Summary())
}

// CloseDueBallots closes the open ballots whose time is up (the job
// ballot_closing), each in a transaction of its own, and returns how many.
func (db *DB) CloseDueBallots(ctx context.Context) (n int, err error) {
	defer wrap(&err, "CloseDueBallots")
	ctx = lianluo.NewContextWithActor(ctx, lianluo.SystemActor())
	ids, err := queryIDs(ctx, db.reader(), `SELECT id FROM ballots WHERE status = $1 AND closes_at <= $2 ORDER BY id`,
		string(lianluo.BallotOpen), db.Now().UTC())
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		err := db.transact(ctx, func(tx *Tx) error {
			b, err := loadBallot(ctx, tx.conn, "id", id)
			if err != nil {
				return err
			}
			if !b.Due(tx.now) {
				return nil // closed by staff meanwhile
			}
			return closeBallot(ctx, tx, b)
		})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// SetBallotPaper enters the paper ballots' counts, replacing those of the
// items listed; the ballot may be closed (paper ballots are often counted
// after the meeting) but then its summary is brought up to date too.
func (db *DB) SetBallotPaper(ctx context.Context, id int64, p lianluo.BallotPaper) (_ *lianluo.Ballot, err error) {
	defer wrap(&err, "SetBallotPaper(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		b, err := manageableBallot(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if err := lianluo.CheckVersion("纸质票数", p.Version, b.PaperVersion); err != nil {
			return err
		}
		if err := p.Validate(b); err != nil {
			return err
		}
		var what []string
		for _, it := range p.Items {
			if _, err := tx.Exec(ctx, `INSERT INTO ballot_paper (ballot_id, item, satisfied, basic, dissatisfied, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (ballot_id, item) DO UPDATE SET satisfied = excluded.satisfied, basic = excluded.basic,
					dissatisfied = excluded.dissatisfied, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
				b.ID, it.Key, it.Satisfied, it.Basic, it.Dissatisfied, userRef(a), tx.now); err != nil {
				return err
			}
			what = append(what, it.ChoiceCounts.Text())
		}
		if _, err := tx.Exec(ctx, `UPDATE ballots SET paper_version = paper_version + 1, updated_at = $1 WHERE id = $2`, tx.now, b.ID); err != nil {
			return err
		}
		if b.Status == lianluo.BallotClosed {
			t, err := ballotTally(ctx, tx.conn, b)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE ballots SET summary = $1 WHERE id = $2`, t.Summary(), b.ID); err != nil {
				return err
			}
		}
		return tx.event(ctx, lianluo.EntityActivity, b.ActivityID, lianluo.AuditUpdate, "登记纸质测评票："+b.Title+"，"+strings.Join(what, "；"))
	})
	if err != nil {
		return nil, err
	}
	return db.FindBallotByID(ctx, id)
}

// PublicBallot returns what a voter sees of the ballot of a token.
func (db *DB) PublicBallot(ctx context.Context, token string) (_ *lianluo.PublicBallot, err error) {
	defer wrap(&err, "PublicBallot")
	c := db.reader()
	b, err := loadBallot(ctx, c, "token", strings.TrimSpace(token))
	if err != nil {
		return nil, err
	}
	var meeting string
	if err := c.QueryRow(ctx, `SELECT title FROM activities WHERE id = $1`, b.ActivityID).Scan(&meeting); err != nil {
		return nil, err
	}
	return &lianluo.PublicBallot{Title: b.Title, Meeting: meeting, Items: b.Items, Open: b.Accepts(db.Now()) == nil, ClosesAt: b.ClosesAt}, nil
}

// phoneHashes are the phone's look-up hashes under every key of the
// keyring, newest first: a vote after a key rotation still finds the
// same phone's earlier vote, though no phone number is stored.
func (kr *keyring) phoneHashes(phone string) []string {
	cur := kr.phoneHash(phone)
	if cur == "" {
		return nil
	}
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, phone)
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	out := []string{cur}
	for i := len(kr.keys) - 2; i >= 0; i-- {
		m := hmac.New(sha256.New, kr.keys[i].mac)
		m.Write([]byte(d))
		out = append(out, hex.EncodeToString(m.Sum(nil)))
	}
	return out
}

// errAlreadyVoted is a second vote from the same phone.
var errAlreadyVoted = lianluo.Errorf(lianluo.ECONFLICT, "这个手机号码已经投过票了，每个手机号码只能投一次。感谢您的参与！")

// CastVote records a voter's marks: one vote per phone number (its keyed
// hash, fieldcrypt.go; the number itself is not kept), on an open ballot,
// at most votesPerAddrHour from one address. The comment is kept masked.
func (db *DB) CastVote(ctx context.Context, token string, v lianluo.BallotVote) (err error) {
	defer wrap(&err, "CastVote")
	key, err := db.hashKey(ctx)
	if err != nil {
		return err
	}
	addrHash := keyedHash(key, "addr", lianluo.ClientAddrFromContext(ctx))
	ctx = publicActor(ctx)
	return db.transact(ctx, func(tx *Tx) error {
		b, err := loadBallot(ctx, tx.conn, "token", strings.TrimSpace(token))
		if err != nil {
			return err
		}
		if err := b.Accepts(tx.now); err != nil {
			return err
		}
		if err := v.Validate(b); err != nil {
			return err
		}
		hashes := tx.db.keys.phoneHashes(v.Phone)
		var w where
		w.add("ballot_id = " + w.arg(b.ID))
		ph := make([]string, len(hashes))
		for i, h := range hashes {
			ph[i] = w.arg(h)
		}
		w.add("phone_hash IN (" + strings.Join(ph, ", ") + ")")
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM ballot_votes`+w.String(), w.args...).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return errAlreadyVoted
		}
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM ballot_votes WHERE ballot_id = $1 AND addr_hash = $2 AND created_at > $3`,
			b.ID, addrHash, tx.now.Add(-time.Hour)).Scan(&n); err != nil {
			return err
		}
		if n >= votesPerAddrHour {
			return lianluo.Errorf(lianluo.ETOOMANY, "投票太频繁了，请稍后再试，或请工作人员发给您纸质测评票。")
		}
		var voteID int64
		err = tx.QueryRow(ctx, `INSERT INTO ballot_votes (ballot_id, phone_hash, addr_hash, comment, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			b.ID, hashes[0], addrHash, lianluo.MaskBallotComment(v.Comment), tx.now).Scan(&voteID)
		if isUniqueViolation(err) {
			return errAlreadyVoted
		} else if err != nil {
			return err
		}
		for _, it := range b.Items {
			if _, err := tx.Exec(ctx, `INSERT INTO ballot_answers (vote_id, ballot_id, item, choice) VALUES ($1, $2, $3, $4)`,
				voteID, b.ID, it.Key, string(v.Choices[it.Key])); err != nil {
				return err
			}
		}
		return tx.event(ctx, lianluo.EntityActivity, b.ActivityID, lianluo.AuditCreate, fmt.Sprintf("群众网上测评投票：%s", b.Title))
	})
}
