package etcd_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
	"github.com/briefbot/briefbot/store/etcd"
	"github.com/briefbot/briefbot/store/etcd/etcdtest"
	"github.com/briefbot/briefbot/store/kv"
	"github.com/briefbot/briefbot/store/storetest"
)

// TestUpgrade_Schema4: a ledger written on etcd by the build before the deadline
// index by department, unit and committee (schema 4) is refused read-only with the
// way to upgrade it, and upgraded by the first read-write start, in transactions the
// cluster takes (this one takes 2,048 writes, fewer than the keys to add): then it
// checks clean and each committee's overdue list holds every overdue matter.
func TestUpgrade_Schema4(t *testing.T) {
	ctx := context.Background()
	cluster := etcdtest.Start(t, 1, smallTxns)
	const prefix, n = "/upgrade", 700
	c := storetest.NewClock()
	s, err := store.New(etcd.New(cluster.Client(), prefix), prefix, store.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			m := storetest.Request(fmt.Sprintf("升级前的请示%03d", i))
			m.Copied = []briefbot.CommitteeID{"pl"}
			m.AnswerBy = c.Now().Add(time.Duration(1+i%5) * 24 * time.Hour)
			_, err := s.Submit(ctx, m, nil, briefbot.Delivery{})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	// Make it what schema 4 wrote: no deadline keys by department, unit or committee.
	eng := etcd.New(cluster.Client(), prefix)
	var keys [][]byte
	err = eng.View(ctx, func(tx kv.Tx) error {
		return tx.Bucket([]byte("index")).ForEach(func(k, _ []byte) error {
			if p := string(k[:3]); p == "dd\x00" || p == "da\x00" || p == "dt\x00" {
				keys = append(keys, append([]byte(nil), k...))
			}
			return nil
		})
	})
	if err != nil || len(keys) != 3*n {
		t.Fatalf("%d deadline keys by department and committee (%v); want %d", len(keys), err, 3*n)
	}
	for len(keys) > 0 {
		batch := keys[:min(len(keys), 500)]
		keys = keys[len(batch):]
		err := eng.Update(ctx, func(tx kv.Tx) error {
			for _, k := range batch {
				if err := tx.Bucket([]byte("index")).Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := eng.Update(ctx, func(tx kv.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte("4"))
	}); err != nil {
		t.Fatal(err)
	}

	_, err = store.New(etcd.New(cluster.Client(), prefix), prefix, store.Options{ReadOnly: true})
	if briefbot.ErrorReason(err) != briefbot.ReasonSchemaOlder {
		t.Fatalf("read-only open of a schema-4 ledger = %v; want %s", err, briefbot.ReasonSchemaOlder)
	}
	s, err = store.New(etcd.New(cluster.Client(), prefix), prefix, store.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if ps, err := s.Check(); err != nil || len(ps) != 0 {
		t.Fatalf("check after the upgrade: %v %v", ps, err)
	}
	asOf := c.Now().Add(3*24*time.Hour + time.Hour) // deadlines of 1 to 3 days have passed
	want := 0
	for i := range n {
		if 1+i%5 <= 3 {
			want++
		}
	}
	for _, f := range []briefbot.Filter{{Committee: "pl"}, {Committee: "party"}, {Department: "criminal"}} {
		f.OverdueAt = asOf
		got := 0
		for page := 0; ; page++ {
			f.Limit, f.Offset = briefbot.MaxLimit, page*briefbot.MaxLimit
			p, err := s.List(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			got += len(p.Matters)
			if !p.More {
				break
			}
		}
		if got != want {
			t.Errorf("after the upgrade, overdue %+v: %d matters; want %d", f, got, want)
		}
	}
	// A replica started later finds the ledger upgraded.
	s2, err := store.New(etcd.New(cluster.Client(), prefix), prefix, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open after the upgrade: %v", err)
	}
	s2.Close()
}
