package lianluo_test

import (
	"testing"

	"lianluo"
)

func TestAttendanceName(t *testing.T) {
	for _, tc := range []struct {
		att   string
		ended bool
		want  string
	}{
		{lianluo.AttendScheduled, false, "待参加"},
		{lianluo.AttendScheduled, true, "缺席"}, // counted absent, shown absent
		{lianluo.AttendPresent, true, "已签到"},
		{lianluo.AttendLeave, true, "请假"},
		{lianluo.AttendAbsent, false, "缺席"},
	} {
		if got := lianluo.AttendanceName(tc.att, tc.ended); got != tc.want {
			t.Errorf("AttendanceName(%q, %v) = %q; want %q", tc.att, tc.ended, got, tc.want)
		}
	}
}
