package lianluo

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The ledgers (台账, 五簿一册 — 003 规范"人大代表之家"台账): the books an
// inspection reads, generated from the records, never retyped. Each book is
// for one scope (a station or a deputy group) and one year, lists its
// entries in date order with the columns of the paper book, and links every
// entry to its record. The handbook (人大代表履职手册, the 一册) is kept per
// deputy: it joins the list with a deputy scope when it is built.

// LedgerBook names a book.
type LedgerBook string

// The books.
const (
	LedgerGroupMeetings   LedgerBook = "group_meetings"   // 代表小组会议登记簿
	LedgerGroupActivities LedgerBook = "group_activities" // 代表小组活动登记簿
	LedgerReceptions      LedgerBook = "receptions"       // 人大代表接待选民登记簿
	LedgerOpinions        LedgerBook = "opinions"         // 人大代表建议批评意见登记簿
	LedgerVisits          LedgerBook = "visits"           // 走访群众登记簿
	LedgerHandbook        LedgerBook = "handbook"         // 人大代表履职手册 (one deputy's)
)

// LedgerScopeKind is what a book is kept for.
type LedgerScopeKind string

// Scope kinds. A deputy scope (the handbook) is still to come.
const (
	LedgerStation LedgerScopeKind = "station"
	LedgerGroup   LedgerScopeKind = "group"
	LedgerDeputy  LedgerScopeKind = "deputy"
)

// LedgerScopeNames are the Chinese names of the scope kinds.
var LedgerScopeNames = map[LedgerScopeKind]string{LedgerStation: "联络站", LedgerGroup: "代表小组", LedgerDeputy: "代表"}

// LedgerColumn is one column of a book: the key of the row's value, the
// Chinese heading and the width in characters (Excel and print).
type LedgerColumn struct {
	Key   string  `json:"key"`
	Name  string  `json:"name"`
	Width float64 `json:"-"`
}

// LedgerBookInfo describes a book: its title, its columns, whether it
// needs a landscape page, and the scopes it is kept for.
type LedgerBookInfo struct {
	Book      LedgerBook
	Title     string
	Columns   []LedgerColumn
	Landscape bool
	Scopes    []LedgerScopeKind
}

// Columns shared by several books.
var (
	colDate   = LedgerColumn{"date", "日期", 14}
	colPlace  = LedgerColumn{"place", "地点", 16}
	colNumber = LedgerColumn{"number", "序号", 7}
)

// LedgerBooks are the books in the order of 003's list.
var LedgerBooks = []LedgerBookInfo{
	{Book: LedgerGroupMeetings, Title: "代表小组会议登记簿", Scopes: []LedgerScopeKind{LedgerStation, LedgerGroup}, Landscape: true,
		Columns: []LedgerColumn{colNumber, colDate, colPlace, {"convenor", "召集人", 10}, {"topics", "会议议题", 28},
			{"present", "出席代表", 18}, {"leave", "请假代表", 12}, {"absent", "缺席代表", 12}, {"decisions", "议定事项", 30}}},
	{Book: LedgerGroupActivities, Title: "代表小组活动登记簿", Scopes: []LedgerScopeKind{LedgerStation, LedgerGroup}, Landscape: true,
		Columns: []LedgerColumn{colNumber, colDate, {"kind", "活动类别", 10}, {"title", "活动名称及内容", 30}, colPlace,
			{"organiser", "组织单位", 16}, {"participants", "参加代表", 20}, {"outcomes", "活动情况及成果", 30}}},
	{Book: LedgerReceptions, Title: "人大代表接待选民登记簿", Scopes: []LedgerScopeKind{LedgerStation, LedgerGroup}, Landscape: true,
		Columns: []LedgerColumn{colNumber, colDate, {"deputies", "接待代表", 16}, {"visitors", "接待人数", 8},
			{"opinions", "选民反映的意见建议", 40}, {"handling", "办理情况", 30}}},
	{Book: LedgerOpinions, Title: "人大代表建议批评意见登记簿", Scopes: []LedgerScopeKind{LedgerStation, LedgerGroup}, Landscape: true,
		Columns: []LedgerColumn{colNumber, colDate, {"code", "编号", 18}, {"deputies", "接收代表", 12}, {"submitter", "反映人", 12},
			{"content", "意见建议内容", 36}, {"lead_unit", "主办单位", 16}, {"reply", "答复情况", 30}, {"result", "办理结果", 14},
			{"ratings", "满意度", 14}}},
	{Book: LedgerVisits, Title: "走访群众登记簿", Scopes: []LedgerScopeKind{LedgerStation, LedgerGroup}, Landscape: true,
		Columns: []LedgerColumn{colNumber, colDate, {"deputy", "走访代表", 10}, {"voter", "走访对象", 12}, colPlace,
			{"raised", "群众反映的问题", 36}, {"handling", "处理情况", 30}, {"source", "来源", 10}}},
	// The handbook (一册) is one deputy's year, everything the records
	// hold of their duties in date order; the performance record
	// (DeputyRecord) adds it up.
	{Book: LedgerHandbook, Title: "人大代表履职手册", Scopes: []LedgerScopeKind{LedgerDeputy}, Landscape: true,
		Columns: []LedgerColumn{colNumber, colDate, {"kind", "履职事项", 16}, {"content", "内容", 44}, colPlace,
			{"result", "情况", 24}}},
}

// FindLedgerBook returns the description of a book, or a field error.
func FindLedgerBook(book string) (LedgerBookInfo, error) {
	for _, b := range LedgerBooks {
		if string(b.Book) == book {
			return b, nil
		}
	}
	return LedgerBookInfo{}, FieldError("book", "台账名称不正确，应为代表小组会议登记簿、代表小组活动登记簿、人大代表接待选民登记簿、人大代表建议批评意见登记簿、走访群众登记簿或人大代表履职手册之一。")
}

// Years a ledger may be asked for.
const (
	minLedgerYear = 2000
	maxLedgerYear = 2100
)

// LedgerQuery asks for one book of one scope and year.
type LedgerQuery struct {
	Book      LedgerBook
	StationID int64
	GroupID   int64
	DeputyID  int64 // the handbook's
	Year      int
}

// ParseLedgerQuery reads a query from its text form (the API's and the
// pages' parameters): exactly one of station_id, group_id and deputy_id, of
// a kind the book is kept for, and a year.
func ParseLedgerQuery(book, stationID, groupID, deputyID, year string) (LedgerQuery, error) {
	var q LedgerQuery
	info, err := FindLedgerBook(book)
	if err != nil {
		return q, err
	}
	q.Book = info.Book
	var v Validator
	id := func(field, s string) int64 {
		s = strings.TrimSpace(s)
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		v.Check(err == nil && n > 0, field, "编号应为正整数。")
		return n
	}
	q.StationID, q.GroupID, q.DeputyID = id("station_id", stationID), id("group_id", groupID), id("deputy_id", deputyID)
	if v.Err != nil {
		return q, v.Err
	}
	if slices.Contains(info.Scopes, LedgerDeputy) {
		if q.DeputyID == 0 || q.StationID != 0 || q.GroupID != 0 {
			return q, FieldError("deputy_id", "%s按代表生成，请选择一位代表。", info.Title)
		}
	} else {
		switch {
		case q.DeputyID != 0:
			return q, FieldError("deputy_id", "%s按联络站或代表小组生成，不按代表生成。", info.Title)
		case q.StationID == 0 && q.GroupID == 0:
			return q, FieldError("station_id", "请选择联络站或代表小组。")
		case q.StationID != 0 && q.GroupID != 0:
			return q, FieldError("group_id", "联络站和代表小组只能选一个。")
		}
	}
	y, err := strconv.Atoi(strings.TrimSpace(year))
	if err != nil {
		return q, FieldError("year", "请填写年份（如2026）。")
	}
	if y < minLedgerYear || y > maxLedgerYear {
		return q, FieldError("year", "年份应在%d年至%d年之间。", minLedgerYear, maxLedgerYear)
	}
	q.Year = y
	return q, nil
}

// Range is the year's first instant and the next year's, in Beijing time.
func (q LedgerQuery) Range() (from, to time.Time) {
	return time.Date(q.Year, 1, 1, 0, 0, 0, 0, Beijing), time.Date(q.Year+1, 1, 1, 0, 0, 0, 0, Beijing)
}

// LedgerScope is whose book it is.
type LedgerScope struct {
	Kind LedgerScopeKind `json:"kind"`
	ID   int64           `json:"id"`
	Name string          `json:"name"`
	// What decides who reads it (CanReadLedger); not sent.
	RegionCode string  `json:"-"`
	StationID  *int64  `json:"-"` // the station itself, or the group's station
	Members    []int64 `json:"-"` // a group's deputies
	Leaders    []int64 `json:"-"` // a group's leader and deputy leader
	Stations   []int64 `json:"-"` // a deputy's stations
}

// CanReadLedger decides who reads the books of a scope: NPC staff (office
// and leaders) for their region, a station's staff for their station and
// the groups meeting there, a group's members and leaders for their group,
// a deputy and their stations' staff for the deputy's handbook.
// Everyone else is told the scope does not exist (404), as for any record
// outside their scope. The system administrator runs the platform without
// reading voters' matters (三员分立), as MayRevealPersonalData says.
func CanReadLedger(a *Actor, s *LedgerScope) bool {
	if a == nil || a.User == nil || !MayRevealPersonalData(a) {
		return false
	}
	if a.HasAny(RoleNPCOffice, RoleNPCLeader) && a.Scope.InRegion(s.RegionCode) {
		return true
	}
	if s.StationID != nil && a.WorksAtStation(*s.StationID) {
		return true
	}
	if s.Kind == LedgerDeputy {
		// The deputy's own handbook, and their stations' staff's.
		return a.IsDeputy(s.ID) || slices.ContainsFunc(s.Stations, a.WorksAtStation)
	}
	if s.Kind == LedgerGroup && a.Has(RoleDeputy) {
		for _, d := range a.Scope.Deputies {
			if slices.Contains(s.Members, d) || slices.Contains(s.Leaders, d) {
				return true
			}
		}
	}
	return false
}

// LedgerVoter is how a book names a voter: the surname only, the last four
// digits of the phone at most, and nothing at all for a confidential
// matter. A book is printed and filed where anyone inspecting the station
// reads it, so it shows less than the case page (MaskSubmitterFor) and
// offers no reveal.
func LedgerVoter(name, phoneLast4 string, confidential bool) string {
	if confidential {
		return "（为反映人保密）"
	}
	s := MaskName(strings.TrimSpace(name))
	if s == "" {
		s = "（未留姓名）"
	}
	if phoneLast4 != "" {
		s += "（尾号" + phoneLast4 + "）"
	}
	return s
}

// LedgerRow is one entry: the column values by key, and Link, the path of
// the record's page.
type LedgerRow map[string]string

// Ledger is a generated book.
type Ledger struct {
	Book      LedgerBook     `json:"book"`
	Title     string         `json:"title"`
	Scope     LedgerScope    `json:"scope"`
	Year      int            `json:"year"`
	Landscape bool           `json:"landscape"`
	Columns   []LedgerColumn `json:"columns"`
	Rows      []LedgerRow    `json:"rows"`
}

// FullTitle is the book's name on its cover and sheet: scope, year, book.
func (l *Ledger) FullTitle() string {
	return l.Scope.Name + strconv.Itoa(l.Year) + "年" + l.Title
}

// LedgerService generates the books.
type LedgerService interface {
	// Ledger generates a book for a scope the caller may read
	// (CanReadLedger); any other scope is not found.
	Ledger(ctx context.Context, q LedgerQuery) (*Ledger, error)
}

// LedgerDate formats an entry's date as the paper book does: 2026-03-15.
func LedgerDate(t time.Time) string { return t.In(Beijing).Format("2006-01-02") }
