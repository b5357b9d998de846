package sqlstore_test

import (
	"fmt"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

// The deputies who received a case are told when its answer is fed back
// to the voter: an account in-app and by its chosen channels, a deputy
// without an account by text to the phone on record; whoever fed back is
// not told of their own step.
func TestFeedbackTellsReceivingDeputies(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := mustCaseWorld(t, db)
		sys := storetest.SystemContext()
		mustSetPhone(t, w.World, "deputya", "13912345678")
		mustSetPrefs(t, w.World, "deputya", "", lianluo.ChannelSMS)
		// A second receiving deputy, without an account.
		other := &lianluo.Deputy{Name: "赵敏", Gender: "female", Phone: "13700009999", RegionCode: "330206004",
			Seats: []lianluo.Seat{{Level: "county", Term: 18}}}
		if err := db.CreateDeputy(sys, other); err != nil {
			t.Fatal(err)
		}
		replied := func(receivedBy ...int64) *lianluo.Case {
			c, err := db.CreateCase(sys, lianluo.CaseInput{Channel: "visit", StationID: &w.StationA.ID, Title: "雨后路面积水严重",
				Content: "长江路口每逢大雨积水。", Category: "道路维修", RegionCode: "330206004", ReceivedBy: receivedBy,
				Submitter: lianluo.Submitter{Name: "张三", Phone: "13912340000"}})
			if err != nil {
				t.Fatal(err)
			}
			c = w.act(t, "liaisona", c, "triage", lianluo.CaseAction{Outcome: "forward"})
			c = w.act(t, "leadera", c, "approve", lianluo.CaseAction{LeadUnitID: &w.UnitA.ID})
			c = w.act(t, "unita", c, "sign", lianluo.CaseAction{})
			return w.act(t, "unita", c, "reply", lianluo.CaseAction{Result: "A", Content: "已疏通排水管道。"})
		}

		c := replied(w.DeputyA1.ID, other.ID)
		if got := outboxOf(t, w.World, "case_fed_back"); len(got) != 0 {
			t.Fatalf("told before the feedback: %v", got)
		}
		w.act(t, "liaisona", c, "feedback", lianluo.CaseAction{Content: "已疏通，雨天请再观察。"})
		want := "[inapp→deputya sms→ 13700009999 :sms sms→deputya 13912345678 :sms]"
		if got := fmt.Sprint(outboxOf(t, w.World, "case_fed_back")); got != want {
			t.Errorf("case_fed_back outbox = %s; want %s", got, want)
		}
		if n := countNotes(t, db, `template = 'case_fed_back' AND body = $1`,
			"您接待的群众意见“雨后路面积水严重”，办理结果已反馈给反映人：已疏通，雨天请再观察。请对办理结果进行满意度测评。"); n != 3 {
			t.Errorf("case_fed_back rows with the wording = %d; want 3", n)
		}

		// The receiving deputy feeding back themself is not told.
		c = replied(w.DeputyA1.ID)
		w.act(t, "deputya", c, "feedback", lianluo.CaseAction{Content: "我已当面告知。"})
		if got := fmt.Sprint(outboxOf(t, w.World, "case_fed_back")); got != want {
			t.Errorf("case_fed_back outbox after the deputy's own feedback = %s; want still %s", got, want)
		}
	})
}
