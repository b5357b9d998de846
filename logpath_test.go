package lianluo_test

import (
	"testing"

	"lianluo"
)

func TestLogPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"/track/AB12CD34EF", "/track/***"},
		{"/track/AB12CD34EF/rating", "/track/***/rating"},
		{"/track/AB12CD34EF?tail=1234", "/track/***"},
		{"/api/v1/public/opinions/AB12CD34EF/photos", "/api/v1/public/opinions/***/photos"},
		{"/api/v1/public/opinions/AB12CD34EF?phone_tail=5678", "/api/v1/public/opinions/***"},
		{"/api/v1/public/opinions", "/api/v1/public/opinions"},
		{"/ical/0123456789abcdef.ics", "/ical/***"},
		{"/track", "/track"},
		{"/track/", "/track/"},
		{"/console/cases/12", "/console/cases/12"},
		{"/console/cases?q=13912345678&name=张三", "/console/cases"},
		{"/api/v1/regions?q=13912345678", "/api/v1/regions"},
		{"/submit#top", "/submit"},
		{"", ""},
	} {
		if got := lianluo.LogPath(tc.in); got != tc.want {
			t.Errorf("LogPath(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}
