package sqlstore

import (
	"context"
	"time"

	"lianluo"
)

// A deputy's suggestions and bills in their performance figures (履职积分,
// 履职档案, 六个一): those they led, or signed and confirmed, once put
// forward, by the year they were written.

// suggestionsSigned counts, per deputy of ids, the suggestions and bills
// written in [from, to) that they led or confirmed, not drafts.
func suggestionsSigned(w *where, from, to time.Time, ids []int64) string {
	return `SELECT ss.deputy_id, COUNT(*), 0 FROM suggestion_signers ss JOIN cases c ON c.id = ss.case_id
		WHERE ss.deputy_id IN ` + w.in(ids) + ` AND (ss.lead = TRUE OR ss.confirmed_at IS NOT NULL)
		AND c.status <> '` + string(lianluo.StatusDraft) + `'
		AND c.created_at >= ` + w.arg(from) + ` AND c.created_at < ` + w.arg(to) + ` GROUP BY ss.deputy_id`
}

// suggestionFacts adds the deputy's suggestions and bills of the year to
// the 六个一 facts (lianluo.EvidenceSuggestion).
func suggestionFacts(ctx context.Context, c conn, facts []lianluo.SixOneFact, deputyID int64, from, to time.Time) ([]lianluo.SixOneFact, error) {
	return sixOneFacts(ctx, c, facts, lianluo.EvidenceSuggestion, `
		SELECT c.id, c.kind, c.status, c.created_at FROM suggestion_signers ss JOIN cases c ON c.id = ss.case_id
		WHERE ss.deputy_id = $1 AND (ss.lead = TRUE OR ss.confirmed_at IS NOT NULL)
			AND c.created_at >= $2 AND c.created_at < $3`, deputyID, from, to)
}
