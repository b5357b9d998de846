package jobs

import (
	"context"
	"fmt"
	"time"
)

// The recurring jobs, by their name in the jobs table.
const (
	JobCaseDeadlines      = "case_deadlines"      // case reminders before, on and after a deadline (催办)
	JobReceptionReminders = "reception_reminders" // deputies' turns at receptions (002)
	JobActivityReminders  = "activity_reminders"  // the day before an activity
	JobMailboxReminders   = "mailbox_reminders"   // deputy mailboxes overdue for opening (004)
	JobSixOnesReminders   = "six_ones_reminders"  // 六个一 still missing before the half-year's and the year's end (003)
	JobBallotClosing      = "ballot_closing"      // 民主测评 ballots a day after their meeting (docs/reports.md)
	JobStats              = "stats_rollups"       // the statistics catch up with the changes (docs/statistics.md)
	JobRectificationChase = "rectification_chase" // appraisal rectification items past due, chased once (003; docs/appraisals.md)
	JobAuditPrune         = "audit_prune"         // the audit trail beyond its retention, once a day (docs/architecture.md)
)

// A Job is one named recurring job: a row of the jobs table, claimed by one
// instance per period, run, logged on its own line and finished with its
// own result, so that one failing job holds up none of the others.
type Job struct {
	Name string
	// Run does one run and returns how many things it did (reminders
	// given; 0 where nothing is counted).
	Run func(ctx context.Context, st Store) (int, error)
	// Result is what the administrator reads of a run (jobs.result).
	Result func(n int) string
	// Every is the job's period; 0 is the scheduler's (Config.SweepEvery).
	Every time.Duration
}

// recurring lists the recurring jobs. A name no longer in the list is
// simply not claimed any more: its row in the jobs table stays, harmless.
// So it is with sweep_deadlines, the one job that gave the four kinds of
// reminders below until each became a job of its own.
var recurring = []Job{
	{
		Name:   JobCaseDeadlines,
		Run:    func(ctx context.Context, st Store) (int, error) { return st.SweepCaseDeadlines(ctx) },
		Result: counted("案件催办提醒%d条"),
	},
	{
		Name:   JobReceptionReminders,
		Run:    func(ctx context.Context, st Store) (int, error) { return st.RemindReceptions(ctx) },
		Result: counted("接待轮值提醒%d条"),
	},
	{
		Name:   JobActivityReminders,
		Run:    func(ctx context.Context, st Store) (int, error) { return st.RemindActivities(ctx) },
		Result: counted("活动提醒%d条"),
	},
	{
		Name:   JobMailboxReminders,
		Run:    func(ctx context.Context, st Store) (int, error) { return st.RemindMailboxes(ctx) },
		Result: counted("信箱开启提醒%d条"),
	},
	{
		Name:   JobSixOnesReminders,
		Run:    func(ctx context.Context, st Store) (int, error) { return st.RemindSixOnes(ctx) },
		Result: counted("“六个一”提醒%d条"),
	},
	{
		Name:   JobBallotClosing,
		Run:    func(ctx context.Context, st Store) (int, error) { return st.CloseDueBallots(ctx) },
		Result: counted("结束民主测评%d个"),
	},
	{
		Name:   JobRectificationChase,
		Run:    func(ctx context.Context, st Store) (int, error) { return st.ChaseRectifications(ctx) },
		Result: counted("整改超期催办%d项"),
	},
	{
		// Daily: each prune records itself in the trail it prunes, so a
		// run a minute would write an event a minute.
		Name:   JobAuditPrune,
		Run:    func(ctx context.Context, st Store) (int, error) { n, err := st.PruneAuditDue(ctx); return int(n), err },
		Result: counted("清理超过保存期限的审计日志%d条"),
		Every:  24 * time.Hour,
	},
	{
		Name:   JobStats,
		Run:    func(ctx context.Context, st Store) (int, error) { return 0, st.SyncStats(ctx) },
		Result: func(int) string { return "统计已更新" },
	},
}

// counted returns a Result that puts the count into format.
func counted(format string) func(int) string {
	return func(n int) string { return fmt.Sprintf(format, n) }
}

// runIfDue runs the job if this instance claims this period's run, and
// records its result.
func (s *Scheduler) runIfDue(ctx context.Context, j Job) {
	every := s.cfg.SweepEvery
	if j.Every > 0 {
		every = j.Every
	}
	ok, err := s.cfg.Store.ClaimJob(ctx, j.Name, every, s.cfg.SweepLease)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Error("job", "job", j.Name, "err", fmt.Errorf("claim: %w", err))
		}
		return
	}
	if !ok {
		return // another instance has this period
	}
	n, err := s.run(ctx, j)
	// Release the job even when ctx has ended, or the others wait out the lease.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if ferr := s.cfg.Store.FinishJob(fctx, j.Name, j.Result(n), err); ferr != nil {
		s.log.Error("job", "job", j.Name, "err", fmt.Errorf("finish: %w", ferr))
	}
}

// run runs the job once and logs one line: at Info when it did something
// or took a while, at Error when it failed, and otherwise at Debug, so that
// a quiet minute does not write a line per job. A panicking job is an
// error, not a crash of the instance.
func (s *Scheduler) run(ctx context.Context, j Job) (n int, err error) {
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
		ms := time.Since(start).Milliseconds()
		switch {
		case err != nil:
			s.log.Error("job", "job", j.Name, "count", n, "ms", ms, "err", err)
		case n > 0 || ms >= 100:
			s.log.Info("job", "job", j.Name, "count", n, "ms", ms)
		default:
			s.log.Debug("job", "job", j.Name, "count", n, "ms", ms)
		}
	}()
	return j.Run(ctx, s.cfg.Store)
}
