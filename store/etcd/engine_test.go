package etcd_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
	"github.com/briefbot/briefbot/store/etcd"
	"github.com/briefbot/briefbot/store/etcd/etcdtest"
	"github.com/briefbot/briefbot/store/kv"
	"github.com/briefbot/briefbot/store/storetest"
)

// etcdDefaults is a cluster as etcd ships: at most 128 operations and 1.5 MiB in one
// transaction.
func etcdDefaults(c *embed.Config) {
	c.MaxTxnOps, c.MaxRequestBytes = embed.DefaultMaxTxnOps, embed.DefaultMaxRequestBytes
}

// smallTxns is a cluster that takes one submission in a transaction (with its search
// index) but not a batch of them, and etcd's default 1.5 MiB a request.
func smallTxns(c *embed.Config) { c.MaxTxnOps, c.MaxRequestBytes = 2048, embed.DefaultMaxRequestBytes }

// TestUpdate_TooLargeWritesNothing: a transaction with more writes than the cluster
// takes is refused as kv.ErrTooLarge, and none of its writes is made.
func TestUpdate_TooLargeWritesNothing(t *testing.T) {
	cluster := etcdtest.Start(t, 1, etcdDefaults)
	eng := etcd.New(cluster.Client(), "/big")
	ctx := context.Background()
	for range 2 { // the second time the engine knows the limit and sends nothing
		err := eng.Update(ctx, func(tx kv.Tx) error {
			b := tx.Bucket([]byte("b"))
			for i := range 200 {
				if err := b.Put(fmt.Appendf(nil, "k%03d", i), []byte("v")); err != nil {
					return err
				}
			}
			return nil
		})
		if !errors.Is(err, kv.ErrTooLarge) {
			t.Fatalf("200 writes: %v; want kv.ErrTooLarge", err)
		}
	}
	resp, err := cluster.Client().Get(ctx, "/big", clientv3.WithPrefix())
	if err != nil || resp.Count != 0 {
		t.Fatalf("after a refused transaction the cluster holds %d keys (%v)", resp.Count, err)
	}
}

// TestSubmit_BatchesLargerThanTheClusterTakes: 64 submissions at once on a cluster
// that takes a few in one transaction are shared out in smaller transactions: every
// one is stored, numbered without gaps.
func TestSubmit_BatchesLargerThanTheClusterTakes(t *testing.T) {
	cluster := etcdtest.Start(t, 1, smallTxns)
	s, err := store.New(etcd.New(cluster.Client(), "/batches"), "batches", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Go(func() {
			_, err := s.Submit(context.Background(), storetest.Request(fmt.Sprintf("关于第%d号案件的请示", i)), nil, briefbot.Delivery{Key: fmt.Sprint(i)})
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
	seqs := map[int]bool{}
	s.Each(context.Background(), briefbot.Filter{}, func(m *briefbot.Matter) bool { seqs[m.Number.Seq] = true; return true })
	for i := 1; i <= 64; i++ {
		if !seqs[i] {
			t.Fatalf("number %d missing of 64 (%d stored)", i, len(seqs))
		}
	}
}

// TestPrefetch: keys fetched ahead answer as the snapshot had them, absent ones as
// absent; the transaction's own writes still win over what was fetched.
func TestPrefetch(t *testing.T) {
	cluster := etcdtest.Start(t, 1)
	eng := etcd.New(cluster.Client(), "/pre")
	ctx := context.Background()
	put := func(k, v string) {
		if err := eng.Update(ctx, func(tx kv.Tx) error { return tx.Bucket([]byte("b")).Put([]byte(k), []byte(v)) }); err != nil {
			t.Fatal(err)
		}
	}
	put("a", "1")
	runs := 0
	err := eng.Update(ctx, func(tx kv.Tx) error {
		runs++
		b := tx.Bucket([]byte("b"))
		if err := b.Put([]byte("c"), []byte("mine")); err != nil {
			return err
		}
		want := "2"
		if runs == 1 {
			put("a", "2") // another writer, after the snapshot: this run reads "1" and is retried
			want = "1"
		}
		tx.(kv.Prefetcher).Prefetch([]kv.Key{{Bucket: []byte("b"), Key: []byte("a")}, {Bucket: []byte("b"), Key: []byte("absent")}, {Bucket: []byte("b"), Key: []byte("c")}})
		if got := string(b.Get([]byte("a"))); got != want {
			return fmt.Errorf("run %d: a = %q; want %q", runs, got, want)
		}
		if b.Get([]byte("absent")) != nil {
			return errors.New("absent key read as present")
		}
		if got := string(b.Get([]byte("c"))); got != "mine" {
			return fmt.Errorf("own write read as %q", got)
		}
		return nil
	})
	if err != nil || runs != 2 {
		t.Fatalf("%v after %d runs; want nil after 2 (one retried)", err, runs)
	}
}
