package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
	etcdstore "github.com/briefbot/briefbot/store/etcd"
)

// openStore opens the ledger on the engine the flags chose: the bbolt file data, or
// the etcd cluster the environment names.
func (e *environment) openStore(data string, opts store.Options) (*store.Store, error) {
	switch e.engine {
	case "", "bbolt":
		return store.Open(data, opts)
	case "etcd":
		return etcdstore.Open(e.etcdConfig(), opts)
	}
	return nil, briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonConfig, briefbot.Text{
		ZH: fmt.Sprintf("未知的存储 %q：应为 bbolt 或 etcd。", e.engine),
		EN: fmt.Sprintf("Unknown store %q: bbolt or etcd.", e.engine)})
}

// etcdConfig reads the cluster's settings from the environment:
//
//	BRIEFBOT_ETCD_ENDPOINTS  client URLs, comma separated
//	BRIEFBOT_ETCD_PREFIX     the ledger's key prefix (default /briefbot)
//	BRIEFBOT_ETCD_USER, BRIEFBOT_ETCD_PASSWORD         etcd authentication
//	BRIEFBOT_ETCD_CACERT, BRIEFBOT_ETCD_CERT, BRIEFBOT_ETCD_KEY   TLS (PEM files)
func (e *environment) etcdConfig() etcdstore.Config {
	var endpoints []string
	for _, s := range strings.Split(e.getenv("BRIEFBOT_ETCD_ENDPOINTS"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			endpoints = append(endpoints, s)
		}
	}
	return etcdstore.Config{Endpoints: endpoints, Prefix: e.getenv("BRIEFBOT_ETCD_PREFIX"),
		Username: e.getenv("BRIEFBOT_ETCD_USER"), Password: e.getenv("BRIEFBOT_ETCD_PASSWORD"),
		CACert: e.getenv("BRIEFBOT_ETCD_CACERT"), Cert: e.getenv("BRIEFBOT_ETCD_CERT"), Key: e.getenv("BRIEFBOT_ETCD_KEY")}
}

// backupToFile copies the ledger s (on etcd) into a new bbolt file at path: a
// consistent export, checked, put in place only when complete; never over a file.
func (e *environment) backupToFile(ctx context.Context, s *store.Store, path string) (store.Copied, error) {
	if _, err := os.Stat(path); err == nil {
		return store.Copied{}, briefbot.Errorf(briefbot.ECONFLICT, briefbot.ReasonBackupExists, briefbot.Text{
			ZH: path + " 已经存在：备份不会覆盖任何文件，请换一个文件名。",
			EN: path + " already exists: a backup never overwrites a file; choose another name."})
	}
	tmp := path + ".partial"
	os.Remove(tmp)
	dst, err := store.Open(tmp, store.Options{})
	if err != nil {
		return store.Copied{}, err
	}
	got, err := store.Copy(ctx, dst, s)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if ps, cerr := store.CheckFile(tmp); cerr != nil || len(ps) > 0 {
			err = fmt.Errorf("the copy does not check: %v %v", ps, cerr)
		}
	}
	if err == nil {
		err = os.Link(tmp, path) // never over an existing file
	}
	os.Remove(tmp)
	return got, err
}

// migrate is `briefbot migrate to-etcd [--data FILE]` (the bbolt file onto the
// cluster of BRIEFBOT_ETCD_ENDPOINTS, under BRIEFBOT_ETCD_PREFIX) and `briefbot migrate
// to-bbolt FILE` (the cluster's ledger into a new file). Both copy one consistent
// snapshot and check the result; neither touches the source.
func (e *environment) migrate(ctx context.Context, args []string) error {
	usage := fmt.Errorf("%w: briefbot migrate to-etcd [--data FILE] | briefbot migrate to-bbolt FILE", errUsage)
	if len(args) == 0 {
		return usage
	}
	var data string
	fs := e.flags("migrate "+args[0], &data)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var src, dst *store.Store
	var err error
	switch args[0] {
	case "to-etcd":
		if src, err = store.Open(data, store.Options{ReadOnly: true}); err != nil {
			return err
		}
		defer src.Close()
		if dst, err = etcdstore.Open(e.etcdConfig(), store.Options{}); err != nil {
			return err
		}
		defer dst.Close()
		got, err := store.Copy(ctx, dst, src)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "OK: %s → %s：%d 件事项，%d 个键，审计链头 %s（已核对）/ %d matters, %d keys, audit head %s (checked)\n",
			data, dst.Path(), got.Matters, got.Pairs, got.Head, got.Matters, got.Pairs, got.Head)
		return nil
	case "to-bbolt":
		if fs.NArg() != 1 {
			return usage
		}
		if src, err = etcdstore.Open(e.etcdConfig(), store.Options{ReadOnly: true}); err != nil {
			return err
		}
		defer src.Close()
		got, err := e.backupToFile(ctx, src, fs.Arg(0))
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "OK: %s → %s：%d 件事项，%d 个键，审计链头 %s（已核对）/ %d matters, %d keys, audit head %s (checked)\n",
			src.Path(), fs.Arg(0), got.Matters, got.Pairs, got.Head, got.Matters, got.Pairs, got.Head)
		return nil
	}
	return usage
}
