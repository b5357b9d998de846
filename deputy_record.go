package lianluo

// 履职档案 (a deputy's performance record for a year, 000, 002): who they
// are and their seats, then everything the records say they did — the
// receptions and activities they were on, the diary against its norm, the
// opinions they received and what became of them, their reports to the
// voters — and the score those give (docs/scoring.md). Built from the
// records on every read, like the ledgers.
type DeputyRecord struct {
	Year    int     `json:"year"`
	Partial bool    `json:"partial"` // the year is not over: counted so far
	Deputy  *Deputy `json:"deputy"`
	Seats   string  `json:"seats"` // named after their regions: 北仑区人大代表、宁波市人大代表

	// Receptions and activities held (ended) in the year, as 代表出勤
	// counts them; the activities also by kind.
	Receptions     AttendanceTally  `json:"receptions"`
	Activities     AttendanceTally  `json:"activities"`
	ActivityKinds  []ActivityTally  `json:"activity_kinds"`
	Reports        []RecordOccasion `json:"reports"` // 述职 held with the deputy present
	DiaryMonths    [12]int          `json:"diary_months"`
	DiaryYear      int              `json:"diary_year"`
	Opinions       int              `json:"opinions"`        // received, registered in the year
	OpinionsClosed int              `json:"opinions_closed"` // … of which closed or archived
	OpinionsBy     []StatusTally    `json:"opinions_by_status"`
	DutyRecords    int              `json:"duty_records"` // confirmed duty records (履职登记)
	Duties         []RecordDuty     `json:"duties"`       // … each, by date
	Suggestions    int              `json:"suggestions"`  // suggestions and bills led or signed, put forward in the year
	SixOnes        *SixOnes         `json:"six_ones"`
	Score          float64          `json:"score"`
	Breakdown      []ScorePart      `json:"breakdown"`
}

// AttendanceTally is how a deputy took part in the occasions of a kind held.
type AttendanceTally struct {
	Held    int `json:"held"`
	Present int `json:"present"`
	Leave   int `json:"leave"`
	Absent  int `json:"absent"`
}

// ActivityTally is the attendance at the activities of one kind.
type ActivityTally struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	AttendanceTally
}

// RecordOccasion is an occasion a record lists.
type RecordOccasion struct {
	ID    int64  `json:"id"`
	Date  string `json:"date"` // Beijing date
	Title string `json:"title"`
	// Evaluation is a 述职's closed 民主测评 in words (BallotTally.Summary),
	// "" when none.
	Evaluation string `json:"evaluation,omitempty"`
}

// RecordDuty is a confirmed duty record a performance record lists.
type RecordDuty struct {
	ID          int64  `json:"id"`
	Date        string `json:"date"`
	Kind        string `json:"kind"` // its Chinese name
	Description string `json:"description"`
}

// StatusTally counts opinions in one status.
type StatusTally struct {
	Status CaseStatus `json:"status"`
	Name   string     `json:"name"`
	Count  int        `json:"count"`
}

// DiaryMonthMet reports whether a month's confirmed entries meet the norm.
func (r *DeputyRecord) DiaryMonthMet(m int) bool { return r.DiaryMonths[m] >= DiaryPerMonth }

// CanReadDeputyRecord reports whether the actor, who finds the deputy in
// their scope, may read what the records say the deputy did — their
// 履职档案 and their 六个一: the deputy themselves, and the staff who see
// deputies (DiaryStaffRoles: the offices, leaders, stations' staff, the
// system administrator). Anyone else, a fellow deputy of the same station
// included, is answered as if the deputy did not exist.
func CanReadDeputyRecord(a *Actor, deputyID int64) bool {
	return a.IsDeputy(deputyID) || a.HasAny(DiaryStaffRoles...)
}
