package lianluo_test

import (
	"regexp"
	"strings"
	"testing"

	"lianluo"
)

// Every template's body takes as many arguments as its Args describes, so
// a caller that follows Args fills every verb (a wrong count prints
// %!s(MISSING) or %!(EXTRA …) to deputies and voters).
func TestTemplatesTakeTheirArgs(t *testing.T) {
	verb := regexp.MustCompile(`%[sdv]`)
	for key, tpl := range lianluo.MessageTemplates {
		if strings.Contains(tpl.Args, "…") {
			continue // the args are described loosely; its builder is tested below
		}
		want := len(strings.Split(tpl.Args, ", "))
		verbs := verb.FindAllString(strings.ReplaceAll(tpl.Body, "%%", ""), -1)
		if len(verbs) != want {
			t.Errorf("%s: body has %d verbs, Args describes %d (%q)", key, len(verbs), want, tpl.Args)
		}
		var args []any
		for _, v := range verbs {
			if v == "%d" {
				args = append(args, 1)
			} else {
				args = append(args, "x")
			}
		}
		if _, body := lianluo.Message(key, args...); strings.Contains(body, "%!") {
			t.Errorf("%s: %q", key, body)
		}
	}
}

func TestAttendanceNoticeText(t *testing.T) {
	for _, c := range []struct {
		name string
		row  lianluo.AttendanceRow
		want string
	}{
		{"none", lianluo.AttendanceRow{}, "王芳代表：2026年截至目前没有安排您参加联络站接待活动。"},
		{"receptions", lianluo.AttendanceRow{Scheduled: 4, Present: 3, Leave: 1},
			"王芳代表：2026年截至目前安排您进站接待4次，出席3次，请假1次，缺席0次，出席率75%。感谢您的履职，本站全体代表出勤情况见书面通报。"},
		{"activities too", lianluo.AttendanceRow{Activities: 2, ActivitiesPresent: 1, ActivitiesAbsent: 1},
			"王芳代表：2026年截至目前没有安排您参加联络站接待活动。另：2026年截至目前邀请您参加代表活动2次，出席1次，请假0次，缺席1次。"},
	} {
		if got := lianluo.AttendanceNoticeText("王芳", 2026, "截至目前", c.row); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

func TestPassOnAndRobotPost(t *testing.T) {
	if got := lianluo.PassOn("王芳", "接待取消。"); got != "请转告王芳代表（未登记手机号）：接待取消。" {
		t.Errorf("PassOn = %q", got)
	}
	// A group robot's post never carries the notice's content.
	if got := lianluo.RobotPost("李明", "紧急意见"); got != "致李明：您有一条新的通知（紧急意见），请登录联络平台查看。" {
		t.Errorf("RobotPost = %q", got)
	}
}
