package slackapp_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/notices"
	"github.com/briefbot/briefbot/schedules"
)

// TestSchedule_DownAcrossTheSlotDeliversOnceAfterRestart: the bot is down at 09:00;
// started at 10:00 it delivers the 09:00 briefing once, marked late; started again it
// delivers nothing more. Briefing, outbox, store and Slack are all real.
func TestSchedule_DownAcrossTheSlotDeliversOnceAfterRestart(t *testing.T) {
	h := newHarnessWith(t, false)
	sch, err := schedules.ParseSpec(schedules.Spec{ID: "party/daily", Cron: "0 9 * * *"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 3, 10, 0, 0, 0, briefbot.DefaultLocation()) // a Tuesday, a working day
	b := &notices.Producer{Ledger: h.store, Rules: h.rules, Now: func() time.Time { return now }}
	d := h.deliverer(&waits{}, h.app)
	d.Sleep = nil
	start := func() {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{}, 2)
		go func() { d.Run(ctx); done <- struct{}{} }()
		r := &schedules.Runner{Schedules: []*schedules.Schedule{sch}, Now: func() time.Time { return now },
			Delivered: func(key string) (bool, error) { return h.store.SlotTaken(context.Background(), key) },
			Fire: func(ctx context.Context, s schedules.Slot, late bool) error {
				_, err := b.MakeBriefing(ctx, "party", s.Key(), s.ScheduledAt, late)
				return err
			}}
		go func() { r.Run(ctx); done <- struct{}{} }()
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			if open, _ := h.store.OpenDispatches(context.Background()); len(open) == 0 && len(h.slack.Posts()) > 0 {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		<-done
		<-done
	}
	start()
	posts := h.slack.Posts()
	if len(posts) == 0 || posts[0].Channel != "CPARTY" || !strings.Contains(posts[0].Text, "第1期") {
		t.Fatalf("posts after the first start = %+v", posts)
	}
	last, _ := h.store.LastBriefing(context.Background(), "party")
	if last == nil || !last.Late || last.Issue != 1 {
		t.Fatalf("briefing = %+v; want issue 1, late", last)
	}
	n := len(posts)
	start() // a restart: the slot is taken
	if got := len(h.slack.Posts()); got != n {
		t.Fatalf("%d posts after a restart; want %d", got, n)
	}
	if last2, _ := h.store.LastBriefing(context.Background(), "party"); last2.ID != last.ID {
		t.Fatalf("a second briefing was made for the same slot")
	}
}
