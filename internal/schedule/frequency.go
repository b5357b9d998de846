package schedule

import (
	"fmt"
	"strings"

	"lianluo"
)

// Sparse reports, as one ProblemSparse, every two consecutive calendar
// months of year in which none of sessions is held (001 二(二): 各街道代表
// 联络站原则上每两个月至少开展一次代表接待活动), or nothing when the
// sessions are frequent enough. Sessions outside year are ignored. It is a
// warning for the office, not a refusal: a station may hold extra sessions
// by hand, and 原则上 leaves room for a reason.
func Sparse(sessions []Session, year int) []Problem {
	var held [13]bool
	n := 0
	for _, s := range sessions {
		d := s.Starts.In(lianluo.Beijing)
		if d.Year() == year && validSession(s) {
			held[d.Month()] = true
			n++
		}
	}
	var gaps []string
	for m := 1; m < 12; m++ {
		if !held[m] && !held[m+1] {
			gaps = append(gaps, fmt.Sprintf("%d–%d月", m, m+1))
		}
	}
	if len(gaps) == 0 {
		return nil
	}
	return []Problem{{
		Code: ProblemSparse,
		Message: fmt.Sprintf("%d年按接待规则只有%d次接待，%s连续两个月没有接待；联络站原则上每两个月至少开展一次代表接待活动，请增加接待或调整接待规则。",
			year, n, strings.Join(gaps, "、")),
	}}
}
