package lianluo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Ballots (民主测评): the voters' evaluation at a meeting — a deputy's report
// to the voters (述职, 003 人大代表向选民述职制度 六: 述职后由选民对其进行评议;
// 004 三要公允评议) or an appraisal of the units' work (工作评议). Each voter
// marks 满意, 基本满意 or 不满意 for every item (the deputy; or each unit
// appraised) and may add a comment. Voters vote on their phones at a public
// address (the ballot's token, printed as a QR code), once per phone number;
// staff add the paper ballots' counts. A ballot closes when staff close it
// or a day after the meeting ends (BallotGrace); closing hands the tally to
// whoever the subject is (docs/reports.md).

// BallotChoice is a voter's mark for one item.
type BallotChoice string

// The three marks of 民主测评.
const (
	ChoiceSatisfied    BallotChoice = "satisfied"    // 满意
	ChoiceBasic        BallotChoice = "basic"        // 基本满意
	ChoiceDissatisfied BallotChoice = "dissatisfied" // 不满意
)

// BallotChoices lists the marks in the order ballots show them.
var BallotChoices = []BallotChoice{ChoiceSatisfied, ChoiceBasic, ChoiceDissatisfied}

// BallotChoiceNames are the Chinese names of the marks.
var BallotChoiceNames = map[BallotChoice]string{ChoiceSatisfied: "满意", ChoiceBasic: "基本满意", ChoiceDissatisfied: "不满意"}

// Name is the mark's Chinese name.
func (c BallotChoice) Name() string { return BallotChoiceNames[c] }

// BallotSubject is what a ballot evaluates.
type BallotSubject string

// Ballot subjects.
const (
	BallotReport    BallotSubject = "report"    // a deputy's 述职 (report_plan.go)
	BallotAppraisal BallotSubject = "appraisal" // 工作评议 of units
)

// BallotStatus is whether a ballot takes votes.
type BallotStatus string

// Ballot statuses.
const (
	BallotOpen   BallotStatus = "open"
	BallotClosed BallotStatus = "closed"
)

// BallotStatusNames are the Chinese names of the statuses.
var BallotStatusNames = map[BallotStatus]string{BallotOpen: "测评中", BallotClosed: "已结束"}

// BallotGrace is how long after the meeting's end voters may still vote:
// some take the code home, and a day covers the evening after a meeting.
const BallotGrace = 24 * time.Hour

// MaxBallotComment bounds a voter's comment, in characters.
const MaxBallotComment = 500

// MaxPaperCount bounds one count of paper ballots: more than any meeting
// hall holds, so a typo of an extra digit or two is caught.
const MaxPaperCount = 10000

// BallotItem is one thing voters mark: the reporting deputy, or a unit.
// Key is "d<deputy id>" for a deputy, "u<unit id>" for a unit.
type BallotItem struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// DeputyItemKey is the key of the item for a deputy.
func DeputyItemKey(deputyID int64) string { return "d" + strconv.FormatInt(deputyID, 10) }

// Ballot is one evaluation.
type Ballot struct {
	ID          int64         `json:"id"`
	SubjectKind BallotSubject `json:"subject_kind"`
	SubjectID   int64         `json:"subject_id"` // the 述职 (report plan entry) or the appraisal
	ActivityID  int64         `json:"activity_id"`
	Title       string        `json:"title"` // 张三代表向选民述职
	Items       []BallotItem  `json:"items"`
	// Token is the secret of the public address /ballot/{token}; staff
	// only (it is printed as the QR code).
	Token        string       `json:"token,omitempty"`
	ClosesAt     time.Time    `json:"closes_at"`
	ClosedAt     *time.Time   `json:"closed_at,omitempty"`
	Status       BallotStatus `json:"status"`
	Version      int          `json:"version"`
	PaperVersion int          `json:"paper_version"`
	Tally        *BallotTally `json:"tally,omitempty"`
	CanManage    bool         `json:"can_manage"` // the caller may close it and enter paper counts
}

// BallotClosesAt is when a ballot of a meeting ending at end closes by itself.
func BallotClosesAt(end time.Time) time.Time { return end.Add(BallotGrace) }

// errBallotClosed is what a voter hears of a closed ballot.
func errBallotClosed() error {
	return Errorf(ESTATE, "本次测评已经结束，不再接受投票。感谢您的关注！")
}

// Accepts decides whether the ballot takes a vote now: open, and before ClosesAt.
func (b *Ballot) Accepts(now time.Time) error {
	if b.Status != BallotOpen || !now.Before(b.ClosesAt) {
		return errBallotClosed()
	}
	return nil
}

// Due reports whether an open ballot has passed ClosesAt (the job closes it).
func (b *Ballot) Due(now time.Time) bool { return b.Status == BallotOpen && !now.Before(b.ClosesAt) }

// HasItem reports whether the ballot has the item.
func (b *Ballot) HasItem(key string) bool {
	for _, it := range b.Items {
		if it.Key == key {
			return true
		}
	}
	return false
}

// BallotVote is one voter's ballot (POST /api/v1/public/ballots/{token}).
type BallotVote struct {
	Choices map[string]BallotChoice `json:"choices"` // by item key
	Comment string                  `json:"comment"`
	Phone   string                  `json:"phone"`
}

// Validate checks a vote against the ballot: a mark for every item, a
// comment of at most MaxBallotComment characters, a valid phone number
// (one vote per phone: the number is how a second vote is known).
func (v *BallotVote) Validate(b *Ballot) error {
	// A voter may type the number in groups: 139 0000 1111.
	v.Comment, v.Phone = strings.TrimSpace(v.Comment), strings.Join(strings.Fields(v.Phone), "")
	for _, it := range b.Items {
		c, ok := v.Choices[it.Key]
		if !ok || c == "" {
			return FieldError("choices", "请对“%s”选择满意、基本满意或不满意。", it.Label)
		}
		if BallotChoiceNames[c] == "" {
			return FieldError("choices", "对“%s”的评价不正确，应为满意、基本满意或不满意。", it.Label)
		}
	}
	for k := range v.Choices {
		if !b.HasItem(k) {
			return FieldError("choices", "测评项目“%s”不在本次测评中。", k)
		}
	}
	var val Validator
	val.MaxLen("comment", "意见建议", v.Comment, MaxBallotComment)
	val.Require("phone", "手机号码", v.Phone)
	val.Phone("phone", "手机号码", v.Phone)
	if val.Err != nil {
		return val.Err
	}
	if err := CheckText("comment", v.Comment); err != nil {
		return err
	}
	return nil
}

// ChoiceCounts counts the marks of one item.
type ChoiceCounts struct {
	Satisfied    int `json:"satisfied"`
	Basic        int `json:"basic"`
	Dissatisfied int `json:"dissatisfied"`
}

// Add counts one mark.
func (c *ChoiceCounts) Add(ch BallotChoice, n int) {
	switch ch {
	case ChoiceSatisfied:
		c.Satisfied += n
	case ChoiceBasic:
		c.Basic += n
	case ChoiceDissatisfied:
		c.Dissatisfied += n
	}
}

// Sum is the marks in all.
func (c ChoiceCounts) Sum() int { return c.Satisfied + c.Basic + c.Dissatisfied }

// Plus is the two counts together.
func (c ChoiceCounts) Plus(o ChoiceCounts) ChoiceCounts {
	return ChoiceCounts{c.Satisfied + o.Satisfied, c.Basic + o.Basic, c.Dissatisfied + o.Dissatisfied}
}

// Text is the counts in words: 满意12票、基本满意3票、不满意1票.
func (c ChoiceCounts) Text() string {
	return fmt.Sprintf("满意%d票、基本满意%d票、不满意%d票", c.Satisfied, c.Basic, c.Dissatisfied)
}

// SatisfiedPct is the share of 满意 and 基本满意 in percent, rounded down
// (0 when no marks).
func (c ChoiceCounts) SatisfiedPct() int {
	if c.Sum() == 0 {
		return 0
	}
	return (c.Satisfied + c.Basic) * 100 / c.Sum()
}

// ItemTally is one item's counts: online, paper and together.
type ItemTally struct {
	Key    string       `json:"key"`
	Label  string       `json:"label"`
	Online ChoiceCounts `json:"online"`
	Paper  ChoiceCounts `json:"paper"`
	Total  ChoiceCounts `json:"total"`
}

// BallotTally is what the votes came to (GET /api/v1/ballots/{id}).
// Comments are masked: a voter may write a phone number into one.
type BallotTally struct {
	Items    []ItemTally `json:"items"`
	Voters   int         `json:"voters"` // online votes
	Comments []string    `json:"comments"`
}

// NewBallotTally adds up the online marks (by item, then choice) and the
// paper counts (by item) for the ballot's items, masking the comments.
func NewBallotTally(b *Ballot, online map[string]ChoiceCounts, paper map[string]ChoiceCounts, voters int, comments []string) *BallotTally {
	t := &BallotTally{Voters: voters, Items: []ItemTally{}, Comments: []string{}}
	for _, it := range b.Items {
		x := ItemTally{Key: it.Key, Label: it.Label, Online: online[it.Key], Paper: paper[it.Key]}
		x.Total = x.Online.Plus(x.Paper)
		t.Items = append(t.Items, x)
	}
	for _, c := range comments {
		if c = strings.TrimSpace(c); c != "" {
			t.Comments = append(t.Comments, MaskBallotComment(c))
		}
	}
	return t
}

// MaskBallotComment hides the phone numbers a voter wrote into a comment
// (the deputy and the ledger read it; the voter stays anonymous).
func MaskBallotComment(s string) string {
	s = MaskPhonesIn(s)
	return landlineLike.ReplaceAllStringFunc(s, MaskPhone)
}

// Summary is the tally in words, per item: the notice to the deputy, the
// ledger's and the performance record's line.
func (t *BallotTally) Summary() string {
	var parts []string
	for _, it := range t.Items {
		s := fmt.Sprintf("%s：%s（满意和基本满意占%d%%）", it.Label, it.Total.Text(), it.Total.SatisfiedPct())
		if it.Paper.Sum() > 0 {
			s += fmt.Sprintf("，其中纸质票%d张", it.Paper.Sum())
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "；")
}

// PaperCount is the paper ballots' counts of one item.
type PaperCount struct {
	Key string `json:"key"`
	ChoiceCounts
}

// BallotPaper is staff's entry of the paper ballots
// (PUT /api/v1/ballots/{id}/paper): the counts of every item listed,
// replacing what was entered before; Version is the ballot's PaperVersion.
type BallotPaper struct {
	Items   []PaperCount `json:"items"`
	Version int          `json:"version"`
}

// Validate checks the counts against the ballot: known items, each once,
// counts from 0 to MaxPaperCount.
func (p *BallotPaper) Validate(b *Ballot) error {
	if len(p.Items) == 0 {
		return FieldError("items", "请填写纸质测评票的票数。")
	}
	seen := map[string]bool{}
	for _, it := range p.Items {
		if !b.HasItem(it.Key) {
			return FieldError("items", "测评项目“%s”不在本次测评中。", it.Key)
		}
		if seen[it.Key] {
			return FieldError("items", "测评项目“%s”重复。", it.Key)
		}
		seen[it.Key] = true
		for _, n := range []int{it.Satisfied, it.Basic, it.Dissatisfied} {
			if n < 0 || n > MaxPaperCount {
				return FieldError("items", "纸质票数应为 0 至 %d 之间的整数。", MaxPaperCount)
			}
		}
	}
	return nil
}

// CanManageBallot decides who closes a ballot and enters its paper counts:
// whoever may manage the meeting's activity (manageActivity, from
// ActivityPowers) — but never a deputy whose own evaluation it is.
func CanManageBallot(a *Actor, manageActivity bool, b *Ballot) bool {
	if !manageActivity || a == nil {
		return false
	}
	if a.Has(RoleDeputy) {
		for _, d := range a.Scope.Deputies {
			if b.HasItem(DeputyItemKey(d)) {
				return false
			}
		}
	}
	return true
}

// PublicBallot is what a voter sees at /ballot/{token}: no ids, no counts.
type PublicBallot struct {
	Title    string       `json:"title"`
	Meeting  string       `json:"meeting"` // the activity's title
	Items    []BallotItem `json:"items"`
	Open     bool         `json:"open"`
	ClosesAt time.Time    `json:"closes_at"`
}

// BallotService runs ballots. Ballots are opened by their subject's store
// (a 述职, an appraisal) inside its own transaction.
type BallotService interface {
	// FindBallotByID returns a ballot of an activity in scope, with its tally.
	FindBallotByID(ctx context.Context, id int64) (*Ballot, error)
	// FindActivityBallots returns the ballots held at an activity in scope
	// (a 述职 meeting's, an appraisal meeting's), with their tallies.
	FindActivityBallots(ctx context.Context, activityID int64) ([]*Ballot, error)
	// CloseBallot ends the voting (CanManageBallot; version required) and
	// hands the tally to the subject (a 述职's deputy).
	CloseBallot(ctx context.Context, id int64, version int) (*Ballot, error)
	// SetBallotPaper enters the paper ballots' counts (CanManageBallot).
	SetBallotPaper(ctx context.Context, id int64, p BallotPaper) (*Ballot, error)
	// PublicBallot returns the ballot of a token (no login).
	PublicBallot(ctx context.Context, token string) (*PublicBallot, error)
	// CastVote records a voter's vote (no login): once per phone number.
	CastVote(ctx context.Context, token string, v BallotVote) error
	// CloseDueBallots closes the ballots past ClosesAt (the job) and returns how many.
	CloseDueBallots(ctx context.Context) (int, error)
}
