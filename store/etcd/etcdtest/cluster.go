// Package etcdtest runs etcd clusters in-process, for tests: nothing needs to be
// installed. Only tests import it (and with it etcd's server).
package etcdtest

import (
	"errors"
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
// test's end. Ports are picked free and then released for etcd to bind, so another
// process may take one in between: a start that fails to bind is tried again on new
// ports.
// Each of configure may change every member's configuration before it starts.
func Start(tb testing.TB, n int, configure ...func(*embed.Config)) *Cluster {
	tb.Helper()
	var err error
	for range 5 {
		var c *Cluster
		if c, err = start(tb, n, configure); err == nil {
			tb.Cleanup(c.stopAll)
			return c
		}
		if !strings.Contains(err.Error(), "address already in use") {
			break
		}
	}
	tb.Fatalf("etcd: %v", err)
	return nil
}

func start(tb testing.TB, n int, configure []func(*embed.Config)) (*Cluster, error) {
	c := &Cluster{tb: tb}
	urls := freeURLs(tb, 2*n)
	var initial []string
	for i := range n {
		m := &member{name: fmt.Sprintf("m%d", i)}
		cfg := embed.NewConfig()
		cfg.Name = m.name
		cfg.Dir = tb.TempDir()
		cfg.Logger, cfg.LogLevel = "zap", "error"
		peer, client := urls[2*i], urls[2*i+1]
		cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
		cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
		cfg.ClusterState = embed.ClusterStateFlagNew
		cfg.InitialClusterToken = "briefbot-test"
		cfg.TickMs, cfg.ElectionMs = 20, 200 // fast elections: failover tests in seconds
		// A matter's write carries its search index: the limits a ledger's cluster
		// needs (package etcd, MinTxnOps and MinRequestBytes).
		cfg.MaxTxnOps, cfg.MaxRequestBytes = 65536, 10<<20 // etcd.MinTxnOps, etcd.MinRequestBytes
		for _, f := range configure {
			f(cfg)
		}
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
	var failed error
	for range n {
		if err := <-started; err != nil {
			failed = err
		}
	}
	if failed != nil {
		c.stopAll()
		return nil, failed
	}
	for _, m := range c.members {
		select {
		case <-m.etcd.Server.ReadyNotify():
		case <-time.After(30 * time.Second):
			c.stopAll()
			return nil, errors.New("etcd did not become ready")
		}
	}
	return c, nil
}

// freeURLs returns n distinct loopback URLs on ports free a moment ago: every
// listener is held until all are picked, so no two are the same.
func freeURLs(tb testing.TB, n int) []url.URL {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var out []url.URL
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		ls = append(ls, l)
		u, _ := url.Parse("http://" + l.Addr().String())
		out = append(out, *u)
	}
	return out
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
	if m.stopped || m.etcd == nil {
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
