// Package etcdtest runs etcd clusters in-process, for tests: nothing needs to be
// installed. Only tests import it (and with it etcd's server).
package etcdtest

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
)

// Cluster is n etcd members in this process, on loopback ports.
type Cluster struct {
	tb      testing.TB
	members []*member
}

type member struct {
	name      string
	cfg       *embed.Config
	etcd      *embed.Etcd
	clientURL string
	stopped   bool
}

// Start starts a cluster of n members and waits until it serves. They stop at the
// test's end.
func Start(tb testing.TB, n int) *Cluster {
	tb.Helper()
	c := &Cluster{tb: tb}
	var initial []string
	for i := range n {
		m := &member{name: fmt.Sprintf("m%d", i)}
		cfg := embed.NewConfig()
		cfg.Name = m.name
		cfg.Dir = tb.TempDir()
		cfg.Logger, cfg.LogLevel = "zap", "error"
		peer, client := freeURL(tb), freeURL(tb)
		cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
		cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
		cfg.ClusterState = embed.ClusterStateFlagNew
		cfg.InitialClusterToken = "briefbot-test"
		cfg.TickMs, cfg.ElectionMs = 20, 200 // fast elections: failover tests in seconds
		// A matter's write carries its search index: the limits a ledger's cluster
		// needs (package etcd, MinTxnOps and MinRequestBytes).
		cfg.MaxTxnOps, cfg.MaxRequestBytes = 65536, 10<<20 // etcd.MinTxnOps, etcd.MinRequestBytes
		m.cfg, m.clientURL = cfg, client.String()
		initial = append(initial, m.name+"="+peer.String())
		c.members = append(c.members, m)
	}
	for _, m := range c.members {
		m.cfg.InitialCluster = strings.Join(initial, ",")
	}
	started := make(chan error, n)
	for _, m := range c.members {
		go func() {
			e, err := embed.StartEtcd(m.cfg)
			if err == nil {
				m.etcd = e
			}
			started <- err
		}()
	}
	for range n {
		if err := <-started; err != nil {
			tb.Fatalf("etcd: %v", err)
		}
	}
	for _, m := range c.members {
		select {
		case <-m.etcd.Server.ReadyNotify():
		case <-time.After(30 * time.Second):
			tb.Fatal("etcd did not become ready")
		}
	}
	tb.Cleanup(c.stopAll)
	return c
}

func freeURL(tb testing.TB) url.URL {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	u, _ := url.Parse("http://" + l.Addr().String())
	return *u
}

// Endpoints are the members' client URLs.
func (c *Cluster) Endpoints() []string {
	var out []string
	for _, m := range c.members {
		out = append(out, m.clientURL)
	}
	return out
}

// Client returns a client of the whole cluster, closed at the test's end.
func (c *Cluster) Client() *clientv3.Client {
	cli, err := clientv3.New(clientv3.Config{Endpoints: c.Endpoints(), DialTimeout: 5 * time.Second})
	if err != nil {
		c.tb.Fatal(err)
	}
	c.tb.Cleanup(func() { cli.Close() })
	return cli
}

// Stop stops member i (as a crash would, for the others).
func (c *Cluster) Stop(i int) {
	m := c.members[i]
	if m.stopped {
		return
	}
	m.stopped = true
	m.etcd.Close()
}

func (c *Cluster) stopAll() {
	for i := range c.members {
		c.Stop(i)
	}
}
