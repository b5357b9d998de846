// Package jobs runs Lianluo's background work: a list of named recurring
// jobs (the reminders — 催办 on cases, receptions, activities, mailboxes —
// and the statistics) once a minute, and the delivery of the notification
// outbox by a small worker pool with retries.
//
// Every instance of `lianluo serve` runs a Scheduler. The work is shared
// through the database, never duplicated: each recurring job is claimed by
// one instance per period (and is idempotent anyway), and each
// notification is claimed by exactly one worker.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"time"

	"lianluo"
)

// Store is what the scheduler needs of the database (*sqlstore.DB).
type Store interface {
	// ClaimJob reports whether this instance runs the recurring job now, and
	// holds it for lease; FinishJob releases it.
	ClaimJob(ctx context.Context, name string, every, lease time.Duration) (bool, error)
	FinishJob(ctx context.Context, name, result string, runErr error) error
	// The recurring jobs (recurring.go). Each reminder method gives the
	// reminders due now, on its own, and returns how many.
	SweepCaseDeadlines(ctx context.Context) (int, error)
	RemindReceptions(ctx context.Context) (int, error)
	RemindActivities(ctx context.Context) (int, error)
	RemindMailboxes(ctx context.Context) (int, error)
	RemindSixOnes(ctx context.Context) (int, error)
	// CloseDueBallots closes the 民主测评 ballots whose time is up.
	CloseDueBallots(ctx context.Context) (int, error)
	ChaseRectifications(ctx context.Context) (int, error)
	// PruneAuditDue deletes the audit events beyond the retention setting.
	PruneAuditDue(ctx context.Context) (int64, error)
	// SyncStats brings the statistics rollups up to date.
	SyncStats(ctx context.Context) error
	ClaimNotifications(ctx context.Context, limit int, lease time.Duration) ([]lianluo.Notification, error)
	MarkSent(ctx context.Context, id int64) error
	MarkFailed(ctx context.Context, id int64, errText string, retryAt time.Time, dead bool) error
}

// Config configures a Scheduler. Only Store is required.
type Config struct {
	Store Store
	// Senders deliver by channel, as notify.Config.Senders returns them. The
	// in-app channel needs none: the row is the inbox item, and delivery
	// marks it sent. "sms" and "log" default to a LogSender until a gateway
	// is configured; a nil entry removes a default. A channel with no sender
	// is retried later, never dropped.
	Senders map[string]lianluo.Sender
	Logger  *slog.Logger     // default: discard
	Now     func() time.Time // the clock for retry times; default time.Now

	SweepEvery  time.Duration // how often each recurring job runs; default 1 minute
	PollEvery   time.Duration // how often the outbox is polled; default 5 s
	Workers     int           // concurrent deliveries; default 2
	MaxAttempts int           // after this many failed attempts a notification is dead; default 8
	// Backoff is the wait before retrying after the attempt-th failure
	// (attempt ≥ 1); default 30 s·2^(attempt-1), at most 6 h.
	Backoff func(attempt int) time.Duration

	SendTimeout time.Duration // one delivery; default 30 s
	// Lease is how long a claimed notification is held for its worker
	// before another may take it; default 5 minutes, at least twice
	// SendTimeout so a slow send is not delivered twice.
	Lease time.Duration
	// SweepLease holds a recurring job's run against a dead instance; default 10 minutes.
	SweepLease time.Duration
}

// Scheduler runs the recurring jobs and the outbox delivery.
type Scheduler struct {
	cfg     Config
	senders map[string]lianluo.Sender
	log     *slog.Logger
	settled chan struct{} // closed after Run's first delivery pass
	once    sync.Once
}

// New returns a Scheduler with cfg's defaults filled in.
func New(cfg Config) *Scheduler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SweepEvery <= 0 {
		cfg.SweepEvery = time.Minute
	}
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = 5 * time.Second
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 8
	}
	if cfg.Backoff == nil {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = 30 * time.Second
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 5 * time.Minute
	}
	cfg.Lease = max(cfg.Lease, 2*cfg.SendTimeout)
	if cfg.SweepLease <= 0 {
		cfg.SweepLease = 10 * time.Minute
	}
	senders := map[string]lianluo.Sender{
		lianluo.ChannelLog: LogSender{Logger: cfg.Logger},
		// Without an SMS gateway (notify.Config.SMS, from LIANLUO_SMS_URL)
		// text messages are written to the log (masked) and count as sent,
		// so that a deployment with no gateway does not pile them up. The
		// other channels have no default: their rows wait in the outbox
		// until the channel is configured.
		lianluo.ChannelSMS: LogSender{Logger: cfg.Logger},
	}
	maps.Copy(senders, cfg.Senders)
	return &Scheduler{cfg: cfg, senders: senders, log: cfg.Logger, settled: make(chan struct{})}
}

// Settled is closed once Run has delivered what was due when it started (or
// failed to): serve prints its welcome after that, so the log lines of the
// first deliveries do not scroll the addresses and accounts away.
func (s *Scheduler) Settled() <-chan struct{} { return s.settled }

// DefaultBackoff waits 30 s after the first failure, doubling each time up
// to 6 hours.
func DefaultBackoff(attempt int) time.Duration {
	const first, most = 30 * time.Second, 6 * time.Hour
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 20 { // 30 s·2^19 is far past the cap; avoid overflow
		return most
	}
	return min(first<<(attempt-1), most)
}

// Run runs each recurring job every SweepEvery (on whichever instance claims
// the period; each job on its own, so a slow one delays none of the others)
// and delivers due notifications every PollEvery, until ctx ends. It then
// stops claiming, lets the runs and deliveries in flight finish, and
// returns nil.
func (s *Scheduler) Run(ctx context.Context) error {
	s.log.Info("jobs started", "sweep_every", s.cfg.SweepEvery.String(), "poll_every", s.cfg.PollEvery.String(), "workers", s.cfg.Workers)
	var wg sync.WaitGroup
	for _, j := range recurring {
		wg.Go(func() { every(ctx, s.cfg.SweepEvery, func(ctx context.Context) { s.runIfDue(ctx, j) }) })
	}
	wg.Go(func() {
		every(ctx, s.cfg.PollEvery, func(ctx context.Context) {
			s.deliverDue(ctx)
			s.once.Do(func() { close(s.settled) })
		})
	})
	wg.Wait()
	s.once.Do(func() { close(s.settled) })
	s.log.Info("jobs stopped")
	return nil
}

// every runs fn now and then every d until ctx ends; a run never overlaps the next.
func every(ctx context.Context, d time.Duration, fn func(context.Context)) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		fn(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if ctx.Err() != nil {
				return
			}
		}
	}
}

// RunOnce runs every recurring job, whether or not the period's run was
// claimed elsewhere (each is idempotent), and delivers every notification
// due now. A failing job stops none of the others; the errors are joined.
// For tests and the command line.
func (s *Scheduler) RunOnce(ctx context.Context) error {
	var errs []error
	for _, j := range recurring {
		if _, err := s.run(ctx, j); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", j.Name, err))
		}
	}
	return errors.Join(append(errs, s.deliverDue(ctx))...)
}

// outcome of one delivery.
type outcome int

const (
	sent outcome = iota
	retry
	dead
)

// deliverDue claims and delivers notifications until none is due, keeping
// every worker busy: it claims only as many rows as there are free workers,
// so a claimed row starts at once and the lease only has to cover one send.
// It logs one line if anything was claimed.
func (s *Scheduler) deliverDue(ctx context.Context) error {
	start := time.Now()
	free := make(chan struct{}, s.cfg.Workers) // a token per busy worker
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		counts   [3]int
		firstErr string
		claimErr error
	)
claiming:
	for ctx.Err() == nil {
		// Wait for one free worker, then take any others free too.
		select {
		case free <- struct{}{}:
		case <-ctx.Done():
			break claiming
		}
		n := 1
	more:
		for n < s.cfg.Workers {
			select {
			case free <- struct{}{}:
				n++
			default:
				break more
			}
		}
		rows, err := s.cfg.Store.ClaimNotifications(ctx, n, s.cfg.Lease)
		for range n - len(rows) {
			<-free
		}
		if err != nil {
			if ctx.Err() == nil {
				claimErr = err
			}
			break
		}
		for _, row := range rows {
			wg.Go(func() {
				defer func() { <-free }()
				o, msg := s.deliver(ctx, row)
				mu.Lock()
				counts[o]++
				if msg != "" && firstErr == "" {
					firstErr = msg
				}
				mu.Unlock()
			})
		}
		if len(rows) < n {
			break // nothing more is due
		}
	}
	wg.Wait()
	claimed := counts[sent] + counts[retry] + counts[dead]
	switch {
	case claimErr != nil:
		s.log.Error("job", "job", "deliver_notifications", "claimed", claimed, "sent", counts[sent], "failed", counts[retry], "dead", counts[dead],
			"ms", time.Since(start).Milliseconds(), "err", claimErr)
	case claimed > 0:
		attrs := []any{"job", "deliver_notifications", "claimed", claimed, "sent", counts[sent], "failed", counts[retry], "dead", counts[dead],
			"ms", time.Since(start).Milliseconds()}
		if firstErr != "" {
			attrs = append(attrs, "first_error", firstErr)
		}
		s.log.Info("job", attrs...)
	}
	return claimErr
}

// errNoSender is the error of a channel nothing delivers.
type errNoSender string

func (e errNoSender) Error() string {
	return fmt.Sprintf("没有配置“%s”渠道的发送方式，稍后重试", string(e))
}

// deliver sends one claimed notification and records the result. It runs
// to the end even when ctx has ended: a send in flight is finished and
// recorded, not abandoned to be sent again after the lease.
func (s *Scheduler) deliver(ctx context.Context, n lianluo.Notification) (outcome, string) {
	ctx = context.WithoutCancel(ctx)
	err := s.send(ctx, &n)
	mctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err == nil {
		if err := s.cfg.Store.MarkSent(mctx, n.ID); err != nil {
			// Sent but not recorded: it will be sent again after the lease.
			// Nothing better is possible without the provider's help.
			s.log.Error("mark sent", "id", n.ID, "err", err)
		}
		return sent, ""
	}
	var none errNoSender
	// A missing sender is a configuration gap, not the notification's fault:
	// keep it pending (the backoff caps the retries) so that it goes out once
	// the channel is configured.
	isDead := !errors.As(err, &none) && n.Attempts >= s.cfg.MaxAttempts
	msg := redact(err.Error())
	retryAt := s.cfg.Now().Add(max(s.cfg.Backoff(n.Attempts), time.Second))
	if err := s.cfg.Store.MarkFailed(mctx, n.ID, msg, retryAt, isDead); err != nil {
		s.log.Error("mark failed", "id", n.ID, "err", err)
	}
	if isDead {
		s.log.Warn("notification dead", "id", n.ID, "channel", n.Channel, "template", n.Template, "attempts", n.Attempts, "err", msg)
		return dead, msg
	}
	return retry, msg
}

// send calls the channel's sender with a timeout; a panicking sender is an
// error, not a crash.
func (s *Scheduler) send(ctx context.Context, n *lianluo.Notification) (err error) {
	sender, ok := s.senders[n.Channel]
	if !ok && n.Channel == lianluo.ChannelInApp {
		return nil // the row is the inbox item
	}
	if sender == nil {
		return errNoSender(n.Channel)
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.SendTimeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sender panic: %v", r)
		}
	}()
	return sender.Send(ctx, n)
}

// redact masks phone numbers in an error text before it is logged or stored.
func redact(s string) string {
	return lianluo.MaskPhonesIn(s)
}
