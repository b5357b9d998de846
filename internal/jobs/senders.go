package jobs

import (
	"context"
	"log/slog"

	"lianluo"
)

// LogSender "delivers" a notification by writing one log line: for
// development, and for text messages until an SMS gateway is configured.
// The line names the template and the case, never the body, and masks the
// phone number (docs/design.md: no personal data in logs).
type LogSender struct {
	Logger *slog.Logger
}

// Send writes the log line.
func (l LogSender) Send(ctx context.Context, n *lianluo.Notification) error {
	attrs := []slog.Attr{
		slog.Int64("id", n.ID),
		slog.String("channel", n.Channel),
		slog.String("template", string(n.Template)),
		slog.Bool("urgent", n.Urgent),
	}
	if n.CaseID != nil {
		attrs = append(attrs, slog.Int64("case_id", *n.CaseID))
	}
	if n.UserID != nil {
		attrs = append(attrs, slog.Int64("user_id", *n.UserID))
	}
	if n.Phone != "" {
		attrs = append(attrs, slog.String("to", lianluo.MaskPhone(n.Phone)))
	}
	logger := l.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.LogAttrs(ctx, slog.LevelInfo, "notification", attrs...)
	return nil
}
