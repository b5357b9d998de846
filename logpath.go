package lianluo

import "strings"

// secretPaths are the path prefixes whose next segment is a secret: a
// voter's tracking code (with it and the phone's last four digits anyone
// can read the opinion), a calendar feed token or a ballot's token (民主测评).
var secretPaths = []string{"/track/", "/api/v1/public/opinions/", "/ical/", "/ballot/", "/api/v1/public/ballots/"}

// LogPath is a request path (or a path with its query) as it may be logged:
// the query string is dropped — it may carry names, phone numbers or a
// phone's last digits — and the secret segment after one of secretPaths is
// replaced by "***". Every logger that names a request's path uses it: the
// request log, the pages' and the API's error logs.
func LogPath(p string) string {
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	for _, prefix := range secretPaths {
		if rest, ok := strings.CutPrefix(p, prefix); ok && rest != "" {
			if i := strings.IndexByte(rest, '/'); i >= 0 {
				return prefix + "***" + rest[i:]
			}
			return prefix + "***"
		}
	}
	return p
}
