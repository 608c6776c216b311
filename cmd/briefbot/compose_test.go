package main

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	etcdstore "github.com/briefbot/briefbot/store/etcd"
)

// TestComposeFile: compose.yaml describes a cluster that can form and replicas that
// reach all of it. No Docker engine runs here, so this reads the file as compose would
// (merge keys included) and checks what would break at `docker compose up`: three etcd
// members whose initial cluster names each one at the peer URL it advertises, every
// replica on the etcd store with every member's client URL, only environment
// variables the program reads, and build targets the Dockerfile has.
func TestComposeFile(t *testing.T) {
	raw, err := os.ReadFile("../../compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Services map[string]struct {
			Build       any               `yaml:"build"`
			Environment map[string]string `yaml:"environment"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	dockerfile, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var members, clientURLs, replicas []string
	peers := map[string]string{}
	for name, s := range c.Services {
		if b, ok := s.Build.(map[string]any); ok {
			if target, _ := b["target"].(string); !regexp.MustCompile(`(?m)^FROM \S+ AS ` + regexp.QuoteMeta(target) + `$`).Match(dockerfile) {
				t.Errorf("%s builds target %q, which the Dockerfile has not", name, target)
			}
		}
		switch env := s.Environment; {
		case env["ETCD_NAME"] != "":
			members = append(members, env["ETCD_NAME"])
			if n, _ := strconv.Atoi(env["ETCD_MAX_TXN_OPS"]); n < etcdstore.MinTxnOps {
				t.Errorf("%s allows %d operations a transaction; a ledger needs %d", name, n, etcdstore.MinTxnOps)
			}
			if n, _ := strconv.Atoi(env["ETCD_MAX_REQUEST_BYTES"]); n < etcdstore.MinRequestBytes {
				t.Errorf("%s allows %d bytes a request; a ledger needs %d", name, n, etcdstore.MinRequestBytes)
			}
			peers[env["ETCD_NAME"]] = env["ETCD_INITIAL_ADVERTISE_PEER_URLS"]
			clientURLs = append(clientURLs, env["ETCD_ADVERTISE_CLIENT_URLS"])
			var initial []string
			for _, m := range strings.Split(env["ETCD_INITIAL_CLUSTER"], ",") {
				initial = append(initial, m)
			}
			t.Cleanup(func() {
				for _, m := range members {
					if !slices.Contains(initial, m+"="+peers[m]) {
						t.Errorf("%s: ETCD_INITIAL_CLUSTER %v lacks %s at %s", name, initial, m, peers[m])
					}
				}
			})
		case env["BRIEFBOT_STORE"] != "":
			replicas = append(replicas, name)
			if env["BRIEFBOT_STORE"] != "etcd" {
				t.Errorf("%s: BRIEFBOT_STORE=%s", name, env["BRIEFBOT_STORE"])
			}
			for k := range env {
				if strings.HasPrefix(k, "BRIEFBOT_") && !readsEnv(t, k) {
					t.Errorf("%s sets %s, which briefbot does not read", name, k)
				}
			}
			t.Cleanup(func() {
				for _, u := range clientURLs {
					if !slices.Contains(strings.Split(env["BRIEFBOT_ETCD_ENDPOINTS"], ","), u) {
						t.Errorf("%s: BRIEFBOT_ETCD_ENDPOINTS lacks member %s", name, u)
					}
				}
			})
		}
	}
	if len(members) != 3 || len(replicas) < 2 {
		t.Fatalf("compose.yaml has %d etcd members and %d replicas; want 3 and at least 2", len(members), len(replicas))
	}
}

// readsEnv reports whether some non-test source of this command reads variable k.
func readsEnv(t *testing.T, k string) bool {
	files, _ := os.ReadDir(".")
	for _, f := range files {
		if n := f.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			src, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(src), `"`+k+`"`) {
				return true
			}
		}
	}
	return false
}
