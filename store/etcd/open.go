package etcd

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

// Config is how to reach the cluster, as etcd clients usually take it.
type Config struct {
	Endpoints          []string // client URLs of the members
	Prefix             string   // the ledger's key prefix (default /briefbot)
	Username, Password string   // etcd authentication, if enabled
	CACert             string   // a PEM file: the cluster's CA (TLS)
	Cert, Key          string   // PEM files: this client's certificate and key (mutual TLS)
	DialTimeout        time.Duration
}

// Open connects to the cluster and opens the ledger under cfg.Prefix; closing the
// store closes the connection.
func Open(cfg Config, opts store.Options) (*store.Store, error) {
	if len(cfg.Endpoints) == 0 {
		return nil, briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonConfig, briefbot.Text{
			ZH: "使用 etcd 存储须给出 BRIEFBOT_ETCD_ENDPOINTS（逗号分隔的成员地址）。",
			EN: "The etcd store needs BRIEFBOT_ETCD_ENDPOINTS (the members' client URLs, comma separated)."})
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "/briefbot"
	}
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = 5 * time.Second
	}
	cc := clientv3.Config{Endpoints: cfg.Endpoints, DialTimeout: cfg.DialTimeout, Username: cfg.Username, Password: cfg.Password}
	if cfg.CACert != "" || cfg.Cert != "" {
		t, err := tlsConfig(cfg)
		if err != nil {
			return nil, err
		}
		cc.TLS = t
	}
	cli, err := clientv3.New(cc)
	if err != nil {
		return nil, unreachable(cfg, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.DialTimeout)
	defer cancel()
	if _, err := cli.Get(ctx, cfg.Prefix+"\x02version"); err != nil { // reachable, with a quorum
		cli.Close()
		return nil, unreachable(cfg, err)
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 4 // a submission writes ~25 keys; a transaction holds at most 128
	}
	e := &Engine{cli: cli, prefix: cfg.Prefix, owns: true, maxOps: new(atomic.Int64)}
	return store.New(e, fmt.Sprintf("etcd %v %s", cfg.Endpoints, cfg.Prefix), opts)
}

func unreachable(cfg Config, err error) error {
	return &briefbot.Error{Code: briefbot.EINTERNAL, Reason: briefbot.ReasonStoreUnavailable, Err: err, Msg: briefbot.Text{
		ZH: fmt.Sprintf("无法连接 etcd 集群 %v（或集群不足半数成员在线）：%v", cfg.Endpoints, err),
		EN: fmt.Sprintf("Cannot reach the etcd cluster %v (or fewer than half its members are up): %v", cfg.Endpoints, err)}}
}

func tlsConfig(cfg Config) (*tls.Config, error) {
	t := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.CACert != "" {
		pem, err := os.ReadFile(cfg.CACert)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("etcd: no certificate in %s", cfg.CACert)
		}
		t.RootCAs = pool
	}
	if cfg.Cert != "" {
		c, err := tls.LoadX509KeyPair(cfg.Cert, cfg.Key)
		if err != nil {
			return nil, err
		}
		t.Certificates = []tls.Certificate{c}
	}
	return t, nil
}

// Lead campaigns for leadership of the ledger's replicas under the name id, and runs
// fn while this replica leads, with an engine whose writes are fenced by the
// leadership: once it is lost (the session expires, another replica is elected) fn's
// context is cancelled and its writes can no longer commit. When fn returns or the
// leadership is lost, Lead campaigns again; it returns when ctx is done.
func (e *Engine) Lead(ctx context.Context, id string, ttl time.Duration, fn func(ctx context.Context, fenced *Engine)) error {
	for ctx.Err() == nil {
		session, err := concurrency.NewSession(e.cli, concurrency.WithTTL(max(1, int(ttl.Seconds()))), concurrency.WithContext(ctx))
		if err != nil {
			if !sleep(ctx, time.Second) {
				break
			}
			continue
		}
		election := concurrency.NewElection(session, e.prefix+"\x03leader")
		if err := election.Campaign(ctx, id); err != nil {
			session.Close()
			if !sleep(ctx, time.Second) {
				break
			}
			continue
		}
		fenced := e.Fenced(Fence{Key: election.Key(), CreateRevision: election.Rev()})
		lctx, cancel := context.WithCancel(ctx)
		go func() {
			select {
			case <-session.Done(): // lost: expired, or the cluster went away
			case <-lctx.Done():
			}
			cancel()
		}()
		fn(lctx, fenced)
		cancel()
		rctx, rcancel := context.WithTimeout(context.Background(), 2*time.Second)
		_ = election.Resign(rctx)
		rcancel()
		session.Close()
	}
	return ctx.Err()
}

// Leader is the name of the replica leading now ("" if none).
func (e *Engine) Leader(ctx context.Context) (string, error) {
	session, err := concurrency.NewSession(e.cli, concurrency.WithContext(ctx))
	if err != nil {
		return "", err
	}
	defer session.Close()
	resp, err := concurrency.NewElection(session, e.prefix+"\x03leader").Leader(ctx)
	if errors.Is(err, concurrency.ErrElectionNoLeader) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return string(resp.Kvs[0].Value), nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}
