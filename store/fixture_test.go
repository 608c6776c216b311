package store_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

var writeFixture = flag.Bool("fixture", false, "write testdata/schema2.db with this version of the store")

// fixturePath is a store file made by schema 2 (this version), committed so that every
// later version proves it still opens — and migrates — what this one wrote.
const fixturePath = "testdata/schema2.db"

func TestFixture_StoreWrittenBySchema2StillOpens(t *testing.T) {
	if *writeFixture {
		os.Remove(fixturePath)
		c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)}
		s, err := store.Open(fixturePath, store.Options{Now: c.Now})
		if err != nil {
			t.Fatal(err)
		}
		r, _ := s.Submit(ctx, request("夹具中的请示"), nil, briefbot.Delivery{Key: "fixture"})
		s.Apply(ctx, briefbot.RefID(r.Matter.ID), steps(briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: c.Now(), Text: "同意"}), briefbot.Delivery{})
		s.Submit(ctx, report("夹具中的报告"), nil, briefbot.Delivery{})
		s.CreateDispatch(ctx, &briefbot.Dispatch{Kind: briefbot.DispatchBriefing, Committee: "party", Year: 2026, Issue: 1, Parts: []briefbot.Part{{Text: "第1期"}}})
		s.Close()
	}
	tmp := filepath.Join(t.TempDir(), "copy.db")
	raw, err := os.ReadFile(fixturePath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(tmp, store.Options{})
	if err != nil {
		t.Fatalf("this version cannot open a schema-2 store: %v", err)
	}
	defer s.Close()
	if ps, err := s.Check(); err != nil || len(ps) != 0 {
		t.Fatalf("check: %v %v", ps, err)
	}
	m, err := s.Lookup(ctx, "QS-2026-0001")
	if err != nil || m.Title != "夹具中的请示" || m.Status != briefbot.StatusInstructed {
		t.Fatalf("request = %+v, %v", m, err)
	}
	if n, _ := s.NextIssue(ctx, "party", 2026); n != 2 {
		t.Fatalf("next issue = %d", n)
	}
	if r, err := s.Submit(ctx, request("新版本的请示"), nil, briefbot.Delivery{}); err != nil || r.Matter.Number.Seq != 2 {
		t.Fatalf("numbering after the upgrade: %v %v", r.Matter, err)
	}
	// The search index was built on opening (schema 4): the old matters are found by
	// their titles and 批示, and the new one by its own.
	for q, want := range map[string]string{"夹具": "[夹具中的报告 夹具中的请示]", "同意": "[夹具中的请示]", "新版本": "[新版本的请示]", "QS-2026-0001": "[夹具中的请示]"} {
		p, err := s.Search(ctx, q, briefbot.Filter{})
		if got := fmt.Sprint(titles(p)); err != nil || got != want {
			t.Errorf("after the upgrade, Search(%q) = %s, %v; want %s", q, got, err, want)
		}
	}
	// Entries written before record hashes verify as they are; what this version
	// writes is covered.
	if r, err := s.VerifyAudit(ctx, briefbot.AuditAnchor{}); err != nil || r.Problem != "" || r.Legacy != 2 || r.Matters != 1 {
		t.Fatalf("audit of an upgraded store: %+v %v", r, err)
	}
}
