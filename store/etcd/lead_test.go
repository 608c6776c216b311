package etcd_test

import (
	"context"
	"errors"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/briefbot/briefbot/store/etcd"
	"github.com/briefbot/briefbot/store/etcd/etcdtest"
	"github.com/briefbot/briefbot/store/kv"
)

// TestLead_ADeposedLeaderCannotWrite: two replicas campaign; the first leads. Its
// leadership is lost behind its back (its election key gone, as when its lease
// expires during a pause): the other is elected, and the deposed leader's fenced
// writes are refused (ErrFenced) and change nothing, although it has not noticed yet.
func TestLead_ADeposedLeaderCannotWrite(t *testing.T) {
	cluster := etcdtest.Start(t, 3)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type leading struct {
		id     string
		fenced *etcd.Engine
	}
	led := make(chan leading, 4)
	for _, id := range []string{"replica-a", "replica-b"} {
		eng := etcd.New(cluster.Client(), "/lead")
		go eng.Lead(ctx, id, time.Second, func(lctx context.Context, fenced *etcd.Engine) {
			led <- leading{id, fenced}
			<-lctx.Done()
		})
	}
	first := <-led
	write := func(e *etcd.Engine, v string) error {
		return e.Update(ctx, func(tx kv.Tx) error { return tx.Bucket([]byte("b")).Put([]byte("k"), []byte(v)) })
	}
	if err := write(first.fenced, "first"); err != nil {
		t.Fatalf("the leader's write: %v", err)
	}
	cli := cluster.Client()
	owner, err := cli.Get(ctx, "/lead\x03leader", clientv3.WithFirstCreate()...) // the leader's key
	if err != nil || len(owner.Kvs) != 1 || string(owner.Kvs[0].Value) != first.id {
		t.Fatalf("the election's first key: %v %v", owner, err)
	}
	if _, err := cli.Delete(ctx, string(owner.Kvs[0].Key)); err != nil {
		t.Fatal(err)
	}
	var second leading
	select {
	case second = <-led:
	case <-time.After(10 * time.Second):
		t.Fatal("no new leader 10 s after the first lost its leadership")
	}
	if second.id == first.id {
		t.Fatalf("%s led again; want the other replica", second.id)
	}
	if err := write(first.fenced, "deposed"); !errors.Is(err, etcd.ErrFenced) {
		t.Fatalf("the deposed leader's write = %v; want ErrFenced", err)
	}
	if err := write(second.fenced, "second"); err != nil {
		t.Fatalf("the new leader's write: %v", err)
	}
	resp, err := cli.Get(ctx, "/lead\x00b\x00k")
	if err != nil || len(resp.Kvs) != 1 || string(resp.Kvs[0].Value) != "second" {
		t.Fatalf("the key holds %v (%v); want the new leader's write", resp.Kvs, err)
	}
}
