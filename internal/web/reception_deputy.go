package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"lianluo"
)

// 接待安排 (the section's landing page), 我的接待 (the deputy on a phone),
// the sign-in page the station's code leads to, and unavailability.

type stationRotaLink struct {
	S         *lianluo.Station
	Manage    bool
	Sessions  int
	Published int
}

type receptionHomePage struct {
	basePage
	Year     int
	Stations []stationRotaLink
	Upcoming []sessionRow
	IsDeputy bool
	IsStaff  bool
}

// receptionHome lists the stations in scope with their rota, and the next
// sessions; a deputy with no other role goes straight to 我的接待.
func (a *app) receptionHome(w http.ResponseWriter, r *http.Request) error {
	ctx, ac := r.Context(), actor(r)
	staff := lianluo.AreasOf(ac).Staff
	if !staff {
		if ac.Has(lianluo.RoleDeputy) {
			return redirect(w, r, "/console/my-receptions")
		}
		return lianluo.Forbidden()
	}
	year := a.thisYear()
	p := &receptionHomePage{basePage: basePage{Title: "接待安排", Section: "receptions"}, Year: year, IsDeputy: ac.Has(lianluo.RoleDeputy), IsStaff: staff}
	flashOf(r, &p.basePage)
	stations, err := collect(200, func(pg lianluo.Page) ([]*lianluo.Station, int, error) {
		return a.svc.Stations.FindStations(ctx, lianluo.StationFilter{Active: new(true), Page: pg})
	})
	if err != nil {
		return err
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, lianluo.Beijing)
	to := from.AddDate(1, 0, 0)
	all, _, err := a.svc.Receptions.FindReceptions(ctx, lianluo.ReceptionFilter{From: &from, To: &to, Page: lianluo.AllRows()})
	if err != nil {
		return err
	}
	count, published := map[int64]int{}, map[int64]int{}
	for _, x := range all {
		if x.Status == lianluo.ReceptionCancelled {
			continue
		}
		count[x.StationID]++
		if x.Status == lianluo.ReceptionPublished {
			published[x.StationID]++
		}
	}
	for _, s := range stations {
		manage, _ := lianluo.StationPowers(ac, s.ID, s.RegionCode)
		p.Stations = append(p.Stations, stationRotaLink{S: s, Manage: manage, Sessions: count[s.ID], Published: published[s.ID]})
	}
	now := a.now()
	up, _, err := a.svc.Receptions.FindReceptions(ctx, lianluo.ReceptionFilter{From: &now, Page: lianluo.Page{Page: 1, PerPage: 10}})
	if err != nil {
		return err
	}
	p.Upcoming = sessionRows(up, now)
	return a.render(w, r, http.StatusOK, "reception_home", p)
}

// myTurn is one of the deputy's sessions.
type myTurn struct {
	Row        sessionRow
	Attendance string
	Leave      string
	Present    bool
	CanLeave   bool
	SignInNow  bool
}

type myReceptionsPage struct {
	basePage
	Year        int
	DeputyID    int64
	Name        string
	Upcoming    []myTurn // the next few, in full
	Later       []myTurn // the rest of the plan, listed
	Total       int
	Past        []myTurn
	Att         lianluo.AttendanceRow
	Rate        int
	Unavail     []lianluo.Unavailability
	UnavailF    formState
	From, To    string
	Reason      string
	CalendarURL string
	Activities  []myActivityRow // 代表活动 the deputy is invited to (activities.go)
}

// myNextTurns is how many coming turns 我的接待 shows in full.
const myNextTurns = 3

func (a *app) myReceptions(w http.ResponseWriter, r *http.Request) error {
	return a.showMine(w, r, http.StatusOK, nil, lianluo.Unavailability{})
}

// myDeputyID is the deputy the caller is (the first, for an account linked to several).
func myDeputyID(ac *lianluo.Actor) (int64, error) {
	if !ac.Has(lianluo.RoleDeputy) || len(ac.Scope.Deputies) == 0 {
		return 0, lianluo.Errorf(lianluo.EFORBIDDEN, "“我的接待”只对人大代表本人开放。")
	}
	return ac.Scope.Deputies[0], nil
}

func (a *app) showMine(w http.ResponseWriter, r *http.Request, status int, uf *formState, u lianluo.Unavailability) error {
	ctx, ac := r.Context(), actor(r)
	id, err := myDeputyID(ac)
	if err != nil {
		return err
	}
	d, err := a.svc.Deputies.FindDeputyByID(ctx, id)
	if err != nil {
		return err
	}
	year := a.thisYear()
	p := &myReceptionsPage{basePage: basePage{Title: "我的接待", Section: "receptions"}, Year: year, DeputyID: id, Name: d.Name,
		From: u.From, To: u.To, Reason: u.Reason}
	flashOf(r, &p.basePage)
	if uf != nil {
		p.UnavailF = *uf
	}
	now := a.now()
	from := time.Date(year-1, 1, 1, 0, 0, 0, 0, lianluo.Beijing)
	list, _, err := a.svc.Receptions.FindReceptions(ctx, lianluo.ReceptionFilter{DeputyID: id, From: &from, Page: lianluo.AllRows()})
	if err != nil {
		return err
	}
	for _, rc := range list {
		if rc.Status == lianluo.ReceptionDraft {
			continue // not yet decided
		}
		t := turnOf(rc, id, now)
		if rc.EndsAt.Before(now) {
			p.Past = append(p.Past, t)
		} else {
			p.Upcoming = append(p.Upcoming, t)
		}
	}
	slices.Reverse(p.Past) // the latest first
	if p.Activities, err = a.myActivities(ctx, id); err != nil {
		return err
	}
	// A weekly plan is fifty turns: on a phone the next few are enough.
	p.Total = len(p.Upcoming)
	if len(p.Upcoming) > myNextTurns {
		p.Upcoming, p.Later = p.Upcoming[:myNextTurns], p.Upcoming[myNextTurns:]
	}
	rows, err := a.svc.Receptions.Attendance(ctx, lianluo.AttendanceFilter{Year: year})
	if err != nil {
		return err
	}
	p.Att = lianluo.AttendanceRow{DeputyID: id, Name: d.Name}
	for _, x := range rows {
		if x.DeputyID == id {
			p.Att = x
		}
	}
	p.Rate = p.Att.Rate()
	if p.Unavail, err = a.svc.Receptions.FindUnavailability(ctx, id); err != nil {
		return err
	}
	token, err := a.svc.Receptions.FeedToken(ctx, "deputy", id)
	if err != nil {
		return err
	}
	p.CalendarURL = a.baseURL(r) + "/ical/" + token + ".ics"
	return a.render(w, r, status, "reception_mine", p)
}

// turnOf is one session as its deputy sees it: their attendance and leave,
// and whether they may ask for leave or sign in now.
func turnOf(rc *lianluo.Reception, id int64, now time.Time) myTurn {
	t := myTurn{Row: sessionRows([]*lianluo.Reception{rc}, now)[0]}
	for _, x := range rc.Deputies {
		if x.DeputyID != id {
			continue
		}
		t.Attendance = lianluo.AttendanceName(x.Attendance, rc.EndsAt.Before(now))
		if x.LeaveStatus != "" {
			t.Leave = "请假" + lianluo.LeaveStatusNames[x.LeaveStatus]
		}
		active := rc.Status == lianluo.ReceptionPublished
		t.Present = x.Attendance == lianluo.AttendPresent
		t.CanLeave = active && now.Before(rc.StartsAt) && !t.Present && x.LeaveStatus != lianluo.LeavePending && x.LeaveStatus != lianluo.LeaveApproved
		t.SignInNow = active && !now.Before(rc.StartsAt.Add(-lianluo.SignInEarly)) && !now.After(rc.EndsAt) && x.Attendance != lianluo.AttendPresent
	}
	return t
}

func (a *app) unavailabilityAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := myDeputyID(actor(r))
	if err != nil {
		return err
	}
	u := lianluo.Unavailability{DeputyID: id, From: formStr(r, "from"), To: formStr(r, "to"), Reason: formStr(r, "reason")}
	if err := a.svc.Receptions.AddUnavailability(r.Context(), &u); err != nil {
		var f formState
		if !f.take(err, "from", "to", "reason") {
			return err
		}
		return a.showMine(w, r, f.status(err), &f, u)
	}
	return redirect(w, r, "/console/my-receptions?ok=unavailable#unavailable")
}

func (a *app) unavailabilityDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.svc.Receptions.DeleteUnavailability(r.Context(), id); err != nil {
		return err
	}
	return redirect(w, r, "/console/my-receptions?ok=deleted#unavailable")
}

// The sign-in page: GET /console/signin/{station_id}, where the station's
// printed code leads. One big button; a plain message when there is nothing
// to sign in to.

type signInPage struct {
	basePage
	StationID   string
	StationName string
	R           *lianluo.Reception
	Day, Time   string
	FormText    string
	Me          *lianluo.ReceptionDeputy
	SignedAt    string
	Message     string
}

func (a *app) signInPage(w http.ResponseWriter, r *http.Request) error {
	return a.showSignIn(w, r, r.PathValue("station_id"), http.StatusOK, "")
}

func (a *app) showSignIn(w http.ResponseWriter, r *http.Request, station string, status int, message string) error {
	ctx, ac := r.Context(), actor(r)
	stationID, err := strconv.ParseInt(station, 10, 64)
	if err != nil || stationID <= 0 {
		return lianluo.Errorf(lianluo.ENOTFOUND, "签到码无效，请扫描联络站张贴的签到码。")
	}
	p := &signInPage{basePage: basePage{Title: "代表签到", Section: "receptions"}, StationID: station, Message: message}
	flashOf(r, &p.basePage)
	if s, err := a.svc.Stations.FindStationByID(ctx, stationID); err == nil {
		p.StationName = s.Name
	}
	rc, err := a.svc.Receptions.CurrentReception(ctx, stationID)
	switch c := lianluo.ErrorCode(err); {
	case err == nil:
		p.R, p.Day, p.Time, p.FormText = rc, fmt.Sprintf("%d年%s", rc.StartsAt.Year(), dayText(rc.StartsAt)), timeSpan(rc), formText(rc.Form, rc.Theme)
		if p.StationName == "" {
			p.StationName = rc.StationName
		}
		for i := range rc.Deputies {
			if slices.Contains(ac.Scope.Deputies, rc.Deputies[i].DeputyID) {
				p.Me = &rc.Deputies[i]
			}
		}
		if p.Me != nil && p.Me.SignedInAt != nil {
			p.SignedAt = p.Me.SignedInAt.In(lianluo.Beijing).Format("15:04")
		}
	case c == lianluo.ENOTFOUND || c == lianluo.EFORBIDDEN:
		if p.Message == "" {
			p.Message = lianluo.ErrorMessage(err)
		}
	default:
		return err
	}
	return a.render(w, r, status, "reception_signin", p)
}

// deputyReceptionsPage is the office's view of one deputy's turns, with
// their calendar link.
type deputyReceptionsPage struct {
	basePage
	D           *lianluo.Deputy
	Year        int
	Turns       []sessionRow
	CalendarURL string
	Unavail     []lianluo.Unavailability
}

func (a *app) deputyReceptions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	d, err := a.svc.Deputies.FindDeputyByID(ctx, id)
	if err != nil {
		return err
	}
	year := a.yearParam(r)
	p := &deputyReceptionsPage{basePage: basePage{Title: d.Name + "的接待安排", Section: "receptions"}, D: d, Year: year}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, lianluo.Beijing)
	to := from.AddDate(1, 0, 0)
	list, _, err := a.svc.Receptions.FindReceptions(ctx, lianluo.ReceptionFilter{DeputyID: id, From: &from, To: &to, Page: lianluo.AllRows()})
	if err != nil {
		return err
	}
	p.Turns = sessionRows(list, a.now())
	if p.Unavail, err = a.svc.Receptions.FindUnavailability(ctx, id); err != nil {
		return err
	}
	// The link is the deputy's own secret; the office may hand it over.
	if token, err := a.svc.Receptions.FeedToken(ctx, "deputy", id); err == nil {
		p.CalendarURL = a.baseURL(r) + "/ical/" + token + ".ics"
	} else if c := lianluo.ErrorCode(err); c != lianluo.EFORBIDDEN && c != lianluo.ENOTFOUND {
		return err
	}
	return a.render(w, r, http.StatusOK, "reception_deputy", p)
}
