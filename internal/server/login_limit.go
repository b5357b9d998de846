package server

import (
	"crypto/sha256"
	"strings"
	"sync"

	"golang.org/x/time/rate"

	"lianluo"
)

// LoginLimits are the rates of login tries a LoginLimiter lets through, per
// minute, each with a burst of the same size.
type LoginLimits struct {
	PerAddress int // per client address: protects the server from one source
	PerName    int // per username, from any address: slows a spread-out guesser
}

// DefaultLoginLimits: an office behind one NAT address still logs in its
// people in the morning; a script gets 20 tries a minute. The account
// lockout (five failures, 15 minutes) protects each password on its own.
var DefaultLoginLimits = LoginLimits{PerAddress: 20, PerName: 10}

// LoginLimiter is the one limit on login tries, per client address and per
// username, that every login path (the console form, the API) asks before
// the store checks a password. One is made at start and given to both; it
// is counted in memory per instance, unlike the account lockout, which is
// in the database. A name counts the same whether or not it is an account,
// and only a hash of it is kept.
type LoginLimiter struct {
	addr, name buckets
}

// NewLoginLimiter returns a limiter; a zero field of l takes its default.
func NewLoginLimiter(l LoginLimits) *LoginLimiter {
	if l.PerAddress <= 0 {
		l.PerAddress = DefaultLoginLimits.PerAddress
	}
	if l.PerName <= 0 {
		l.PerName = DefaultLoginLimits.PerName
	}
	return &LoginLimiter{addr: newBuckets(l.PerAddress), name: newBuckets(l.PerName)}
}

var errTooManyLogins = lianluo.Errorf(lianluo.ETOOMANY, "登录尝试过于频繁，请一分钟后再试。")

// Allow takes one try for the address and the username, or returns an
// ETOOMANY error (429) when either has used up its rate.
func (l *LoginLimiter) Allow(addr, username string) error {
	if !l.addr.allow(addr) {
		return errTooManyLogins
	}
	h := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(username))))
	if !l.name.allow(string(h[:])) {
		return errTooManyLogins
	}
	return nil
}

// buckets is a token bucket per key.
type buckets struct {
	mu    sync.Mutex
	r     rate.Limit
	burst int
	m     map[string]*rate.Limiter
}

func newBuckets(perMinute int) buckets {
	return buckets{r: rate.Limit(float64(perMinute) / 60), burst: perMinute, m: map[string]*rate.Limiter{}}
}

func (b *buckets) allow(key string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.m) > 10000 { // forget everyone rather than grow without bound
		b.m = map[string]*rate.Limiter{}
	}
	lim, ok := b.m[key]
	if !ok {
		lim = rate.NewLimiter(b.r, b.burst)
		b.m[key] = lim
	}
	return lim.Allow()
}
