package web

import (
	"fmt"
	"net/http"
	"slices"

	"lianluo"
)

// What every occasion's page shows the same way, whatever its kind: the
// invited deputies with their attendance and leave, the viewer's own
// sign-in and leave, the linked cases and the photos (templates/occasion.html).

// occasion is one occasion as the shared pages read it; a kind's load
// fills it from its own record (occasion_kinds.go).
type occasion struct {
	ID        int64
	Version   int
	Rules     lianluo.Occasion   // what the attendance rules need
	Organiser *lianluo.Organiser // nil when the organiser is out of the viewer's scope: no powers
	Station   *lianluo.Station   // the organising station, when loaded
	Deputies  []lianluo.ReceptionDeputy
	CaseIDs   []int64
	Photos    int
	X         any // the kind's own record: *lianluo.Reception, *lianluo.Activity
}

// inviteeRow is an invited deputy as the table shows them.
type inviteeRow struct {
	D          lianluo.ReceptionDeputy
	Attendance string
	SignedAt   string
	SignedBy   string
	Leave      string // "待审批：出差" …
	Pending    bool
	Me         bool
}

// caseLink is a case linked to an occasion.
type caseLink struct {
	ID           int64
	Title        string
	TrackingCode string
	Status       string
}

// occasionView is the shared part of an occasion's page; each kind's page
// struct embeds it, and the partials of occasion.html read it.
type occasionView struct {
	W         *occasionWords
	URL       string // the page: /console/receptions/12
	ID        int64
	Version   int
	Message   string // a refused action, in the store's words
	Started   bool
	Ended     bool
	CanManage bool // change, cancel, decide leave
	CanWork   bool // mark attendance, record, photos, cases
	CanMark   bool // attendance may be marked now (lianluo.CheckMarkAttendance)
	CanAdd    bool // photos and cases may be added (lianluo.CheckAddToRecord)
	CanCancel bool // it may be cancelled (lianluo.CheckCancel)
	LinkNames bool // the deputies' names lead to their registry page (staff only)
	Deputies  []inviteeRow
	Me        *inviteeRow // the viewer, when they are invited
	CanLeave  bool
	CanSignIn bool
	Warning   string // above the deputies: e.g. too few of them
	LeaveF    formState
	Reason    string
	CaseF     formState
	CaseRef   string
	Cases     []caseLink
	Intake    string // the case form that registers a case at it, where the kind has one
	Photos    []int
	PhotoErr  string
	MaxPhoto  int

	flash string // the confirmation ?ok= names, for the kind's basePage
}

// occasionState is what a POST hands back when re-showing the page: the
// shared forms, and the kind's own edit and record forms (editIn and recIn
// are the kind's input types).
type occasionState struct {
	status   int
	message  string
	leave    *formState
	reason   string
	caseF    *formState
	caseRef  string
	photoErr string
	edit     *formState
	editIn   any
	rec      *formState
	recIn    any
}

func (a *app) occasionView(r *http.Request, k *occasionKind, o *occasion, st occasionState) occasionView {
	ctx, ac, now := r.Context(), actor(r), a.now()
	v := occasionView{W: &k.words, URL: k.url(o.ID, "", ""), ID: o.ID, Version: o.Version, Message: st.message,
		Started: !now.Before(o.Rules.StartsAt), Ended: now.After(o.Rules.EndsAt),
		Reason: st.reason, CaseRef: st.caseRef, PhotoErr: st.photoErr, MaxPhoto: lianluo.MaxPhotoBytes >> 20, flash: k.flash(r)}
	if o.Organiser != nil {
		v.CanManage, v.CanWork = lianluo.OccasionPowers(ac, *o.Organiser)
	}
	v.CanMark = v.CanWork && lianluo.CheckMarkAttendance(o.Rules, lianluo.AttendPresent, now) == nil
	v.CanAdd = v.CanWork && lianluo.CheckAddToRecord(o.Rules) == nil
	v.LinkNames = v.CanWork || v.CanManage
	v.CanCancel = v.CanManage && lianluo.CheckCancel(o.Rules, lianluo.InviteesOf(o.Deputies)) == nil
	for _, d := range o.Deputies {
		row := inviteeRow{D: d, Attendance: lianluo.AttendanceName(d.Attendance, v.Ended),
			Me: ac.Has(lianluo.RoleDeputy) && slices.Contains(ac.Scope.Deputies, d.DeputyID)}
		if d.SignedInAt != nil {
			at := d.SignedInAt.In(lianluo.Beijing)
			row.SignedAt = at.Format("15:04")
			if at.Format("2006-01-02") != o.Rules.StartsAt.In(lianluo.Beijing).Format("2006-01-02") {
				row.SignedAt = at.Format("1月2日15:04") // registered afterwards
			}
			row.SignedBy = map[string]string{"self": k.words.SelfSignIn, "staff": "工作人员登记"}[d.SignedBy]
		}
		if d.LeaveStatus != "" {
			row.Leave = lianluo.LeaveStatusNames[d.LeaveStatus] + "：" + d.LeaveReason
			row.Pending = d.LeaveStatus == lianluo.LeavePending
		}
		v.Deputies = append(v.Deputies, row)
	}
	for i := range v.Deputies {
		if v.Deputies[i].Me {
			v.Me = &v.Deputies[i]
		}
	}
	if v.Me != nil {
		v.CanLeave = lianluo.CheckLeaveRequest(o.Rules, v.Me.D.Invitee(), now) == nil
		v.CanSignIn = lianluo.CheckSignIn(o.Rules, v.Me.D.Invitee(), now) == nil
	}
	if st.leave != nil {
		v.LeaveF = *st.leave
	}
	if st.caseF != nil {
		v.CaseF = *st.caseF
	}
	for _, cid := range o.CaseIDs {
		link := caseLink{ID: cid, Title: fmt.Sprintf("意见 #%d", cid)}
		if c, err := a.svc.Cases.FindCaseByID(ctx, cid); err == nil {
			link.Title, link.TrackingCode, link.Status = c.Title, c.TrackingCode, lianluo.StatusNames[c.Status]
		}
		v.Cases = append(v.Cases, link)
	}
	for n := 1; n <= o.Photos; n++ {
		v.Photos = append(v.Photos, n)
	}
	return v
}
