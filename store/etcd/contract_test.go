package etcd_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
	"github.com/briefbot/briefbot/store/etcd"
	"github.com/briefbot/briefbot/store/etcd/etcdtest"
	"github.com/briefbot/briefbot/store/storetest"
)

// TestContract runs the ledger's contract on a three-member etcd cluster, each test on
// a ledger of its own (its own prefix).
func TestContract(t *testing.T) {
	cluster := etcdtest.Start(t, 3)
	cli := cluster.Client()
	var n atomic.Int64
	storetest.Run(t, func(tb testing.TB, now func() time.Time) *store.Store {
		prefix := fmt.Sprintf("/briefbot-test-%d", n.Add(1))
		s, err := store.New(etcd.New(cli, prefix), prefix, store.Options{Now: now, MaxBatch: 4})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() {
			if ps, err := s.Check(); err != nil || len(ps) > 0 {
				tb.Errorf("check: %v %v", ps, err)
			}
			s.Close()
		})
		return s
	})
}

// TestReplicas: three bot replicas, each with its own store on one ledger, submit at
// once: every number is given once, gapless, and the ledger checks clean.
func TestReplicas(t *testing.T) {
	cluster := etcdtest.Start(t, 3)
	var replicas []*store.Store
	for range 3 {
		s, err := store.New(etcd.New(cluster.Client(), "/replicas"), "replicas", store.Options{MaxBatch: 4})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		replicas = append(replicas, s)
	}
	const per = 15
	errs := make(chan error, 3*per)
	numbers := make(chan string, 3*per)
	done := make(chan struct{})
	for r, s := range replicas {
		for i := range per {
			go func() {
				res, err := s.Submit(context.Background(), storetest.Request(fmt.Sprintf("副本%d-%d", r, i)), nil, briefbot.Delivery{Key: fmt.Sprintf("r%d-%d", r, i)})
				if err != nil {
					errs <- err
				} else {
					numbers <- res.Matter.Number.String()
				}
				done <- struct{}{}
			}()
		}
	}
	for range 3 * per {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	close(numbers)
	seen := map[string]bool{}
	for n := range numbers {
		if seen[n] {
			t.Fatalf("%s given twice", n)
		}
		seen[n] = true
	}
	for i := 1; i <= 3*per; i++ {
		if !seen[fmt.Sprintf("QS-2026-%04d", i)] && !seen[fmt.Sprintf("QS-%d-%04d", time.Now().Year(), i)] {
			t.Fatalf("number %d missing: %v", i, seen)
		}
	}
	if ps, err := replicas[0].Check(); err != nil || len(ps) > 0 {
		t.Fatalf("check: %v %v", ps, err)
	}
}
