package etcd_test

import (
	"context"
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
	"github.com/briefbot/briefbot/store/etcd"
	"github.com/briefbot/briefbot/store/etcd/etcdtest"
	"github.com/briefbot/briefbot/store/storetest"
)

// TestCache_AnotherReplicasChange: a replica that read a matter (and keeps it
// decoded) reads it as another replica changed it, by lookup, list and search.
func TestCache_AnotherReplicasChange(t *testing.T) {
	ctx := context.Background()
	cluster := etcdtest.Start(t, 1)
	c := storetest.NewClock()
	var rs []*store.Store
	for range 2 {
		s, err := store.New(etcd.New(cluster.Client(), "/cache"), "cache", store.Options{Now: c.Now})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		rs = append(rs, s)
	}
	a, b := rs[0], rs[1]
	r, err := a.Submit(ctx, storetest.Request("两个副本读的请示"), nil, briefbot.Delivery{})
	if err != nil {
		t.Fatal(err)
	}
	read := func(s *store.Store) []briefbot.Status {
		m, err := s.Matter(ctx, briefbot.RefID(r.Matter.ID))
		if err != nil {
			t.Fatal(err)
		}
		p, _ := s.List(ctx, briefbot.Filter{})
		f, _ := s.Search(ctx, "两个副本", briefbot.Filter{})
		if len(p.Matters) != 1 || len(f.Matters) != 1 {
			t.Fatalf("list %d, search %d matters; want 1 each", len(p.Matters), len(f.Matters))
		}
		return []briefbot.Status{m.Status, p.Matters[0].Status, f.Matters[0].Status}
	}
	read(a)
	read(a) // kept decoded now
	if _, err := b.Apply(ctx, briefbot.RefID(r.Matter.ID), storetest.Steps(briefbot.Step{Action: briefbot.ActionInstruct, Actor: "zhao", At: c.Now(), Text: "同意"}), briefbot.Delivery{}); err != nil {
		t.Fatal(err)
	}
	for _, st := range read(a) {
		if st != briefbot.StatusInstructed {
			t.Fatalf("replica a reads %v after replica b's 批示; want instructed everywhere", read(a))
		}
	}
}
