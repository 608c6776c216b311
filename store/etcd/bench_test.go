package etcd_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
	"github.com/briefbot/briefbot/store/etcd"
	"github.com/briefbot/briefbot/store/etcd/etcdtest"
	"github.com/briefbot/briefbot/store/storetest"
)

// BenchmarkDurableIntake submits requests, each acknowledged only when durable, from
// 1 and from 64 submitters at once: on an embedded bbolt file (fsync'd) and on a
// three-member etcd cluster running in this process (each member's WAL fsync'd, a
// quorum of two before the answer). It reports throughput and each Submit's latency,
// p50 and p99. The cluster's members share this machine's cores and disk with the
// benchmark, so etcd pays for three replicas on one machine: a lower bound for a
// cluster of three machines on a LAN.
func BenchmarkDurableIntake(b *testing.B) {
	engines := []struct {
		name string
		// open returns the ledger and a function that measures the storage it uses.
		open func(b *testing.B) (*store.Store, func() int64)
	}{
		{"bbolt", func(b *testing.B) (*store.Store, func() int64) {
			path := filepath.Join(b.TempDir(), "ledger.db")
			s, err := store.Open(path, store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			return s, func() int64 {
				fi, err := os.Stat(path)
				if err != nil {
					b.Fatal(err)
				}
				return fi.Size()
			}
		}},
		{"etcd3", func(b *testing.B) (*store.Store, func() int64) {
			cluster := etcdtest.Start(b, 3)
			cli := cluster.Client()
			s, err := store.New(etcd.New(cli, "/bench"), "bench", store.Options{})
			if err != nil {
				b.Fatal(err)
			}
			return s, func() int64 { // the backend in use, on one member (each holds all)
				st, err := cli.Status(context.Background(), cluster.Endpoints()[0])
				if err != nil {
					b.Fatal(err)
				}
				return st.DbSizeInUse
			}
		}},
	}
	for _, e := range engines {
		for _, writers := range []int{1, 64} {
			b.Run(fmt.Sprintf("%s/submitters=%d", e.name, writers), func(b *testing.B) {
				s, size := e.open(b)
				defer s.Close()
				before := size()
				intake(b, s, writers)
				b.ReportMetric(float64(size()-before)/float64(b.N), "B/matter")
			})
		}
	}
}

func intake(b *testing.B, s *store.Store, writers int) {
	ctx := context.Background()
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	lat := make([]time.Duration, b.N)
	var next atomic.Int64
	var failed atomic.Pointer[error]
	var wg sync.WaitGroup
	b.ResetTimer()
	for range writers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < b.N; i = int(next.Add(1)) - 1 {
				m := storetest.Request("关于第" + strconv.Itoa(i) + "号案件公开审理的请示")
				start := time.Now()
				if _, err := s.Submit(ctx, m, nil, briefbot.Delivery{Key: run + "-" + strconv.Itoa(i)}); err != nil {
					failed.CompareAndSwap(nil, &err)
					return
				}
				lat[i] = time.Since(start)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	if err := failed.Load(); err != nil {
		b.Fatal(*err)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submits/s")
	b.ReportMetric(float64(lat[b.N/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[b.N*99/100].Microseconds())/1000, "p99-ms")
}
