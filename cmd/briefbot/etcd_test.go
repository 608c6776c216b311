package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/store/etcd/etcdtest"
)

// runOn runs the program with the environment env (BRIEFBOT_DATA, BRIEFBOT_STORE,
// BRIEFBOT_ETCD_*), returning what the operator reads: its output, and the error it
// ends with.
func runOn(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut)
	if err != nil {
		errOut.WriteString(err.Error())
	}
	return out.String() + errOut.String(), err
}

// TestCLI_OnEtcd: an operator moves a ledger file onto a three-member cluster and works
// with it there: every command reads the same ledger, a backup is a checked file, a
// restore goes onto an empty prefix only, and the ledger comes back into a file the
// same. Each refusal says what to do and changes nothing.
func TestCLI_OnEtcd(t *testing.T) {
	cluster := etcdtest.Start(t, 3)
	data := seed(t)
	etcdEnv := func(prefix string) map[string]string {
		return map[string]string{"BRIEFBOT_STORE": "etcd", "BRIEFBOT_ETCD_ENDPOINTS": strings.Join(cluster.Endpoints(), ","),
			"BRIEFBOT_ETCD_PREFIX": prefix, "BRIEFBOT_DATA": filepath.Join(t.TempDir(), "unused.db")}
	}
	court := etcdEnv("/court")
	migrateEnv := etcdEnv("/court")
	migrateEnv["BRIEFBOT_DATA"] = data
	if out, err := runOn(t, migrateEnv, "migrate", "to-etcd"); err != nil || !strings.Contains(out, "2 matters") || !strings.Contains(out, "checked") {
		t.Fatalf("migrate to-etcd = %q, %v", out, err)
	}
	if out, err := runOn(t, migrateEnv, "migrate", "to-etcd"); err == nil || !strings.Contains(out, "not empty") {
		t.Fatalf("a second migrate onto the same prefix = %q, %v; want refused", out, err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"list"}, "QS-2026-0001"},
		{[]string{"show", "BG-2026-0001"}, "一季度"},
		{[]string{"check"}, "OK"},
		{[]string{"audit", "verify"}, "OK"},
	} {
		if out, err := runOn(t, court, c.args...); err != nil || !strings.Contains(out, c.want) {
			t.Fatalf("%v on etcd = %q, %v", c.args, out, err)
		}
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if out, err := runOn(t, court, "backup", backup); err != nil || !strings.Contains(out, "checked") {
		t.Fatalf("backup on etcd = %q, %v", out, err)
	}
	if out, err := runOn(t, court, "backup", backup); err == nil || !strings.Contains(out, "already exists") {
		t.Fatalf("a backup over an existing file = %q, %v; want refused", out, err)
	}
	if out, err := runOn(t, map[string]string{"BRIEFBOT_DATA": backup}, "show", "QS-2026-0001"); err != nil || !strings.Contains(out, "建议公开") {
		t.Fatalf("show from the etcd backup file = %q, %v", out, err)
	}
	if out, err := runOn(t, court, "restore", backup); err == nil || !strings.Contains(out, "not empty") {
		t.Fatalf("restore over the live ledger = %q, %v; want refused", out, err)
	}
	if out, err := runOn(t, etcdEnv("/court-restored"), "restore", backup); err != nil || !strings.Contains(out, "2 matters") {
		t.Fatalf("restore onto a new prefix = %q, %v", out, err)
	}
	back := filepath.Join(t.TempDir(), "back.db")
	if out, err := runOn(t, court, "migrate", "to-bbolt", back); err != nil || !strings.Contains(out, "2 matters") {
		t.Fatalf("migrate to-bbolt = %q, %v", out, err)
	}
	if out, err := runOn(t, court, "migrate", "to-bbolt", back); err == nil || !strings.Contains(out, "already exists") {
		t.Fatalf("migrate to-bbolt onto an existing file = %q, %v; want refused", out, err)
	}
	if out, err := runOn(t, map[string]string{"BRIEFBOT_DATA": back}, "list"); err != nil || !strings.Contains(out, "BG-2026-0001") {
		t.Fatalf("list of the file migrated back = %q, %v", out, err)
	}
	if out, err := runOn(t, court, "compact"); err == nil || !strings.Contains(out, "compact is for a bbolt file") {
		t.Fatalf("compact on etcd = %q, %v; want refused", out, err)
	}
	noEndpoints := etcdEnv("/court")
	delete(noEndpoints, "BRIEFBOT_ETCD_ENDPOINTS")
	if out, err := runOn(t, noEndpoints, "list"); err == nil || !strings.Contains(out, "BRIEFBOT_ETCD_ENDPOINTS") {
		t.Fatalf("etcd without endpoints = %q, %v; want a clear refusal", out, err)
	}
	bad := etcdEnv("/court")
	bad["BRIEFBOT_STORE"] = "etcdd"
	if out, err := runOn(t, bad, "list"); err == nil || !strings.Contains(out, "bbolt or etcd") {
		t.Fatalf("an unknown store = %q, %v", out, err)
	}
	if _, err := os.Stat(data); err != nil {
		t.Fatalf("the source file after migrating: %v", err)
	}
}
