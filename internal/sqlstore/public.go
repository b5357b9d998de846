package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"

	"lianluo"
)

// The online station. Every method here runs for an anonymous
// voter, whoever is logged in: the public actor may read what the public
// may read and register opinions; each method decides what leaves.

// Public limits. Submissions are counted in the database, so they hold
// across instances; failed lookups of a tracking code are counted in memory
// per instance (a guess needs ~10^14 tries, the limit only keeps the noise down).
const (
	submitsPerAddrHour = 10               // opinions from one client address an hour
	submitsPerPhoneDay = 5                // opinions from one phone a day
	duplicateWindow    = 10 * time.Minute // the same opinion again in this window gives the first code
	lookupFailures     = 20               // wrong codes from one address …
	lookupWindow       = 15 * time.Minute // … in this window before 429
	codesPerPhoneDay   = 5                // SMS verification codes per phone a day
	codesPerAddrDay    = 20               // … and per client address
	codeEvery          = time.Minute      // at most one code a minute per phone
	codeValid          = 10 * time.Minute
	codeAttempts       = 5
)

// publicState is what the public methods keep in memory.
type publicState struct {
	mu      sync.Mutex
	key     []byte // HMAC key of the deployment (settings.public_hash_key)
	fails   map[string][]time.Time
	cleaned time.Time
}

// publicActor is the anonymous voter; history shows 群众（网上）.
func publicActor(ctx context.Context) context.Context {
	return lianluo.NewContextWithActor(ctx, &lianluo.Actor{
		User:       &lianluo.User{DisplayName: "群众（网上）"},
		Scope:      lianluo.Scope{All: true},
		ClientAddr: lianluo.ClientAddrFromContext(ctx),
	})
}

// hashKey returns the deployment's HMAC key, creating it on first use.
func (db *DB) hashKey(ctx context.Context) ([]byte, error) {
	db.pub.mu.Lock()
	key := db.pub.key
	db.pub.mu.Unlock()
	if key != nil {
		return key, nil
	}
	b := make([]byte, 32)
	rand.Read(b)
	err := db.transact(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ('public_hash_key', $1, $2)
			ON CONFLICT (key) DO NOTHING`, hex.EncodeToString(b), tx.now)
		return err
	})
	if err != nil {
		return nil, err
	}
	var text string
	if err := db.reader().QueryRow(ctx, `SELECT value FROM settings WHERE key = 'public_hash_key'`).Scan(&text); err != nil {
		return nil, err
	}
	if key, err = hex.DecodeString(text); err != nil {
		return nil, err
	}
	db.pub.mu.Lock()
	db.pub.key = key
	db.pub.mu.Unlock()
	return key, nil
}

func keyedHash(key []byte, parts ...string) string {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return hex.EncodeToString(m.Sum(nil))
}

// lookupAllowed reports whether addr may try another tracking code.
func (db *DB) lookupAllowed(addr string, now time.Time) bool {
	db.pub.mu.Lock()
	defer db.pub.mu.Unlock()
	recent := 0
	for _, t := range db.pub.fails[addr] {
		if now.Sub(t) < lookupWindow {
			recent++
		}
	}
	return recent < lookupFailures
}

func (db *DB) lookupFailed(addr string, now time.Time) {
	db.pub.mu.Lock()
	defer db.pub.mu.Unlock()
	if db.pub.fails == nil || now.Sub(db.pub.cleaned) > lookupWindow {
		kept := map[string][]time.Time{}
		for a, ts := range db.pub.fails {
			ts = slices.DeleteFunc(ts, func(t time.Time) bool { return now.Sub(t) >= lookupWindow })
			if len(ts) > 0 {
				kept[a] = ts
			}
		}
		db.pub.fails, db.pub.cleaned = kept, now
	}
	db.pub.fails[addr] = append(db.pub.fails[addr], now)
}

var errTooManyLookups = lianluo.Errorf(lianluo.ETOOMANY, "查询次数过多，请15分钟后再试。")

// notFoundOpinion is the one answer to a wrong code or a wrong phone tail.
var notFoundOpinion = lianluo.Errorf(lianluo.ENOTFOUND, "没有找到这条意见。请核对查询码和手机号后四位。")

// findPublicCase finds the case of a tracking code, checking the phone's
// last four digits when the voter gave a phone.
func (db *DB) findPublicCase(ctx context.Context, c conn, code, phoneTail string) (*lianluo.Case, error) {
	addr := lianluo.ClientAddrFromContext(ctx)
	now := db.Now()
	if !db.lookupAllowed(addr, now) {
		return nil, errTooManyLookups
	}
	code = lianluo.NormalizeTrackingCode(code)
	var id int64
	var phone string
	err := c.QueryRow(ctx, `SELECT id, submitter_phone FROM cases WHERE tracking_code = $1`, code).Scan(&id, &phone)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && phone != "" && strings.TrimSpace(phoneTail) != lianluo.PhoneTail(phone)) {
		db.lookupFailed(addr, now)
		return nil, notFoundOpinion
	} else if err != nil {
		return nil, err
	}
	return findCase(publicActor(ctx), c, id)
}

// PublicSettings returns how the online station is configured.
func (db *DB) PublicSettings(ctx context.Context) (_ lianluo.PublicSettings, err error) {
	defer wrap(&err, "PublicSettings")
	var p lianluo.PublicSettings
	var raw string
	err = db.reader().QueryRow(ctx, `SELECT value FROM settings WHERE key = 'public'`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	} else if err != nil {
		return p, err
	}
	return p, json.Unmarshal([]byte(raw), &p)
}

// UpdatePublicSettings changes the online station's settings (administrators only).
func (db *DB) UpdatePublicSettings(ctx context.Context, p lianluo.PublicSettings) (err error) {
	defer wrap(&err, "UpdatePublicSettings")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	if !a.IsAdmin() {
		return lianluo.Forbidden()
	}
	b, _ := json.Marshal(p)
	return db.transact(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ('public', $1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, string(b), tx.now); err != nil {
			return err
		}
		return tx.event(ctx, "settings", 0, "update", "修改网上联络站设置："+string(b))
	})
}

// regionLevels are the lengths of division codes by level; the picker
// goes down to towns (9).
var regionLevels = []int{2, 4, 6, 9}

// PublicRegions is the home page's region picker.
func (db *DB) PublicRegions(ctx context.Context, code string) (_ *lianluo.RegionPicker, err error) {
	defer wrap(&err, "PublicRegions(%q)", code)
	rows, err := db.reader().Query(ctx, `SELECT region_code, COUNT(*) FROM stations WHERE active = TRUE GROUP BY region_code ORDER BY region_code`)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	var codes []string
	for rows.Next() {
		var c string
		var n int
		if err := rows.Scan(&c, &n); err != nil {
			rows.Close()
			return nil, err
		}
		counts[c] = n
		codes = append(codes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The top is the deepest level every station shares (a district's deployment starts at the district).
	top := ""
	for _, n := range regionLevels {
		if len(codes) == 0 || len(codes[0]) < n {
			break
		}
		p := codes[0][:n]
		if !allHavePrefix(codes, p) {
			break
		}
		top = p
	}
	cur := top
	if code = lianluo.NormalizeRegionCode(code); code != "" && strings.HasPrefix(code, top) && len(code) <= 9 {
		cur = code
	}
	under := func(prefix string) int {
		n := 0
		for _, c := range codes {
			if strings.HasPrefix(c, prefix) {
				n += counts[c]
			}
		}
		return n
	}
	if cur != top && under(cur) == 0 {
		return nil, lianluo.NotFound("地区")
	}
	want := []string{}
	for _, n := range regionLevels {
		if n > len(top) && n <= len(cur) {
			want = append(want, cur[:n])
		}
	}
	if top != "" {
		want = append([]string{top}, want...)
	}
	var childLen int
	for _, n := range regionLevels {
		if n > len(cur) {
			childLen = n
			break
		}
	}
	children := []string{}
	if childLen != 0 {
		for _, c := range codes {
			if len(c) >= childLen && strings.HasPrefix(c, cur) && !slices.Contains(children, c[:childLen]) {
				children = append(children, c[:childLen])
			}
		}
	}
	names, err := regionNames(ctx, db.reader(), append(slices.Clone(want), children...))
	if err != nil {
		return nil, err
	}
	out := &lianluo.RegionPicker{Path: []lianluo.PublicRegion{}, Children: []lianluo.PublicRegion{}}
	for _, c := range want {
		out.Path = append(out.Path, lianluo.PublicRegion{Code: c, Name: names[c], Stations: under(c)})
	}
	out.Current = lianluo.PublicRegion{Code: cur, Name: names[cur], Stations: under(cur)}
	if cur == "" {
		out.Current.Name = "全部"
	}
	for _, c := range children {
		out.Children = append(out.Children, lianluo.PublicRegion{Code: c, Name: names[c], Stations: under(c)})
	}
	return out, nil
}

func allHavePrefix(codes []string, p string) bool {
	for _, c := range codes {
		if !strings.HasPrefix(c, p) {
			return false
		}
	}
	return true
}

func regionNames(ctx context.Context, c conn, codes []string) (map[string]string, error) {
	out := map[string]string{}
	if len(codes) == 0 {
		return out, nil
	}
	var w where
	ph := make([]string, len(codes))
	for i, code := range codes {
		ph[i] = w.arg(code)
	}
	rows, err := c.Query(ctx, `SELECT code, name FROM regions WHERE code IN (`+strings.Join(ph, ", ")+`)`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, err
		}
		out[code] = name
	}
	return out, rows.Err()
}

const publicStationColumns = `s.id, s.kind, s.name, s.region_code, COALESCE(r.name, ''), COALESCE(o.name, ''),
	s.address, s.opening_hours, s.phone, COALESCE(h.name, ''), s.board,
	(SELECT COUNT(*) FROM station_deputies sd JOIN deputies d ON d.id = sd.deputy_id
		WHERE sd.station_id = s.id AND d.status = 'in_office')`

func scanPublicStation(sc interface{ Scan(...any) error }, s *lianluo.PublicStation, extra ...any) error {
	var board string
	err := sc.Scan(append([]any{&s.ID, &s.Kind, &s.Name, &s.RegionCode, &s.RegionName, &s.OrgName,
		&s.Address, &s.OpeningHours, &s.Phone, &s.HeadName, &board, &s.DeputyCount}, extra...)...)
	s.Board = decodeBoard(board)
	s.Liaisons = []string{}
	return err
}

// PublicStations lists active stations.
func (db *DB) PublicStations(ctx context.Context, f lianluo.PublicStationFilter) (_ []*lianluo.PublicStation, _ int, err error) {
	defer wrap(&err, "PublicStations")
	var w where
	w.add("s.active = TRUE")
	if f.Region != "" {
		code := lianluo.NormalizeRegionCode(f.Region)
		if code == "" {
			return nil, 0, lianluo.FieldError("region", "地区代码格式不对，应为6到12位数字。")
		}
		w.add(regionRange(&w, "s.region_code", code))
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		p := w.arg(likeContains(q))
		w.add(`(s.name LIKE ` + p + ` ESCAPE '\' OR s.address LIKE ` + p + ` ESCAPE '\')`)
	}
	return queryList(ctx, db.reader(), `SELECT `+publicStationColumns+`, COUNT(*) OVER ()`+stationFrom+w.String()+
		` ORDER BY s.region_code, CASE s.kind WHEN 'center' THEN 0 ELSE 1 END, s.name, s.id`+w.page(f.Page), w.args,
		func(sc interface{ Scan(...any) error }, s *lianluo.PublicStation, n *int) error {
			return scanPublicStation(sc, s, n)
		})
}

// PublicStation returns an active station with its board, liaisons' names
// and deputies in office.
func (db *DB) PublicStation(ctx context.Context, id int64) (_ *lianluo.PublicStation, err error) {
	defer wrap(&err, "PublicStation(%d)", id)
	var s lianluo.PublicStation
	err = scanPublicStation(db.reader().QueryRow(ctx, `SELECT `+publicStationColumns+stationFrom+
		` WHERE s.id = $1 AND s.active = TRUE`, id), &s)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("联络站")
	} else if err != nil {
		return nil, err
	}
	rows, err := db.reader().Query(ctx, `SELECT name FROM station_liaisons WHERE station_id = $1 ORDER BY position`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		s.Liaisons = append(s.Liaisons, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ds, _, err := db.FindDeputies(publicActor(ctx), lianluo.DeputyFilter{StationID: id, Status: lianluo.DeputyInOffice, Page: lianluo.AllRows()})
	if err != nil {
		return nil, err
	}
	// Leaders first (领导干部代表), then by level from the top, then by name order of entry.
	slices.SortStableFunc(ds, func(a, b *lianluo.Deputy) int {
		if a.Leader != b.Leader {
			if a.Leader {
				return -1
			}
			return 1
		}
		return topLevel(a) - topLevel(b)
	})
	s.Deputies = []*lianluo.PublicDeputy{}
	for _, d := range ds {
		s.Deputies = append(s.Deputies, publicDeputy(d))
	}
	return &s, nil
}

func topLevel(d *lianluo.Deputy) int {
	best := len(lianluo.DeputyLevels)
	for _, s := range d.Seats {
		if i := slices.Index(lianluo.DeputyLevels, s.Level); i >= 0 && i < best {
			best = i
		}
	}
	return best
}

// publicDeputy keeps what a deputy's public profile shows: never the phone.
func publicDeputy(d *lianluo.Deputy) *lianluo.PublicDeputy {
	return &lianluo.PublicDeputy{ID: d.ID, Name: d.Name, Gender: d.Gender, Party: d.Party, Occupation: d.Occupation,
		WorkUnit: d.WorkUnit, Seats: d.Seats, Leader: d.Leader, GroupName: d.GroupName, Bio: d.Bio, HasPhoto: d.HasPhoto,
		Stations: []lianluo.StationRef{}}
}

// PublicDeputy returns the public profile of a deputy in office.
func (db *DB) PublicDeputy(ctx context.Context, id int64) (_ *lianluo.PublicDeputy, err error) {
	defer wrap(&err, "PublicDeputy(%d)", id)
	d, err := findDeputyByID(publicActor(ctx), db.reader(), id)
	if err != nil {
		return nil, err
	}
	if d.Status != lianluo.DeputyInOffice {
		return nil, lianluo.NotFound("代表")
	}
	p := publicDeputy(d)
	rows, err := db.reader().Query(ctx, `SELECT s.id, s.name FROM station_deputies sd JOIN stations s ON s.id = sd.station_id
		WHERE sd.deputy_id = $1 AND s.active = TRUE ORDER BY s.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var r lianluo.StationRef
		if err := rows.Scan(&r.ID, &r.Name); err != nil {
			return nil, err
		}
		p.Stations = append(p.Stations, r)
	}
	return p, rows.Err()
}

// DeputyPhoto returns the portrait of a deputy in office.
func (db *DB) DeputyPhoto(ctx context.Context, id int64) (_ *lianluo.Photo, err error) {
	defer wrap(&err, "DeputyPhoto(%d)", id)
	var p lianluo.Photo
	err = db.reader().QueryRow(ctx, `SELECT p.content_type, p.data, p.updated_at FROM deputy_photos p JOIN deputies d ON d.id = p.deputy_id
		WHERE p.deputy_id = $1 AND d.status = 'in_office'`, id).Scan(&p.ContentType, &p.Data, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("照片")
	}
	return &p, err
}

// SetDeputyPhoto sets or removes a deputy's portrait: the office managing
// the deputy's region, or the deputy themself.
func (db *DB) SetDeputyPhoto(ctx context.Context, id int64, data []byte) (err error) {
	defer wrap(&err, "SetDeputyPhoto(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return err
	}
	ct := ""
	if len(data) > 0 {
		if ct, err = lianluo.SniffPhoto("photo", data); err != nil {
			return err
		}
	}
	return db.transact(ctx, func(tx *Tx) error {
		d, err := findDeputyByID(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		self := a.Has(lianluo.RoleDeputy) && slices.Contains(a.Scope.Deputies, id)
		if !a.CanManageRegion(d.RegionCode) && !self {
			return lianluo.Forbidden()
		}
		if len(data) == 0 {
			if _, err := tx.Exec(ctx, `DELETE FROM deputy_photos WHERE deputy_id = $1`, id); err != nil {
				return err
			}
			return tx.event(ctx, "deputy", id, "photo", "删除照片")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO deputy_photos (deputy_id, content_type, data, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (deputy_id) DO UPDATE SET content_type = excluded.content_type, data = excluded.data, updated_at = excluded.updated_at`,
			id, ct, data, tx.now); err != nil {
			return err
		}
		return tx.event(ctx, "deputy", id, "photo", "更新照片")
	})
}

// SendVerifyCode texts a six-digit code to a voter's phone.
func (db *DB) SendVerifyCode(ctx context.Context, phone string) (err error) {
	defer wrap(&err, "SendVerifyCode")
	phone = strings.TrimSpace(phone)
	if !lianluo.ValidPhone(phone) {
		return lianluo.FieldError("phone", "请填写正确的11位手机号码。")
	}
	set, err := db.PublicSettings(ctx)
	if err != nil {
		return err
	}
	if !set.VerifyPhone {
		return lianluo.FieldError("phone", "本站不需要短信验证，直接提交即可。")
	}
	key, err := db.hashKey(ctx)
	if err != nil {
		return err
	}
	phoneHash := keyedHash(key, "phone", phone)
	addrHash := keyedHash(key, "addr", lianluo.ClientAddrFromContext(ctx))
	return db.transact(publicActor(ctx), func(tx *Tx) error {
		return sendCode(ctx, tx, key, phone, phoneHash, addrHash, true, "今天获取验证码的次数已达上限，请明天再试。")
	})
}

// sendCode texts a fresh six-digit code to phone within the limits: one a
// minute and codesPerPhoneDay a day for the phone hash, and, with perAddr,
// codesPerAddrDay a day from the address hash; dayFull says a day's limit
// is reached. Only the code's keyed hash is stored.
func sendCode(ctx context.Context, tx *Tx, key []byte, phone, phoneHash, addrHash string, perAddr bool, dayFull string) error {
	var perPhone, fromAddr int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM phone_codes WHERE phone_hash = $1 AND created_at > $2`,
		phoneHash, tx.now.Add(-24*time.Hour)).Scan(&perPhone); err != nil {
		return err
	}
	var last time.Time
	err := tx.QueryRow(ctx, `SELECT created_at FROM phone_codes WHERE phone_hash = $1 ORDER BY created_at DESC LIMIT 1`, phoneHash).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	recent := err == nil && tx.now.Sub(last) < codeEvery
	if perAddr {
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM phone_codes WHERE addr_hash = $1 AND created_at > $2`,
			addrHash, tx.now.Add(-24*time.Hour)).Scan(&fromAddr); err != nil {
			return err
		}
	}
	switch {
	case recent:
		return lianluo.Errorf(lianluo.ETOOMANY, "验证码已发送，请1分钟后再重新获取。")
	case perPhone >= codesPerPhoneDay || perAddr && fromAddr >= codesPerAddrDay:
		return lianluo.Errorf(lianluo.ETOOMANY, "%s", dayFull)
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1000000))
	if err != nil {
		return err
	}
	code := fmt.Sprintf("%06d", n.Int64())
	if _, err := tx.Exec(ctx, `INSERT INTO phone_codes (phone_hash, addr_hash, code_hash, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5)`, phoneHash, addrHash, keyedHash(key, "code", phoneHash, code), tx.now.Add(codeValid), tx.now); err != nil {
		return err
	}
	// Urgent: a code must not wait for the end of quiet hours.
	_, body := lianluo.Message("verify_code", code)
	return enqueue(ctx, tx, lianluo.Notification{Channel: lianluo.ChannelSMS, Phone: phone, Template: "verify_code", Urgent: true, Body: body})
}

// errWrongCode marks a wrong verification code: the attempt is counted
// after the submission's transaction has rolled back.
var errWrongCode = lianluo.FieldError("verify_code", "验证码不正确，请核对短信中的6位数字。")

// checkCode consumes the voter's latest valid code.
func checkCode(ctx context.Context, tx *Tx, key []byte, phoneHash, code string) error {
	code = strings.TrimSpace(code)
	if code == "" {
		return lianluo.FieldError("verify_code", "请填写短信验证码。")
	}
	var id int64
	var hash string
	var attempts int
	err := tx.QueryRow(ctx, `SELECT id, code_hash, attempts FROM phone_codes
		WHERE phone_hash = $1 AND used = FALSE AND expires_at > $2 ORDER BY id DESC LIMIT 1`, phoneHash, tx.now).Scan(&id, &hash, &attempts)
	if errors.Is(err, sql.ErrNoRows) || attempts >= codeAttempts {
		return lianluo.FieldError("verify_code", "验证码已失效，请重新获取。")
	} else if err != nil {
		return err
	}
	if !hmac.Equal([]byte(hash), []byte(keyedHash(key, "code", phoneHash, code))) {
		return errWrongCode
	}
	_, err = tx.Exec(ctx, `UPDATE phone_codes SET used = TRUE WHERE id = $1`, id)
	return err
}

// SubmitOpinion registers an opinion from the online station.
func (db *DB) SubmitOpinion(ctx context.Context, o lianluo.Opinion) (_ *lianluo.Receipt, err error) {
	defer wrap(&err, "SubmitOpinion")
	if err := o.Validate(); err != nil {
		return nil, err
	}
	set, err := db.PublicSettings(ctx)
	if err != nil {
		return nil, err
	}
	key, err := db.hashKey(ctx)
	if err != nil {
		return nil, err
	}
	addr := lianluo.ClientAddrFromContext(ctx)
	addrHash := keyedHash(key, "addr", addr)
	phoneHash := ""
	if o.Phone != "" {
		phoneHash = keyedHash(key, "phone", o.Phone)
	}
	target := ""
	if o.StationID != nil {
		target = fmt.Sprintf("s%d", *o.StationID)
	} else {
		target = fmt.Sprintf("d%d", *o.DeputyID)
	}
	who := o.Phone
	if who == "" {
		who = addr
	}
	contentHash := keyedHash(key, "content", target, o.Title, o.Content, who)
	ctx = publicActor(ctx)
	var r *lianluo.Receipt
	err = db.transact(ctx, func(tx *Tx) error {
		// A second tap on 提交, or the same text sent again: the first code.
		var first int64
		err := tx.QueryRow(ctx, `SELECT case_id FROM public_submissions WHERE content_hash = $1 AND created_at > $2
			ORDER BY created_at LIMIT 1`, contentHash, tx.now.Add(-duplicateWindow)).Scan(&first)
		if err == nil {
			c, err := findCase(ctx, tx.conn, first)
			if err != nil {
				return err
			}
			r = receiptOf(c, true)
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM public_submissions WHERE addr_hash = $1 AND created_at > $2`,
			addrHash, tx.now.Add(-time.Hour)).Scan(&n); err != nil {
			return err
		}
		if n >= submitsPerAddrHour {
			return lianluo.Errorf(lianluo.ETOOMANY, "提交太频繁了，请一小时后再试。如有急事，请直接拨打联络站电话。")
		}
		if phoneHash != "" {
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM public_submissions WHERE phone_hash = $1 AND created_at > $2`,
				phoneHash, tx.now.Add(-24*time.Hour)).Scan(&n); err != nil {
				return err
			}
			if n >= submitsPerPhoneDay {
				return lianluo.Errorf(lianluo.ETOOMANY, "这个手机号今天已经提交了%d条意见，请明天再提交。", submitsPerPhoneDay)
			}
			if set.VerifyPhone {
				if err := checkCode(ctx, tx, key, phoneHash, o.VerifyCode); err != nil {
					return err
				}
			}
		}
		if o.Category != "" {
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM categories WHERE name = $1 AND active = TRUE`, o.Category).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return lianluo.FieldError("category", "请从列表中选择问题类别。")
			}
		}
		in := lianluo.CaseInput{Kind: lianluo.KindOpinion, Channel: "online", Title: o.Title, Content: o.Content,
			Category: o.Category, Location: o.Location, Confidential: o.Confidential,
			Submitter: lianluo.Submitter{Name: o.Name, Phone: o.Phone}, ReceivedBy: []int64{}}
		if o.StationID != nil {
			var region string
			err := tx.QueryRow(ctx, `SELECT region_code FROM stations WHERE id = $1 AND active = TRUE`, *o.StationID).Scan(&region)
			if errors.Is(err, sql.ErrNoRows) {
				return lianluo.FieldError("station_id", "这个联络站不存在或已停用，请重新选择。")
			} else if err != nil {
				return err
			}
			in.StationID, in.RegionCode = o.StationID, region
		} else {
			// To a deputy: the case goes to the deputy's station (the first
			// one, if several), received by the deputy (000: 代表接待).
			var region string
			err := tx.QueryRow(ctx, `SELECT region_code FROM deputies WHERE id = $1 AND status = 'in_office'`, *o.DeputyID).Scan(&region)
			if errors.Is(err, sql.ErrNoRows) {
				return lianluo.FieldError("deputy_id", "没有找到这位代表，请重新选择。")
			} else if err != nil {
				return err
			}
			var sid int64
			err = tx.QueryRow(ctx, `SELECT s.id, s.region_code FROM station_deputies sd JOIN stations s ON s.id = sd.station_id
				WHERE sd.deputy_id = $1 AND s.active = TRUE ORDER BY s.id LIMIT 1`, *o.DeputyID).Scan(&sid, &region)
			if err == nil {
				in.StationID = &sid
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			in.RegionCode = region
			in.ReceivedBy = []int64{*o.DeputyID}
		}
		if err := in.Validate(); err != nil {
			return err
		}
		a := lianluo.ActorFromContext(ctx)
		id, err := createCase(ctx, tx, a, in)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO public_submissions (case_id, addr_hash, phone_hash, content_hash, created_at)
			VALUES ($1, $2, $3, $4, $5)`, id, addrHash, phoneHash, contentHash, tx.now); err != nil {
			return err
		}
		if o.DeputyID != nil {
			if err := notifyDeputy(ctx, tx, *o.DeputyID, id, o.Title); err != nil {
				return err
			}
		}
		c, err := findCase(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		r = receiptOf(c, false)
		return nil
	})
	if errors.Is(err, errWrongCode) {
		db.transact(ctx, func(tx *Tx) error {
			_, err := tx.Exec(ctx, `UPDATE phone_codes SET attempts = attempts + 1 WHERE id = (SELECT MAX(id) FROM phone_codes
				WHERE phone_hash = $1 AND used = FALSE)`, phoneHash)
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

func receiptOf(c *lianluo.Case, dup bool) *lianluo.Receipt {
	r := &lianluo.Receipt{TrackingCode: c.TrackingCode, Duplicate: dup, StationName: c.StationName,
		PhoneGiven: c.Submitter.Phone != "", CreatedAt: c.CreatedAt}
	if len(c.ReceivedByNames) > 0 {
		r.DeputyName = c.ReceivedByNames[0]
	}
	return r
}

// notifyDeputy tells a deputy's accounts that a voter wrote to them.
func notifyDeputy(ctx context.Context, tx *Tx, deputyID, caseID int64, title string) error {
	users, err := queryIDs(ctx, tx.conn, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.active = TRUE AND ur.role = $1 AND ur.deputy_id = $2 ORDER BY u.id`, lianluo.RoleDeputy, deputyID)
	if err != nil {
		return err
	}
	for _, u := range users {
		uid := u
		if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: "case_online", CaseID: &caseID,
			Body: "群众通过网上联络站给您留言：“" + truncate(title, 30) + "”。"}); err != nil {
			return err
		}
	}
	return nil
}

// AddOpinionPhoto attaches a voter's photo to their new opinion.
func (db *DB) AddOpinionPhoto(ctx context.Context, code, phoneTail, name string, data []byte) (err error) {
	defer wrap(&err, "AddOpinionPhoto")
	ct, err := lianluo.SniffPhoto("photo", data)
	if err != nil {
		return err
	}
	ctx = publicActor(ctx)
	return db.transact(ctx, func(tx *Tx) error {
		c, err := db.findPublicCase(ctx, tx.conn, code, phoneTail)
		if err != nil {
			return err
		}
		if c.Channel != "online" || c.Status != lianluo.StatusRegistered || tx.now.Sub(c.CreatedAt) > lianluo.PhotoWindow {
			return lianluo.Errorf(lianluo.ESTATE, "意见已经在办理中，不能再补充照片。如需补充材料，请联系联络站。")
		}
		var n int
		// The voter's own photos (created_by NULL), not what staff attached.
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM case_attachments WHERE case_id = $1 AND created_by IS NULL`, c.ID).Scan(&n); err != nil {
			return err
		}
		if n >= lianluo.MaxPublicPhotos {
			// A full set is a state of the opinion (409), not a too-large request.
			return lianluo.Errorf(lianluo.ESTATE, "每条意见最多上传%d张照片。", lianluo.MaxPublicPhotos)
		}
		fileName := fmt.Sprintf("群众照片%d%s", n+1, lianluo.PhotoTypes[ct])
		if _, err := tx.Exec(ctx, `INSERT INTO case_attachments (case_id, name, content_type, size, data, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, NULL, $6)`, c.ID, fileName, ct, len(data), data, tx.now); err != nil {
			return err
		}
		return caseEvent(ctx, tx, c.ID, "attach", "", "", "群众上传照片："+fileName)
	})
}

// FollowOpinion shows an opinion to the voter who holds its code.
func (db *DB) FollowOpinion(ctx context.Context, code, phoneTail string) (_ *lianluo.PublicOpinion, err error) {
	defer wrap(&err, "FollowOpinion")
	c, err := db.findPublicCase(ctx, db.reader(), code, phoneTail)
	if err != nil {
		return nil, err
	}
	return db.publicOpinion(ctx, db.reader(), c)
}

// publicStatus words each status for the voter, with the progress stage.
var publicStatus = map[string]struct {
	Text  string
	Stage int
}{
	lianluo.StatusRegistered:         {"已收到，等待工作人员梳理", 1},
	lianluo.StatusAnswered:           {"已当场答复", 4},
	lianluo.StatusNotAccepted:        {"不属于联络站受理范围，已告知办理途径", 4},
	lianluo.StatusExplained:          {"已向您解释说明", 4},
	lianluo.StatusPendingApproval:    {"已受理，正在审核交办", 2},
	lianluo.StatusAssigned:           {"已交相关部门办理", 3},
	lianluo.StatusHandling:           {"相关部门正在办理", 3},
	lianluo.StatusReplied:            {"部门已答复，即将向您反馈", 3},
	lianluo.StatusAwaitingEvaluation: {"已答复，请您评价办理结果", 4},
	lianluo.StatusSupervising:        {"对答复不满意，正在督促重新办理", 3},
	lianluo.StatusClosed:             {"已办结", 4},
	lianluo.StatusArchived:           {"已办结", 4},
}

// answerLabels head what the voter was told, by the status it led to.
var answerLabels = map[string]string{
	lianluo.StatusAnswered:    "当场答复",
	lianluo.StatusExplained:   "解释说明",
	lianluo.StatusNotAccepted: "办理途径",
}

// publicStep words a history step for the voter; "" leaves it out (staff
// names and comments never leave).
func publicStep(e lianluo.CaseEvent, lead string) string {
	switch e.Action {
	case "register":
		return "意见已登记"
	case "attach":
		return "补充了照片或材料"
	case lianluo.ActTriage:
		switch e.To {
		case lianluo.StatusAnswered:
			return "工作人员已答复"
		case lianluo.StatusNotAccepted:
			return "经审查不属于联络站受理范围，已告知办理途径"
		case lianluo.StatusExplained:
			return "工作人员已解释说明"
		case lianluo.StatusPendingApproval:
			return "已受理，报送审核交办"
		}
	case lianluo.ActEscalate:
		return "已报送上级人大常委会审核"
	case lianluo.ActApprove:
		if lead != "" {
			return "已交由" + lead + "办理"
		}
		return "已交相关部门办理"
	case lianluo.ActSign:
		return "承办单位已签收，开始办理"
	case lianluo.ActReturn:
		return "正在重新确定承办单位"
	case lianluo.ActDecideExtension:
		return "办理期限经审批作了调整"
	case lianluo.ActUrge:
		return "已催促承办单位抓紧办理"
	case lianluo.ActReply:
		return "承办单位已答复"
	case lianluo.ActFeedback:
		return "已向您反馈办理结果"
	case lianluo.ActEvaluate:
		return "已进行满意度测评"
	case lianluo.ActSupervise:
		return "对答复不满意，已督促承办单位重新办理"
	case lianluo.ActClose:
		return "已办结"
	case lianluo.ActArchive:
		return "已归档"
	case lianluo.ActLink:
		return "与反映同类问题的意见合并办理"
	}
	return ""
}

// publicOpinion builds the voter's view of a case.
func (db *DB) publicOpinion(ctx context.Context, cn conn, c *lianluo.Case) (*lianluo.PublicOpinion, error) {
	if err := loadCaseDetails(publicActor(ctx), cn, c, true); err != nil {
		return nil, err
	}
	st := publicStatus[c.Status]
	p := &lianluo.PublicOpinion{TrackingCode: c.TrackingCode, Title: c.Title, Content: c.Content, Category: c.Category,
		StationName: c.StationName, DeputyNames: c.ReceivedByNames, Status: c.Status, StatusText: st.Text, Stage: st.Stage,
		SubmittedAt: c.CreatedAt, Steps: []lianluo.PublicStep{}, Ratings: []lianluo.PublicRating{}}
	lead := ""
	for _, u := range c.Units {
		if u.Lead {
			lead = u.Name
		}
	}
	fedBack := false
	for _, e := range c.Events {
		if e.Action == lianluo.ActFeedback || (e.Action == lianluo.ActTriage && e.To != lianluo.StatusPendingApproval) {
			at := e.At
			p.AnsweredAt, p.AnswerLabel = &at, answerLabels[e.To]
		}
		if e.Action == lianluo.ActFeedback {
			fedBack, p.AnswerLabel = true, "给您的反馈"
		}
		text := publicStep(e, lead)
		if text == "" || (len(p.Steps) > 0 && p.Steps[len(p.Steps)-1].Text == text) {
			continue
		}
		p.Steps = append(p.Steps, lianluo.PublicStep{At: e.At, Text: text})
	}
	if p.AnsweredAt != nil {
		p.Answer = c.Outcome
	}
	if fedBack {
		// The unit's answer that was fed back: the latest reply, unless
		// the current round's reply still waits for its own feedback.
		id, round := c.ID, c.Round
		if c.Status == lianluo.StatusReplied {
			round--
		}
		if c.MasterID != nil {
			// A linked case is answered with its master (并案).
			id, round = *c.MasterID, math.MaxInt32
		}
		r := &lianluo.PublicReply{Unit: lead}
		err := cn.QueryRow(ctx, `SELECT result, content, at FROM case_replies WHERE case_id = $1 AND round <= $2 ORDER BY round DESC LIMIT 1`,
			id, round).Scan(&r.Result, &r.Content, &r.At)
		switch {
		case err == nil:
			r.ResultText = lianluo.ReplyResults[r.Result]
			if r.Unit == "" {
				r.Unit = "承办单位"
			}
			p.Reply = r
		case !errors.Is(err, sql.ErrNoRows):
			return nil, err
		}
	}
	votedThisRound := false
	for _, r := range c.Ratings {
		if r.By == "voter" {
			p.Ratings = append(p.Ratings, lianluo.PublicRating{Rating: r.Rating, Comment: r.Comment, Round: r.Round, At: r.At})
			if r.Round == c.Round {
				votedThisRound = true
			}
		}
	}
	p.CanRate = !votedThisRound && (c.Status == lianluo.StatusAwaitingEvaluation ||
		(fedBack && (c.Status == lianluo.StatusClosed || c.Status == lianluo.StatusSupervising)))
	if err := cn.QueryRow(ctx, `SELECT COUNT(*) FROM case_attachments WHERE case_id = $1`, c.ID).Scan(&p.Photos); err != nil {
		return nil, err
	}
	p.CanAddPhotos = c.Channel == "online" && c.Status == lianluo.StatusRegistered && db.Now().Sub(c.CreatedAt) <= lianluo.PhotoWindow &&
		p.Photos < lianluo.MaxPublicPhotos
	return p, nil
}

// RateOpinion records the voter's satisfaction rating. When no deputy
// received the case the voter's rating drives the workflow (closed, or
// supervised when unsatisfied); otherwise the deputy's does and the voter's
// is kept beside it.
func (db *DB) RateOpinion(ctx context.Context, code, phoneTail string, r lianluo.PublicRating) (_ *lianluo.PublicOpinion, err error) {
	defer wrap(&err, "RateOpinion")
	if _, ok := lianluo.RatingNames[r.Rating]; !ok {
		return nil, lianluo.FieldError("rating", "请选择满意、基本满意或不满意。")
	}
	r.Comment = strings.TrimSpace(r.Comment)
	if err := optional("comment", "评价意见", r.Comment, 500); err != nil {
		return nil, err
	}
	pol, err := db.Policy(ctx)
	if err != nil {
		return nil, err
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	ctx = publicActor(ctx)
	var out *lianluo.PublicOpinion
	err = db.transact(ctx, func(tx *Tx) error {
		c, err := db.findPublicCase(ctx, tx.conn, code, phoneTail)
		if err != nil {
			return err
		}
		view, err := db.publicOpinion(ctx, tx.conn, c)
		if err != nil {
			return err
		}
		if !view.CanRate {
			for _, x := range view.Ratings {
				if x.Round == c.Round {
					return lianluo.Errorf(lianluo.ESTATE, "您已经评价过了，谢谢！")
				}
			}
			return lianluo.Errorf(lianluo.ESTATE, "向您反馈办理结果后才能评价。")
		}
		s := &step{db: db, tx: tx, a: lianluo.ActorFromContext(ctx), c: c, n: *c, pol: pol, cal: cal, now: tx.now,
			in: lianluo.CaseAction{Version: c.Version, By: "voter", Rating: r.Rating, Comment: r.Comment}}
		if err := s.run(ctx, lianluo.ActEvaluate); err != nil {
			return err
		}
		// Outside awaiting evaluation, or on a case linked to another, the
		// rating is kept and moves nothing.
		if c.Status != lianluo.StatusAwaitingEvaluation || c.MasterID != nil {
			s.n.Status, s.n.ClosedAt, s.notes = c.Status, c.ClosedAt, nil
		}
		if err := s.save(ctx, lianluo.ActEvaluate); err != nil {
			return err
		}
		c, err = findCase(ctx, tx.conn, c.ID)
		if err != nil {
			return err
		}
		out, err = db.publicOpinion(ctx, tx.conn, c)
		return err
	})
	return out, err
}

// PublishCase puts an answered case into the public results (or takes it out).
// The public text defaults to the unit's answer (lianluo.DefaultPublicAnswer)
// and is refused while it carries the submitter's name, phone or address
// (lianluo.CheckPublicText).
func (db *DB) PublishCase(ctx context.Context, id int64, in lianluo.PublishInput) (_ *lianluo.Case, err error) {
	defer wrap(&err, "PublishCase(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if in.Version <= 0 {
		return nil, lianluo.FieldError("version", "请提供意见的当前版本号（version）。")
	}
	in.Answer = strings.TrimSpace(in.Answer)
	if err := optional("answer", "公开的答复内容", in.Answer, 5000); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		c, err := findCase(ctx, tx.conn, id)
		if err != nil {
			return err
		}
		if !isOffice(a, c) {
			return lianluo.Forbidden()
		}
		if c.Version != in.Version {
			return lianluo.Stale()
		}
		var at *time.Time
		answer, action, note := c.PublicAnswer, "unpublish", "撤回公开"
		if in.Published {
			if !slices.Contains(lianluo.PublishableStatuses, c.Status) {
				return lianluo.Errorf(lianluo.ESTATE, "该意见当前状态为“%s”，答复以后才能公开。", lianluo.StatusNames[c.Status])
			}
			if answer, err = publicAnswer(ctx, tx.conn, c, in.Answer); err != nil {
				return err
			}
			if err := lianluo.CheckPublicText("answer", answer, c.Submitter); err != nil {
				return err
			}
			at, action, note = &tx.now, "publish", "公开办理结果"
		} else if c.PublishedAt == nil {
			return lianluo.Errorf(lianluo.ESTATE, "该意见没有公开。")
		}
		res, err := tx.Exec(ctx, `UPDATE cases SET published_at = $1, public_answer = $2, version = version + 1, updated_at = $3
			WHERE id = $4 AND version = $5`, at, answer, tx.now, id, in.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		return caseEvent(ctx, tx, id, action, c.Status, c.Status, note)
	})
	if err != nil {
		return nil, err
	}
	return db.FindCaseByID(ctx, id)
}

// publicAnswer is the text to publish: the one given, or by default the
// unit's answer (the closing text when no unit answered).
func publicAnswer(ctx context.Context, cn conn, c *lianluo.Case, given string) (string, error) {
	if given != "" {
		return given, nil
	}
	if err := loadCaseDetails(ctx, cn, c, false); err != nil {
		return "", err
	}
	if answer := lianluo.DefaultPublicAnswer(c); answer != "" {
		return answer, nil
	}
	return "", lianluo.FieldError("answer", "请填写公开的答复内容。")
}

// PreviewPublish shows the office what publishing the case with answer
// would put on /results: the same query and masking as PublishedResults,
// with the text to publish in place of the published one. A text that
// publishing would refuse still has its preview; the refusal comes with it.
func (db *DB) PreviewPublish(ctx context.Context, id int64, answer string) (_ *lianluo.ResultPreview, err error) {
	defer wrap(&err, "PreviewPublish(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	c, err := findCase(ctx, db.reader(), id)
	if err != nil {
		return nil, err
	}
	if !isOffice(a, c) {
		return nil, lianluo.Forbidden()
	}
	out := &lianluo.ResultPreview{}
	answer, err = publicAnswer(ctx, db.reader(), c, strings.TrimSpace(answer))
	if lianluo.ErrorCode(err) == lianluo.EINVALID {
		out.Refusal = err
	} else if err != nil {
		return nil, err
	} else {
		out.Refusal = lianluo.CheckPublicText("answer", answer, c.Submitter)
	}
	var w where
	w.add("c.id = " + w.arg(id))
	items, _, err := queryList(ctx, db.reader(), resultsQuery(&w, answer, lianluo.Page{}), w.args, scanResult)
	if err != nil {
		return nil, err
	}
	if len(items) != 1 {
		return nil, lianluo.NotFound("意见")
	}
	out.Result = items[0]
	out.Result.PublishedAt = db.Now()
	return out, nil
}

// PublishedResults lists the published cases, newest first, with personal
// details masked (names, and numbers written into the text).
func (db *DB) PublishedResults(ctx context.Context, f lianluo.ResultFilter) (_ []*lianluo.PublishedResult, _ int, err error) {
	defer wrap(&err, "PublishedResults")
	var w where
	w.add("c.published_at IS NOT NULL")
	if f.Region != "" {
		code := lianluo.NormalizeRegionCode(f.Region)
		if code == "" {
			return nil, 0, lianluo.FieldError("region", "地区代码不正确。")
		}
		w.add(regionRange(&w, "c.region_code", code))
	}
	if f.Category != "" {
		// A top category includes its subcategories.
		p := w.arg(f.Category)
		w.add(`(c.category = ` + p + ` OR c.category IN (SELECT k.name FROM categories k JOIN categories t ON t.id = k.parent_id WHERE t.name = ` + p + `))`)
	}
	if f.Month != "" {
		m, err := time.ParseInLocation("2006-01", f.Month, lianluo.Beijing)
		if err != nil {
			return nil, 0, lianluo.FieldError("month", "月份格式应为 2026-03。")
		}
		w.add("c.created_at >= " + w.arg(m.UTC()) + " AND c.created_at < " + w.arg(m.AddDate(0, 1, 0).UTC()))
	}
	return queryList(ctx, db.reader(), resultsQuery(&w, "", f.Page), w.args, scanResult)
}

// resultsQuery selects published results as /results shows them. With a
// preview text, that text stands in for the published one (and a case
// not yet published gets a publication time of now, set by the caller).
func resultsQuery(w *where, preview string, pg lianluo.Page) string {
	answer, published := "c.public_answer", "c.published_at"
	if preview != "" {
		answer, published = "CAST("+w.arg(preview)+" AS TEXT)", "c.created_at"
	}
	return `SELECT c.id, c.title, c.content, c.category, c.region_code, COALESCE(r.name, ''), COALESCE(s.name, ''),
			c.submitter_name, c.submitter_address, c.confidential, ` + answer + `, c.created_at, ` + published + `,
			COALESCE((SELECT rp.result FROM case_replies rp WHERE rp.case_id = c.id ORDER BY rp.round DESC LIMIT 1), ''),
			COALESCE((SELECT rt.rating FROM case_ratings rt WHERE rt.case_id = c.id ORDER BY rt.round DESC, rt.by_kind LIMIT 1), ''),
			COUNT(*) OVER ()
		FROM cases c
		LEFT JOIN stations s ON s.id = c.station_id
		LEFT JOIN regions r ON r.code = c.region_code` + w.String() + ` ORDER BY c.published_at DESC, c.id DESC` + w.page(pg)
}

// scanResult reads a row of resultsQuery and masks what the public may not
// see: the submitter's name (匿名 when confidential), and in the texts the
// submitter's name and address and any numbers.
func scanResult(sc interface{ Scan(...any) error }, p *lianluo.PublishedResult, n *int) error {
	var who lianluo.Submitter
	var confidential bool
	if err := sc.Scan(&p.ID, &p.Title, &p.Content, &p.Category, &p.RegionCode, &p.RegionName, &p.StationName,
		&who.Name, &who.Address, &confidential, &p.Answer, &p.SubmittedAt, &p.PublishedAt, &p.Result, &p.Rating, n); err != nil {
		return err
	}
	p.Submitter = "匿名"
	if who.Name != "" && !confidential {
		p.Submitter = lianluo.MaskName(who.Name)
	}
	mask := func(s string) string { return lianluo.MaskText(lianluo.MaskSubmitterIn(s, who)) }
	p.Title, p.Content, p.Answer = mask(p.Title), mask(p.Content), mask(p.Answer)
	return nil
}

var _ lianluo.PublicService = (*DB)(nil)
