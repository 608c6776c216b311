package store_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

func briefing(committee briefbot.CommitteeID, year, issue int, slot string, parts int) *briefbot.Dispatch {
	d := &briefbot.Dispatch{Kind: briefbot.DispatchBriefing, Committee: committee, Year: year, Issue: issue, SlotKey: slot}
	for i := range parts {
		d.Parts = append(d.Parts, briefbot.Part{Text: fmt.Sprint("part ", i), Thread: i > 0})
	}
	return d
}

func TestOutbox_SlotOnceIssuesInOrder(t *testing.T) {
	c := newClock()
	s := MustOpen(t, c)
	if n, _ := s.NextIssue(ctx, "party", 2026); n != 1 {
		t.Fatalf("first issue = %d", n)
	}
	d1, existed, err := s.CreateDispatch(ctx, briefing("party", 2026, 1, "party/weekly@2026-03-02T00:30:00Z", 3))
	if err != nil || existed || d1.ID == 0 || d1.State != briefbot.DispatchPending {
		t.Fatalf("create = %+v %v %v", d1, existed, err)
	}
	// The same slot again (a restart that fires it again): the first one comes back.
	again, existed, err := s.CreateDispatch(ctx, briefing("party", 2026, 2, "party/weekly@2026-03-02T00:30:00Z", 1))
	if err != nil || !existed || again.ID != d1.ID {
		t.Fatalf("slot repeated = %+v %v %v", again, existed, err)
	}
	if taken, _ := s.SlotTaken(ctx, "party/weekly@2026-03-02T00:30:00Z"); !taken {
		t.Fatalf("slot not recorded")
	}
	// An issue number someone else took is refused; the right one goes through.
	if _, _, err := s.CreateDispatch(ctx, briefing("party", 2026, 1, "", 1)); briefbot.ErrorReason(err) != "issue_taken" {
		t.Fatalf("taken issue = %v", err)
	}
	if n, _ := s.NextIssue(ctx, "party", 2026); n != 2 {
		t.Fatalf("next issue = %d; want 2", n)
	}
	if n, _ := s.NextIssue(ctx, "pl", 2026); n != 1 {
		t.Fatalf("another committee's numbering = %d; want 1", n)
	}
	if _, _, err := s.CreateDispatch(ctx, briefing("party", 2026, 2, "", 0)); briefbot.ErrorCode(err) != briefbot.EINVALID {
		t.Fatalf("empty dispatch = %v", err)
	}
	last, err := s.LastBriefing(ctx, "party")
	if err != nil || last.ID != d1.ID {
		t.Fatalf("last briefing = %+v %v", last, err)
	}
}

func TestOutbox_PostedPartsSurviveRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o.db")
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, _, _ := s.CreateDispatch(ctx, briefing("party", 2026, 1, "slot-a", 3))
	if _, err := s.MarkPart(ctx, d.ID, 0, briefbot.PartOutcome{TS: "1700000000.000001"}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	open, err := s.OpenDispatches(ctx)
	if err != nil || len(open) != 1 || open[0].Parts[0].TS != "1700000000.000001" || open[0].Parts[1].TS != "" {
		t.Fatalf("open after restart = %+v %v", open, err)
	}
	// Posting the same part twice records the first ts only.
	s.MarkPart(ctx, d.ID, 0, briefbot.PartOutcome{TS: "other"})
	s.MarkPart(ctx, d.ID, 1, briefbot.PartOutcome{TS: "1700000000.000002"})
	got, _ := s.MarkPart(ctx, d.ID, 2, briefbot.PartOutcome{TS: "1700000000.000003"})
	if got.State != briefbot.DispatchDelivered || got.Parts[0].TS != "1700000000.000001" || got.DeliveredAt.IsZero() {
		t.Fatalf("delivered = %+v", got)
	}
	if open, _ := s.OpenDispatches(ctx); len(open) != 0 {
		t.Fatalf("a delivered dispatch is still open")
	}
	if _, err := s.MarkPart(ctx, d.ID, 7, briefbot.PartOutcome{TS: "x"}); briefbot.ErrorCode(err) != briefbot.EINVALID {
		t.Fatalf("bad part = %v", err)
	}
	if _, err := s.MarkPart(ctx, 99, 0, briefbot.PartOutcome{TS: "x"}); briefbot.ErrorCode(err) != briefbot.ENOTFOUND {
		t.Fatalf("missing dispatch = %v", err)
	}
}

func TestOutbox_ApprovalAndFailure(t *testing.T) {
	s := MustOpen(t, newClock())
	b := briefing("pl", 2026, 1, "", 1)
	b.State = briefbot.DispatchAwaitingApproval
	d, _, _ := s.CreateDispatch(ctx, b)
	if open, _ := s.OpenDispatches(ctx); len(open) != 1 {
		t.Fatalf("awaiting approval should be open")
	}
	got, err := s.ApproveDispatch(ctx, d.ID, "li")
	if err != nil || got.State != briefbot.DispatchPending || got.ApprovedBy != "li" {
		t.Fatalf("approve = %+v %v", got, err)
	}
	if _, err := s.ApproveDispatch(ctx, d.ID, "li"); briefbot.ErrorCode(err) != briefbot.ECONFLICT {
		t.Fatalf("approving twice = %v", err)
	}
	got, _ = s.FailDispatch(ctx, d.ID, "invalid_blocks")
	if got.State != briefbot.DispatchFailed {
		t.Fatalf("fail = %+v", got)
	}
	if open, _ := s.OpenDispatches(ctx); len(open) != 0 {
		t.Fatalf("a failed dispatch is still open")
	}
}

func TestOutbox_NoticesAreWrittenWithTheChange(t *testing.T) {
	s := MustOpen(t, newClock())
	tell := []*briefbot.Dispatch{{Kind: briefbot.DispatchReceipt, Committee: "party",
		Notice: &briefbot.Notice{Kind: briefbot.NoticeReceipt}, Parts: []briefbot.Part{{To: briefbot.ToMember("wu")}}}}
	r, err := s.Submit(ctx, request("带回执的请示"), tell, briefbot.Delivery{Key: "v1"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Receipt(ctx, r.Matter.ID)
	if err != nil || d == nil || d.Notice.Matter != r.Matter.ID || len(d.Matters) != 1 || d.Matters[0] != r.Matter.ID || d.Parts[0].To != briefbot.ToMember("wu") {
		t.Fatalf("receipt = %+v %v; want it to name the matter stored", d, err)
	}
	s.Submit(ctx, request("带回执的请示"), tell, briefbot.Delivery{Key: "v1"}) // a repeat makes none
	if open, _ := s.OpenDispatches(ctx); len(open) != 1 {
		t.Fatalf("%d dispatches after a repeated delivery; want 1", len(open))
	}
	// A notice that cannot be stored takes the change down with it: nothing half-written.
	bad := []*briefbot.Dispatch{{Kind: briefbot.DispatchReceipt}}
	if _, err := s.Submit(ctx, request("回执坏了"), bad, briefbot.Delivery{}); briefbot.ErrorCode(err) != briefbot.EINTERNAL {
		t.Fatalf("Submit with a bad notice = %v", err)
	}
	if p, _ := s.List(ctx, briefbot.Filter{}); len(p.Matters) != 1 {
		t.Fatalf("%d matters: the failed submission left a record", len(p.Matters))
	}
	if n, _ := s.NextIssue(ctx, "x", 2026); n != 1 {
		t.Fatal(n)
	}
}
