package storetest

import (
	"context"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
)

// Password is the password of every World user.
const Password = "Test@2026pw"

// InitialPassword is what the administrator gave each World user before
// they changed it to Password on first login, as the policy makes them.
const InitialPassword = "Initial@2026pw"

// World is a small district for tests: 北仑区 with two towns (大碶 and 小港),
// an NPC body for each, a unit, a station and deputies in each town, and a
// user for each kind of scope.
type World struct {
	DB                          *sqlstore.DB
	District, TownA, TownB      *lianluo.Org // NPC bodies: 330206, 330206004 大碶, 330206003 小港
	Unit                        *lianluo.Org // 区住房和城乡建设局
	StationA, StationB          *lianluo.Station
	DeputyA1, DeputyA2, DeputyB *lianluo.Deputy
	// Users: admin (system_admin), security (security_admin), auditor,
	// office (district office), officea (town A office),
	// leader (district leader), heada (station A head), liaisona,
	// deputya (DeputyA1), unit (unit handler).
	Users map[string]*lianluo.User

	sessions map[string]context.Context // one login per user: argon2 is slow on purpose
}

// MustWorld builds the World in db.
func MustWorld(tb testing.TB, db *sqlstore.DB) *World {
	tb.Helper()
	MustLoadRegions(tb, db, "330206")
	ctx := SystemContext()
	w := &World{DB: db, Users: map[string]*lianluo.User{}}
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	w.District = &lianluo.Org{Kind: "npc", Name: "北仑区人大常委会", RegionCode: "330206"}
	must(db.CreateOrg(ctx, w.District))
	w.TownA = &lianluo.Org{Kind: "npc", Name: "大碶街道人大工委", RegionCode: "330206004", ParentID: &w.District.ID}
	must(db.CreateOrg(ctx, w.TownA))
	w.TownB = &lianluo.Org{Kind: "npc", Name: "小港街道人大工委", RegionCode: "330206003", ParentID: &w.District.ID}
	must(db.CreateOrg(ctx, w.TownB))
	w.Unit = &lianluo.Org{Kind: "unit", Name: "区住房和城乡建设局", RegionCode: "330206", Phone: "0574-86861234"}
	must(db.CreateOrg(ctx, w.Unit))

	seat := []lianluo.Seat{{Level: "county", Term: 18, Constituency: "第3选区"}}
	w.DeputyA1 = &lianluo.Deputy{Name: "王建国", Gender: "male", Phone: "13912345678", RegionCode: "330206004", Seats: seat}
	must(db.CreateDeputy(ctx, w.DeputyA1))
	w.DeputyA2 = &lianluo.Deputy{Name: "李秀英", Gender: "female", RegionCode: "330206004",
		Seats: []lianluo.Seat{{Level: "city", Term: 16}, {Level: "county", Term: 18}}}
	must(db.CreateDeputy(ctx, w.DeputyA2))
	w.DeputyB = &lianluo.Deputy{Name: "陈志强", Gender: "male", RegionCode: "330206003", Seats: seat}
	must(db.CreateDeputy(ctx, w.DeputyB))

	w.StationA = &lianluo.Station{Kind: "center", Name: "大碶街道人大代表中心联络站", RegionCode: "330206004", OrgID: w.TownA.ID,
		Address: "大碶街道庐山西路1号", DeputyIDs: []int64{w.DeputyA1.ID, w.DeputyA2.ID}, HeadDeputyID: &w.DeputyA1.ID,
		Liaisons: []lianluo.Liaison{{Name: "周敏", Phone: "13800001111"}}}
	must(db.CreateStation(ctx, w.StationA))
	w.StationB = &lianluo.Station{Kind: "center", Name: "小港街道人大代表中心联络站", RegionCode: "330206003", OrgID: w.TownB.ID,
		DeputyIDs: []int64{w.DeputyB.ID}}
	must(db.CreateStation(ctx, w.StationB))

	add := func(username, name string, g lianluo.Grant) {
		u := &lianluo.User{Username: username, Password: InitialPassword, DisplayName: name, Roles: []lianluo.Grant{g}}
		must(db.CreateUser(ctx, u))
		MustChangeInitialPassword(tb, db, username, InitialPassword, Password)
		u.MustChangePassword = false
		w.Users[username] = u
	}
	add("admin", "管理员", lianluo.Grant{Role: "system_admin"})
	add("security", "安全管理员", lianluo.Grant{Role: "security_admin"})
	add("auditor", "安全审计员", lianluo.Grant{Role: "auditor"})
	add("office", "区代表工委", lianluo.Grant{Role: "npc_office", OrgID: &w.District.ID})
	add("officea", "大碶人大办", lianluo.Grant{Role: "npc_office", OrgID: &w.TownA.ID})
	add("leader", "区人大领导", lianluo.Grant{Role: "npc_leader", OrgID: &w.District.ID})
	add("heada", "大碶站长", lianluo.Grant{Role: "station_head", StationID: &w.StationA.ID})
	add("liaisona", "大碶联络员", lianluo.Grant{Role: "liaison", StationID: &w.StationA.ID})
	add("deputya", "王建国", lianluo.Grant{Role: "deputy", DeputyID: &w.DeputyA1.ID})
	add("unit", "住建局经办人", lianluo.Grant{Role: "unit_handler", OrgID: &w.Unit.ID})
	NoSecondFactor(tb, db)
	return w
}

// MustCreateUser creates u as an administrator would, with
// InitialPassword, and then lets the user change it to u.Password on first
// login, so that the account is in use as most accounts are: no forced
// change pending.
func MustCreateUser(tb testing.TB, db *sqlstore.DB, ctx context.Context, u *lianluo.User) {
	tb.Helper()
	pw := u.Password
	u.Password = InitialPassword
	if err := db.CreateUser(ctx, u); err != nil {
		tb.Fatalf("CreateUser(%s): %v", u.Username, err)
	}
	MustChangeInitialPassword(tb, db, u.Username, InitialPassword, pw)
	u.MustChangePassword = false
}

// MustChangeInitialPassword does what a user does on first login: logs in
// with the password an administrator set, changes it, and logs out.
func MustChangeInitialPassword(tb testing.TB, db *sqlstore.DB, username, initial, password string) {
	tb.Helper()
	bg := context.Background()
	s, err := db.Login(bg, username, initial, "127.0.0.1")
	if err != nil {
		tb.Fatalf("Login(%s): %v", username, err)
	}
	a, err := db.Authenticate(bg, s.Token, "127.0.0.1")
	if err != nil {
		tb.Fatalf("Authenticate(%s): %v", username, err)
	}
	if err := db.ChangePassword(lianluo.NewContextWithActor(bg, a), initial, password); err != nil {
		tb.Fatalf("ChangePassword(%s): %v", username, err)
	}
	if err := db.Logout(bg, s.Token); err != nil {
		tb.Fatalf("Logout(%s): %v", username, err)
	}
}

// Token logs the user in and returns the session token.
func (w *World) Token(tb testing.TB, username string) string {
	tb.Helper()
	s, err := w.DB.Login(context.Background(), username, Password, "127.0.0.1")
	if err != nil {
		tb.Fatalf("Login(%s): %v", username, err)
	}
	return s.Token
}

// As returns a context acting as the user, through the real login path.
// The session is made once per user and kept.
func (w *World) As(tb testing.TB, username string) context.Context {
	tb.Helper()
	if ctx, ok := w.sessions[username]; ok {
		return ctx
	}
	a, err := w.DB.Authenticate(context.Background(), w.Token(tb, username), "127.0.0.1")
	if err != nil {
		tb.Fatalf("Authenticate(%s): %v", username, err)
	}
	ctx := lianluo.NewContextWithActor(context.Background(), a)
	if w.sessions == nil {
		w.sessions = map[string]context.Context{}
	}
	w.sessions[username] = ctx
	return ctx
}

// NoSecondFactor lets a test world's administrators work without the
// second factor the default security settings require of them: the tests
// of other features log in with a password alone (the requirement has its
// own tests, TestSecondFactor*).
func NoSecondFactor(tb testing.TB, db *sqlstore.DB) {
	tb.Helper()
	ctx := SystemContext()
	p, err := db.SecurityPolicy(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	p.MFARoles = []string{}
	if _, err := db.UpdateSecurityPolicy(ctx, p); err != nil {
		tb.Fatal(err)
	}
}
