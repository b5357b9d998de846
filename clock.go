package lianluo

import (
	"sync/atomic"
	"time"
)

// Clock is a clock that can be moved, for the two places that need one:
// test databases (fixed at a known instant, moved on to pass a deadline) and
// the demo loader (which dates its history in the past months). The store,
// the pages and the API are given its Now when they are built; none of them
// is changed afterwards. A zero Clock reads the real time.
type Clock struct {
	f atomic.Pointer[func() time.Time]
}

// Now is the clock's time: the real time until Set.
func (c *Clock) Now() time.Time {
	if f := c.f.Load(); f != nil {
		return (*f)()
	}
	return time.Now()
}

// Set makes f the clock's time and returns the previous one (time.Now if
// it was never set), for putting it back.
func (c *Clock) Set(f func() time.Time) (old func() time.Time) {
	if p := c.f.Swap(&f); p != nil {
		return *p
	}
	return time.Now
}

// SetTime fixes the clock at t.
func (c *Clock) SetTime(t time.Time) { c.Set(func() time.Time { return t }) }
