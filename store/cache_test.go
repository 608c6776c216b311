package store_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/briefbot/briefbot"
)

// TestCache_AReaderChangesOnlyItsCopy: matters a list, a search or a lookup returns
// are the caller's to change; the next reader gets the ledger's, not the change.
func TestCache_AReaderChangesOnlyItsCopy(t *testing.T) {
	c := newClock()
	s := MustOpen(t, c)
	m := mustSubmit(t, s, request("缓存中的请示"))
	mustApply(t, s, m.ID, briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: c.Now(), Text: "同意"})
	spoil := func(m *briefbot.Matter) {
		m.Title = "被调用方改动"
		m.Status = briefbot.StatusClosed
		m.History[0].Actor = "mallory"
		m.Instructions[0].Text = "伪造的批示"
		m.Copied = append(m.Copied[:0], "nobody")
	}
	spoilSummary := func(m *briefbot.Summary) {
		m.Title = "被调用方改动"
		m.Status = briefbot.StatusClosed
		m.Copied = append(m.Copied[:0], "nobody")
	}
	for range 3 { // each read is a cache hit after the first
		got, err := s.Matter(ctx, briefbot.RefID(m.ID))
		if err != nil {
			t.Fatal(err)
		}
		p, _ := s.List(ctx, briefbot.Filter{})
		f, _ := s.Search(ctx, "缓存", briefbot.Filter{})
		if got.Title != "缓存中的请示" || got.Status != briefbot.StatusInstructed || got.History[0].Actor != "wu" ||
			got.Instructions[0].Text != "同意" || len(p.Matters) != 1 || p.Matters[0].Title != "缓存中的请示" ||
			len(f.Matters) != 1 || f.Matters[0].Title != "缓存中的请示" || f.Matters[0].Status != briefbot.StatusInstructed {
			t.Fatalf("a reader sees another reader's change: %+v", got)
		}
		spoil(got)
		spoilSummary(p.Matters[0])
		spoilSummary(f.Matters[0])
	}
}

// TestCache_AChangeIsSeenAtOnce: a matter read (and kept decoded) then changed is
// read changed by every path, and a list of more matters than the cache keeps reads
// every one of them right.
func TestCache_AChangeIsSeenAtOnce(t *testing.T) {
	c := newClock()
	s := MustOpen(t, c)
	var ids []uint64
	for i := range 600 {
		ids = append(ids, mustSubmit(t, s, request(fmt.Sprintf("请示%03d", i))).ID)
	}
	for _, id := range ids { // every one read, the cache full and turning over
		if _, err := s.Matter(ctx, briefbot.RefID(id)); err != nil {
			t.Fatal(err)
		}
	}
	for i, id := range ids {
		if i%3 == 0 {
			mustApply(t, s, id, briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: c.Now(), Text: fmt.Sprintf("批示%03d", i)})
		}
	}
	for i, id := range slices.Backward(ids) { // newest first: the ones kept are read first
		m, err := s.Matter(ctx, briefbot.RefID(id))
		want := briefbot.StatusSubmitted
		if i%3 == 0 {
			want = briefbot.StatusInstructed
		}
		if err != nil || m.Status != want || m.Title != fmt.Sprintf("请示%03d", i) {
			t.Fatalf("matter %d after the change: %v %v; want %s", i, m, err, want)
		}
	}
	p, err := s.List(ctx, briefbot.Filter{Statuses: []briefbot.Status{briefbot.StatusInstructed}, Limit: briefbot.MaxLimit})
	if err != nil || len(p.Matters) != 200 {
		t.Fatalf("instructed: %d matters (%v); want 200", len(p.Matters), err)
	}
	for _, sm := range p.Matters {
		m, err := s.Matter(ctx, briefbot.RefID(sm.ID))
		if err != nil || sm.Status != briefbot.StatusInstructed || len(m.Instructions) != 1 || m.Instructions[0].Text != "批示"+m.Title[len("请示"):] {
			t.Fatalf("%s carries %+v (%v)", m.Title, m.Instructions, err)
		}
	}
}
