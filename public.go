package lianluo

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The online station (网上代表联络站 — 001, 002; docs/design.md): what a
// voter without an account may see and do. Everything here is public-safe by
// construction: the types carry no private phone numbers, no staff names and
// no internal comments, so a page or an API response cannot leak them.

// StationBoard is what a station publishes on its wall (上墙公布 — 001):
// introduction, duties, rules, the handling workflow and the reception
// arrangements, as the office words them.
type StationBoard struct {
	Intro    string `json:"intro"`    // 简介
	Duties   string `json:"duties"`   // 工作职责
	Rules    string `json:"rules"`    // 工作制度
	Workflow string `json:"workflow"` // 工作流程
	Schedule string `json:"schedule"` // 接待安排, e.g. 每单月15日上午9:00—11:00
}

// DefaultWorkflow is the handling workflow of 000 (docs/workflow.md), shown when a station
// has not worded its own.
const DefaultWorkflow = "接访登记 → 梳理分类 → 报送审核 → 交办承办单位 → 催办 → 答复反馈 → 督办（直到代表基本满意） → 存档"

// Validate checks the board's lengths.
func (b *StationBoard) Validate() error {
	var v Validator
	v.MaxLen("board.intro", "联络站简介", b.Intro, 2000)
	v.MaxLen("board.duties", "工作职责", b.Duties, 4000)
	v.MaxLen("board.rules", "工作制度", b.Rules, 4000)
	v.MaxLen("board.workflow", "工作流程", b.Workflow, 2000)
	v.MaxLen("board.schedule", "接待安排", b.Schedule, 1000)
	return v.Err
}

// PublicRegion is a region on the home page's picker with how many active
// stations its subtree holds.
type PublicRegion struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Stations int    `json:"stations"`
}

// RegionPicker is one step of the home page's region picker: where the
// voter is (Path from the deployment's top region down to Current) and the
// regions one level down that have stations, down to towns.
type RegionPicker struct {
	Path     []PublicRegion `json:"path"`
	Current  PublicRegion   `json:"current"`
	Children []PublicRegion `json:"children"`
}

// PublicStation is a station as the public sees it.
type PublicStation struct {
	ID           int64           `json:"id"`
	Kind         string          `json:"kind"`
	Name         string          `json:"name"`
	RegionCode   string          `json:"region_code"`
	RegionName   string          `json:"region_name"`
	OrgName      string          `json:"org_name"`
	Address      string          `json:"address"`
	OpeningHours string          `json:"opening_hours"`
	Phone        string          `json:"phone"` // the station's own public number
	HeadName     string          `json:"head_name"`
	Liaisons     []string        `json:"liaisons"` // names only
	Board        StationBoard    `json:"board"`
	Deputies     []*PublicDeputy `json:"deputies,omitempty"`
	DeputyCount  int             `json:"deputy_count"`
}

// PublicDeputy is a deputy's public profile: never a phone number.
type PublicDeputy struct {
	ID         int64        `json:"id"`
	Name       string       `json:"name"`
	Gender     string       `json:"gender"`
	Party      string       `json:"party"`
	Occupation string       `json:"occupation"`
	WorkUnit   string       `json:"work_unit"` // 工作单位及职务
	Seats      []Seat       `json:"seats"`
	Leader     bool         `json:"leader"`
	GroupName  string       `json:"group_name"`
	Bio        string       `json:"bio"`
	HasPhoto   bool         `json:"has_photo"`
	Stations   []StationRef `json:"stations"`
}

// LevelsText renders the seats by the levels' general names: "市人大代表、
// 区县人大代表". Pages name them after the region instead (SeatsText).
func (d *PublicDeputy) LevelsText() string {
	return (&Deputy{Seats: d.Seats}).LevelsText()
}

// PublicStationFilter selects active stations for the public.
type PublicStationFilter struct {
	Region string
	Q      string
	Page
}

// Photo is an image with its type (a deputy's portrait).
type Photo struct {
	ContentType string
	Data        []byte
	UpdatedAt   time.Time
}

// MaxPhotoBytes bounds a portrait or a voter's photo; phones take 3–8 MB.
const MaxPhotoBytes = 10 << 20

// MaxPublicPhotos is how many photos a voter may attach to one opinion.
const MaxPublicPhotos = 6

// PhotoWindow is how long after submitting a voter may still add photos.
const PhotoWindow = 24 * time.Hour

// PhotoTypes are the image types accepted from the public (sniffed).
var PhotoTypes = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}

// SniffPhoto checks that data is an image of an accepted type and size,
// by its bytes (never by its name), and returns its content type. field
// names the form field in the error.
func SniffPhoto(field string, data []byte) (string, error) {
	if len(data) == 0 {
		return "", FieldError(field, "请选择照片。")
	}
	if len(data) > MaxPhotoBytes {
		return "", Errorf(ETOOLARGE, "照片不能超过%dMB。", MaxPhotoBytes>>20)
	}
	ct := sniff(data)
	if _, ok := PhotoTypes[ct]; !ok {
		return "", FieldError(field, "只能上传照片（JPG、PNG、GIF 或 WebP 格式）。")
	}
	return ct, nil
}

// Opinion is what a voter submits online (POST /api/v1/public/opinions).
type Opinion struct {
	StationID    *int64 `json:"station_id"`
	DeputyID     *int64 `json:"deputy_id"`
	Title        string `json:"title"`
	Content      string `json:"content"`
	Category     string `json:"category"`
	Location     string `json:"location"`
	Name         string `json:"name"`
	Phone        string `json:"phone"`
	Confidential bool   `json:"confidential"` // 为我保密
	Consent      bool   `json:"consent"`
	// VerifyCode is the SMS code, when the deployment verifies phones.
	VerifyCode string `json:"verify_code,omitempty"`
	// Website is a honeypot: a field people never see and bots fill in.
	Website string `json:"website,omitempty"`
}

// ConsentText is the personal-information notice a voter agrees to.
const ConsentText = "我同意联络站为办理本意见收集和使用我填写的姓名、手机号码等个人信息。这些信息只用于联系和反馈，不会公开；选择“为我保密”后，只有人大办工作人员能看到。"

// Validate checks a submission; it trims the texts it checks.
func (o *Opinion) Validate() error {
	o.Title, o.Content = strings.TrimSpace(o.Title), strings.TrimSpace(o.Content)
	o.Name, o.Phone = strings.TrimSpace(o.Name), strings.TrimSpace(o.Phone)
	o.Location, o.Category = strings.TrimSpace(o.Location), strings.TrimSpace(o.Category)
	var v Validator
	v.Check(o.Website == "", "website", "提交未成功，请刷新页面后重新填写。")
	v.Check((o.StationID != nil) != (o.DeputyID != nil), "station_id", "请选择要反映给哪个联络站或哪位代表。")
	v.Require("title", "标题", o.Title)
	v.MaxLen("title", "标题", o.Title, 100)
	v.Require("content", "反映内容", o.Content)
	v.Check(o.Content == "" || utf8.RuneCountInString(o.Content) >= 5, "content", "反映内容太短，请说清楚是什么事、在哪里。")
	v.MaxLen("content", "反映内容", o.Content, 5000)
	v.MaxLen("category", "类别", o.Category, 50)
	v.MaxLen("location", "地点", o.Location, 200)
	v.MaxLen("name", "姓名", o.Name, 50)
	v.Phone("phone", "手机号码", o.Phone)
	v.Check(o.Consent, "consent", "请阅读并同意个人信息使用说明后再提交。")
	v.MaxLen("verify_code", "验证码", o.VerifyCode, 10)
	return v.Err
}

// Receipt is the answer to a submission.
type Receipt struct {
	TrackingCode string    `json:"tracking_code"`
	Duplicate    bool      `json:"duplicate"` // the same opinion came in minutes ago: its code again
	StationName  string    `json:"station_name"`
	DeputyName   string    `json:"deputy_name,omitempty"`
	PhoneGiven   bool      `json:"phone_given"` // without a phone there is no SMS: keep the code
	CreatedAt    time.Time `json:"created_at"`
}

// PublicStep is one line of the voter's timeline: plain words, no staff
// names, no internal comments.
type PublicStep struct {
	At   time.Time `json:"at"`
	Text string    `json:"text"`
}

// PublicOpinion is an opinion as its voter follows it (GET
// /api/v1/public/opinions/{code}).
type PublicOpinion struct {
	TrackingCode string       `json:"tracking_code"`
	Title        string       `json:"title"`
	Content      string       `json:"content"`
	Category     string       `json:"category"`
	StationName  string       `json:"station_name"`
	DeputyNames  []string     `json:"deputy_names"`
	Status       CaseStatus   `json:"status"`
	StatusText   string       `json:"status_text"` // plain words for the voter
	Stage        int          `json:"stage"`       // 1 received … 4 answered, for a progress bar
	SubmittedAt  time.Time    `json:"submitted_at"`
	Steps        []PublicStep `json:"timeline"`
	// Reply is the handling unit's answer (承办单位答复), shown once the
	// station has fed it back: units answer the deputy and the station,
	// who then report to the voter.
	Reply *PublicReply `json:"reply,omitempty"`
	// Answer is what the voter was told, word for word: the feedback, or
	// the answer, explanation or signpost given without a unit.
	Answer       string         `json:"answer,omitempty"`
	AnswerLabel  string         `json:"answer_label,omitempty"` // 反馈, 当场答复, 解释说明, 办理途径
	AnsweredAt   *time.Time     `json:"answered_at,omitempty"`
	CanRate      bool           `json:"can_rate"`
	FedBack      bool           `json:"-"` // the answer was fed back to the voter (VoterMayRate)
	Ratings      []PublicRating `json:"ratings"`
	Photos       int            `json:"photos"`
	CanAddPhotos bool           `json:"can_add_photos"`
}

// PublicReply is a unit's answer as the voter sees it: the unit, the
// result class in words and the answer's text (its public part; whether
// the unit met the deputy stays inside).
type PublicReply struct {
	Unit       string    `json:"unit"`
	Result     string    `json:"result"`      // A, B, C
	ResultText string    `json:"result_text"` // 已解决或基本解决 …
	Content    string    `json:"content"`
	At         time.Time `json:"at"`
}

// Stages of the voter's progress bar.
var StageNames = []string{"已提交", "受理", "办理", "答复"}

// PublicRating is the voter's satisfaction rating (POST …/rating) and how
// it is shown back.
type PublicRating struct {
	Rating  string    `json:"rating"`
	Comment string    `json:"comment"`
	Round   int       `json:"round,omitempty"`
	At      time.Time `json:"at,omitempty"`
}

// PublishInput marks a case public (or not) for the published results:
// the office words the public answer; the default is the answer the voter got.
type PublishInput struct {
	Version   int    `json:"version"`
	Published bool   `json:"published"`
	Answer    string `json:"answer"`
}

// PublishableStatuses are the statuses of a case with an answer to publish.
var PublishableStatuses = []CaseStatus{StatusAnswered, StatusExplained, StatusAwaitingEvaluation, StatusClosed, StatusArchived}

// PublishedResult is an answered case the office published, with personal
// details masked.
type PublishedResult struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	Content     string    `json:"content"`
	Category    string    `json:"category"`
	RegionCode  string    `json:"region_code"`
	RegionName  string    `json:"region_name"`
	StationName string    `json:"station_name"`
	Submitter   string    `json:"submitter"` // masked: 张*, or 匿名
	Result      string    `json:"result,omitempty"`
	Answer      string    `json:"answer"`
	Rating      string    `json:"rating,omitempty"`
	SubmittedAt time.Time `json:"submitted_at"`
	PublishedAt time.Time `json:"published_at"`
}

// ResultFilter selects published results.
type ResultFilter struct {
	Region   string
	Category string
	Month    string // YYYY-MM, by submission
	Page
}

// PublicSettings configure the online station.
type PublicSettings struct {
	// VerifyPhone asks a voter who gives a phone number for an SMS code.
	VerifyPhone bool `json:"verify_phone"`
}

// PublicService is the online station: no login, rate-limited.
type PublicService interface {
	// PublicRegions is the picker at region code (empty: the deployment's top).
	PublicRegions(ctx context.Context, code string) (*RegionPicker, error)
	PublicStations(ctx context.Context, f PublicStationFilter) ([]*PublicStation, int, error)
	PublicStation(ctx context.Context, id int64) (*PublicStation, error)
	PublicDeputy(ctx context.Context, id int64) (*PublicDeputy, error)
	DeputyPhoto(ctx context.Context, id int64) (*Photo, error)
	PublicSettings(ctx context.Context) (PublicSettings, error)
	// SendVerifyCode texts a six-digit code to phone (when verification is on).
	SendVerifyCode(ctx context.Context, phone string) error
	// SubmitOpinion registers an opinion with channel online. The same
	// opinion again within minutes gives the first receipt back.
	SubmitOpinion(ctx context.Context, o Opinion) (*Receipt, error)
	// AddOpinionPhoto attaches a photo while the opinion is new.
	AddOpinionPhoto(ctx context.Context, code, phoneTail string, data []byte) error
	// FollowOpinion answers not found, the same way, for a wrong code or a wrong phone tail.
	FollowOpinion(ctx context.Context, code, phoneTail string) (*PublicOpinion, error)
	RateOpinion(ctx context.Context, code, phoneTail string, r PublicRating) (*PublicOpinion, error)
	PublishedResults(ctx context.Context, f ResultFilter) ([]*PublishedResult, int, error)
}

var (
	mobileInText = regexp.MustCompile(`1[3-9]\d{9}`)
	idInText     = regexp.MustCompile(`\d{17}[\dXx]`)
	phoneInText  = regexp.MustCompile(`0\d{2,3}-?\d{7,8}`)
)

// MaskText masks mobile, landline and ID numbers in free text a voter wrote,
// before it is published.
func MaskText(s string) string {
	s = idInText.ReplaceAllStringFunc(s, MaskIDNumber)
	s = mobileInText.ReplaceAllStringFunc(s, MaskPhone)
	return phoneInText.ReplaceAllStringFunc(s, func(p string) string {
		if len(p) <= 4 {
			return p
		}
		return p[:len(p)-4] + "****"
	})
}

// NormalizeTrackingCode upper-cases a typed code and drops every space (the
// full-width one and the others a phone's keyboard may put in) and dash,
// wherever they are: dropping only some left a code that normalised again
// to something else.
func NormalizeTrackingCode(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' {
			return -1
		}
		return r
	}, s))
}

// PhoneTail is the last four digits of a phone number.
func PhoneTail(phone string) string {
	if len(phone) < 4 {
		return ""
	}
	return phone[len(phone)-4:]
}
