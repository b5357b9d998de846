package api_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"lianluo"
	"lianluo/internal/api"
)

// recordStats answers every statistics query with nothing and keeps its filter.
type recordStats struct {
	lianluo.StatsService
	got *lianluo.StatsFilter
}

func (s recordStats) CaseStats(_ context.Context, f lianluo.StatsFilter) (*lianluo.CaseStatsResult, error) {
	*s.got = f
	return &lianluo.CaseStatsResult{}, nil
}

// The API reads "this year" from its clock, not the machine's.
func TestAPIClock(t *testing.T) {
	t.Parallel()
	var got lianluo.StatsFilter
	now := time.Date(2031, 5, 20, 10, 0, 0, 0, lianluo.Beijing)
	h := api.New(api.Config{Services: lianluo.Services{Stats: recordStats{got: &got}}, Logger: slog.New(slog.DiscardHandler),
		Now: func() time.Time { return now }})
	r := httptest.NewRequest("GET", "/api/v1/stats/cases", nil)
	r = r.WithContext(lianluo.NewContextWithActor(r.Context(), lianluo.SystemActor()))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/stats/cases: %d %s", w.Code, w.Body)
	}
	want, _ := lianluo.PresetPeriod(lianluo.PresetYear, now)
	if !got.Period.From.Equal(want.From) || !got.Period.To.Equal(want.To) {
		t.Errorf("default period = %v; want %v (the clock's year, 2031)", got.Period, want)
	}
}
