package etcd_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
	"github.com/briefbot/briefbot/store/etcd"
	"github.com/briefbot/briefbot/store/etcd/etcdtest"
	"github.com/briefbot/briefbot/store/storetest"
)

// TestCopy_BboltToEtcdAndBack: a file's ledger copied onto etcd and from there into a
// new file is the same ledger: every matter, number, dispatch, sequence and the audit
// chain's head; numbering goes on without a gap on the copy; a non-empty target is
// refused. The cluster takes 1.5 MiB a request (etcd's default) and the matters are
// long, so the copy must split what one request cannot carry.
func TestCopy_BboltToEtcdAndBack(t *testing.T) {
	ctx := context.Background()
	c := storetest.NewClock()
	src, err := store.Open(filepath.Join(t.TempDir(), "src.db"), store.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for i := range 30 {
		m := storetest.Request(fmt.Sprint("迁移", i))
		m.Reasons = strings.Repeat("该案社会关注度高，涉及人数众多。", 1200) // 60 KB
		tell := []*briefbot.Dispatch{{Kind: briefbot.DispatchReceipt, Committee: "party", Notice: &briefbot.Notice{Kind: briefbot.NoticeReceipt}, Parts: []briefbot.Part{{To: briefbot.ToMember("wu")}}}}
		if _, err := src.Submit(ctx, m, tell, briefbot.Delivery{Key: fmt.Sprint("k", i)}); err != nil {
			t.Fatal(err)
		}
	}
	cluster := etcdtest.Start(t, 3, smallTxns)
	onEtcd, err := store.New(etcd.New(cluster.Client(), "/copy"), "etcd", store.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer onEtcd.Close()
	got, err := store.Copy(ctx, onEtcd, src)
	if err != nil || got.Matters != 30 {
		t.Fatalf("copy to etcd = %+v %v", got, err)
	}
	if _, err := store.Copy(ctx, onEtcd, src); briefbot.ErrorReason(err) != briefbot.ReasonNotEmpty {
		t.Fatalf("a second copy onto a full ledger = %v", err)
	}
	// Numbering and dedup carry on on the copy.
	if r, err := onEtcd.Submit(ctx, storetest.Request("迁移后"), nil, briefbot.Delivery{Key: "k3"}); err != nil || !r.Duplicate {
		t.Fatalf("a delivery key seen before the copy = %+v %v", r, err)
	}
	r, err := onEtcd.Submit(ctx, storetest.Request("迁移后"), nil, briefbot.Delivery{Key: "new"})
	if err != nil || r.Matter.Number.Seq != 31 || r.Matter.ID != 31 {
		t.Fatalf("after the copy = %+v %v", r.Matter, err)
	}
	back, err := store.Open(filepath.Join(t.TempDir(), "back.db"), store.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	got, err = store.Copy(ctx, back, onEtcd)
	if err != nil || got.Matters != 31 {
		t.Fatalf("copy back = %+v %v", got, err)
	}
	if n, _ := back.OpenDispatches(ctx); len(n) != 30 {
		t.Fatalf("%d open dispatches on the copy back; want the 30 receipts", len(n))
	}
}
