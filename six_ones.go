package lianluo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// 六个一 (003 人大代表开展“六个一”活动制度 and 人大代表小组开展“六个一”活动
// 制度): six yearly items for each deputy and six for each deputy group,
// measured from what is recorded. What counts for each item is decided
// here, in SixOneRules, once; the store only fetches a year's facts (the
// records that could count, with their status) and calls MeasureSixOnes.

// SixOneEvidence is a record that counts for an item: its kind (activity,
// reception, diary, case, duty_record), id and date (Beijing, "2006-01-02").
type SixOneEvidence struct {
	Kind string `json:"kind"`
	ID   int64  `json:"id"`
	Date string `json:"date"`
}

// Kinds of evidence.
const (
	EvidenceActivity   = "activity"
	EvidenceReception  = "reception"
	EvidenceDiary      = "diary"
	EvidenceCase       = "case"
	EvidenceDutyRecord = "duty_record"
	EvidenceSuggestion = "suggestion" // a suggestion or bill the deputy led or signed, put forward
)

// SixOneFact is a record the store found for a deputy or group in a year.
// Sub is the record's own kind (an activity's kind, a duty record's kind);
// Status what the rules look at: for an activity or reception the deputy's
// attendance (a group's own activity: the activity's status), for a diary
// entry, duty record or case its status — a case handed to a unit has the
// status "accepted" here.
type SixOneFact struct {
	SixOneEvidence
	Sub    string
	Status string
}

// CaseAccepted is a case's status in a SixOneFact once it was accepted and
// handed to a unit (交办): the grassroots opinion was taken up.
const CaseAccepted = "accepted"

// SixOneRule is one item of a 六个一 list.
type SixOneRule struct {
	Key      string
	Name     string
	HalfYear bool // 每半年: one in each half of the year
	counts   func(f SixOneFact) bool
}

// Whose 六个一.
const (
	SixOnesDeputy = "deputy"
	SixOnesGroup  = "group"
)

func dutyConfirmed(k DutyKind) func(SixOneFact) bool {
	return func(f SixOneFact) bool {
		return f.Kind == EvidenceDutyRecord && f.Sub == string(k) && f.Status == string(DutyConfirmed)
	}
}

func groupActivity(kinds ...string) func(SixOneFact) bool {
	return func(f SixOneFact) bool {
		if f.Kind != EvidenceActivity || f.Status != ActivityDone {
			return false
		}
		for _, k := range kinds {
			if f.Sub == k {
				return true
			}
		}
		return false
	}
}

// SixOneRules are the two lists of 003, in its order.
//
// The deputy's facts are their own: activities of their deputy group they
// were invited to, receptions they were on the rota for, their diary
// entries, the cases they received and their duty records. The group's
// facts are the activities the group organised.
var SixOneRules = map[string][]SixOneRule{
	SixOnesDeputy: {
		{Key: "group_activity", Name: "每半年至少参加一次代表小组活动", HalfYear: true,
			counts: func(f SixOneFact) bool { return f.Kind == EvidenceActivity && f.Status == AttendPresent }},
		// 有质量: the opinion was accepted and handed to a unit, not
		// answered on the spot, explained away or refused.
		{Key: "opinion", Name: "每年提一件有质量的建议、批评和意见",
			// A formal suggestion or bill they led or signed counts too,
			// once put forward (not a draft).
			counts: func(f SixOneFact) bool {
				return (f.Kind == EvidenceCase && f.Status == CaseAccepted) ||
					(f.Kind == EvidenceSuggestion && f.Status != string(StatusDraft))
			}},
		{Key: "good_deed", Name: "每年为本选区选民办一件实事好事", counts: dutyConfirmed(DutyGoodDeed)},
		// 联系选民 (003 人大代表联系选民制度: 接待选民, 走访选民): a reception
		// the deputy attended, or a 民情日记 entry the voter confirmed.
		{Key: "contact_voters", Name: "每年进行一次联系本选区选民活动",
			counts: func(f SixOneFact) bool {
				return (f.Kind == EvidenceReception && f.Status == AttendPresent) ||
					(f.Kind == EvidenceDiary && f.Status == DiaryConfirmed)
			}},
		{Key: "aid", Name: "每年帮扶一户困难户", counts: dutyConfirmed(DutyAid)},
		{Key: "survey", Name: "每半年开展一次代表民情调查", HalfYear: true, counts: dutyConfirmed(DutySurvey)},
	},
	SixOnesGroup: {
		{Key: "training", Name: "每年组织一次代表培训", counts: groupActivity(ActivityTraining)},
		{Key: "report", Name: "每年至少安排一次代表向选区选民述职活动", counts: groupActivity(ActivityReport)},
		{Key: "inspection", Name: "每年至少组织一次代表视察、检查和调研活动",
			counts: groupActivity(ActivityInspection, ActivityLawCheck, ActivityResearch)},
		{Key: "voter_talk", Name: "每半年组织一次人大代表民情恳谈", HalfYear: true, counts: groupActivity(ActivityVoterTalk)},
		{Key: "opinion_review", Name: "每年会前组织人大代表进行一次建议、批评和意见筛选整理", counts: groupActivity(ActivityOpinionReview)},
		{Key: "duty_review", Name: "每年组织一次代表履职情况总结和经验交流", counts: groupActivity(ActivityDutyReview)},
	},
}

// SixOneItem is how one item stands in a year. A yearly item requires 1
// and Done counts the records that count. A half-yearly item requires 2
// and Done counts the halves (January–June, July–December) with at least
// one record that counts, so one half done twice is still 1 and not met.
type SixOneItem struct {
	Key      string           `json:"key"`
	Name     string           `json:"name"`
	Required int              `json:"required"`
	Done     int              `json:"done"`
	Met      bool             `json:"met"`
	Evidence []SixOneEvidence `json:"evidence"`
}

// SixOnes is a deputy's or group's 六个一 in a year.
type SixOnes struct {
	Whose string       `json:"whose"` // deputy | group
	ID    int64        `json:"id"`
	Name  string       `json:"name"`
	Year  int          `json:"year"`
	Items []SixOneItem `json:"items"`
}

// Met counts the items met.
func (s *SixOnes) Met() int {
	n := 0
	for _, it := range s.Items {
		if it.Met {
			n++
		}
	}
	return n
}

// MeasureSixOnes measures the facts of a year against the list whose
// (SixOnesDeputy or SixOnesGroup). Facts dated outside the year are ignored.
func MeasureSixOnes(whose string, year int, facts []SixOneFact) []SixOneItem {
	prefix := strconv.Itoa(year) + "-"
	facts = slices.Clone(facts)
	slices.SortStableFunc(facts, func(a, b SixOneFact) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	items := []SixOneItem{}
	for _, r := range SixOneRules[whose] {
		it := SixOneItem{Key: r.Key, Name: r.Name, Required: 1, Evidence: []SixOneEvidence{}}
		var halves [2]bool
		for _, f := range facts {
			if !strings.HasPrefix(f.Date, prefix) || !r.counts(f) {
				continue
			}
			it.Evidence = append(it.Evidence, f.SixOneEvidence)
			halves[secondHalf(f.Date)] = true
		}
		if r.HalfYear {
			it.Required = 2
			for _, h := range halves {
				if h {
					it.Done++
				}
			}
		} else {
			it.Done = len(it.Evidence)
		}
		it.Met = it.Done >= it.Required
		items = append(items, it)
	}
	return items
}

// secondHalf is 1 for a date ("2006-01-02") from July on, else 0.
func secondHalf(date string) int {
	if len(date) >= 7 && date[5:7] >= "07" {
		return 1
	}
	return 0
}

// SixOneService measures 六个一. A deputy reads their own; the office and
// station staff those in their scope; anyone else gets not found.
type SixOneService interface {
	DeputySixOnes(ctx context.Context, deputyID int64, year int) (*SixOnes, error)
	GroupSixOnes(ctx context.Context, groupID int64, year int) (*SixOnes, error)
}

// SixOnesReminderDays is how many days before the half-year's or the
// year's end the reminder of what is missing goes out (one a period).
const SixOnesReminderDays = 30

// SixOnesReminderPeriod says whether now (Beijing) lies in a reminder
// window — the last SixOnesReminderDays days of June or of December — and
// names the period: "2026H1", "2026H2".
func SixOnesReminderPeriod(now time.Time) (period string, due bool) {
	bj := now.In(Beijing)
	y := bj.Year()
	for half, end := range []time.Time{time.Date(y, 7, 1, 0, 0, 0, 0, Beijing), time.Date(y+1, 1, 1, 0, 0, 0, 0, Beijing)} {
		if bj.Before(end) && !bj.Before(end.AddDate(0, 0, -SixOnesReminderDays)) {
			return fmt.Sprintf("%dH%d", y, half+1), true
		}
	}
	return "", false
}

// SixOnesMissing lists the items a reminder in the period names: at the
// half-year, each half-yearly item with nothing counted in the first half;
// at the year's end, every item not met for the year.
func SixOnesMissing(s *SixOnes, period string) []string {
	var out []string
	firstHalf := strings.HasSuffix(period, "H1")
	for _, r := range SixOneRules[s.Whose] {
		for _, it := range s.Items {
			if it.Key != r.Key {
				continue
			}
			switch {
			case firstHalf && r.HalfYear:
				if !slices.ContainsFunc(it.Evidence, func(e SixOneEvidence) bool { return secondHalf(e.Date) == 0 }) {
					out = append(out, it.Name)
				}
			case !firstHalf && !it.Met:
				out = append(out, it.Name)
			}
		}
	}
	return out
}

// SixOnesPeriodName is how a reminder names its period: 上半年 by 30 June,
// 今年 by 31 December.
func SixOnesPeriodName(period string) string {
	if strings.HasSuffix(period, "H1") {
		return "今年上半年（6月30日前）"
	}
	return "今年（12月31日前）"
}
