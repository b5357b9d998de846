package lianluo

import (
	"strings"
	"testing"
	"time"
)

func TestBallotRules(t *testing.T) {
	end := time.Date(2026, 3, 10, 11, 0, 0, 0, Beijing)
	b := &Ballot{Status: BallotOpen, ClosesAt: BallotClosesAt(end), Items: []BallotItem{{"d1", "王建国代表"}}}
	if got, want := b.ClosesAt, end.Add(24*time.Hour); !got.Equal(want) {
		t.Errorf("BallotClosesAt = %v; want %v", got, want)
	}
	for _, tc := range []struct {
		now  time.Time
		open bool
	}{{end, true}, {end.Add(24*time.Hour - time.Second), true}, {end.Add(24 * time.Hour), false}} {
		if got := b.Accepts(tc.now) == nil; got != tc.open {
			t.Errorf("Accepts(%v) open = %v; want %v", tc.now, got, tc.open)
		}
	}
	closed := *b
	closed.Status = BallotClosed
	if err := closed.Accepts(end); !Is(err, ESTATE) {
		t.Errorf("a closed ballot accepts: %v", err)
	}

	for _, tc := range []struct {
		v     BallotVote
		field string
	}{
		{BallotVote{Choices: map[string]BallotChoice{"d1": ChoiceBasic}, Phone: "139 0000 1111"}, ""},
		{BallotVote{Choices: map[string]BallotChoice{"d1": ChoiceBasic}, Phone: "0574-86881234"}, ""},
		{BallotVote{Choices: map[string]BallotChoice{}, Phone: "13900001111"}, "choices"},
		{BallotVote{Choices: map[string]BallotChoice{"d1": ChoiceBasic, "d2": ChoiceBasic}, Phone: "13900001111"}, "choices"},
		{BallotVote{Choices: map[string]BallotChoice{"d1": "ok"}, Phone: "13900001111"}, "choices"},
		{BallotVote{Choices: map[string]BallotChoice{"d1": ChoiceBasic}}, "phone"},
		{BallotVote{Choices: map[string]BallotChoice{"d1": ChoiceBasic}, Phone: "1390000"}, "phone"},
		{BallotVote{Choices: map[string]BallotChoice{"d1": ChoiceBasic}, Phone: "13900001111", Comment: strings.Repeat("很", 501)}, "comment"},
	} {
		err := tc.v.Validate(b)
		if ErrorField(err) != tc.field || (tc.field == "") != (err == nil) {
			t.Errorf("Validate(%+v) = %v; want field %q", tc.v, err, tc.field)
		}
	}

	tally := NewBallotTally(b, map[string]ChoiceCounts{"d1": {Satisfied: 3, Basic: 1}}, map[string]ChoiceCounts{"d1": {Dissatisfied: 1}}, 4,
		[]string{"  ", "电话13900001111，座机0574-86881234"})
	if got, want := tally.Summary(), "王建国代表：满意3票、基本满意1票、不满意1票（满意和基本满意占80%），其中纸质票1张"; got != want {
		t.Errorf("Summary = %q; want %q", got, want)
	}
	if got, want := strings.Join(tally.Comments, "|"), "电话139****1111，座机057******1234"; got != want {
		t.Errorf("Comments = %q; want %q", got, want)
	}

	deputy := &Actor{User: &User{Roles: []Grant{{Role: RoleDeputy}}}, Scope: Scope{Deputies: []int64{1}}}
	office := &Actor{User: &User{Roles: []Grant{{Role: RoleNPCOffice}}}}
	for _, tc := range []struct {
		a      *Actor
		manage bool
		want   bool
	}{{office, true, true}, {office, false, false}, {deputy, true, false}, {nil, true, false}} {
		if got := CanManageBallot(tc.a, tc.manage, b); got != tc.want {
			t.Errorf("CanManageBallot(%v, %v) = %v; want %v", tc.a, tc.manage, got, tc.want)
		}
	}
}
