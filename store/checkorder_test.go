package store_test

import (
	"encoding/binary"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/briefbot/briefbot/store"
)

// TestCheck_ProblemsInIDOrderAcrossBlocks: damage in three blocks of ids (the check
// hands blocks of 1,024 ids to workers) is reported once each, in id order — a
// block's matters, then its search postings — whatever the number of workers.
func TestCheck_ProblemsInIDOrderAcrossBlocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "blocks.db")
	s, err := store.Open(path, store.Options{Now: newClock().Now, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2600 {
		mustSubmit(t, s, request(fmt.Sprintf("请示%04d", i)))
	}
	s.Close()
	id := func(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }
	rawUpdate(t, path, func(tx *bolt.Tx) error {
		ix := tx.Bucket([]byte("index"))
		for _, n := range []uint64{2100, 5} { // block 2 and block 0 lose a department entry
			if err := ix.Delete(append([]byte("dp\x00criminal\x00"), id(n)...)); err != nil {
				return err
			}
		}
		sb := tx.Bucket([]byte("search")) // block 1's posting of 请示 loses matter 1024
		k := append([]byte("请示\x00"), 0, 0, 0, 1)
		v := slices.Clone(sb.Get(k))
		if len(v) != 128 {
			return fmt.Errorf("posting of %d bytes; want a bitmap", len(v))
		}
		v[0] &^= 1
		if err := sb.Put(k, v); err != nil {
			return err
		}
		return tx.Bucket([]byte("numbers")).Put([]byte("QS-2026-2101"), id(1)) // leads elsewhere
	})
	want := []string{
		`matter 5 (QS-2026-0005): index entry "dp" missing`,
		`search index: term "请示", matters 1024 to 2047: 1023 entries, the matters need 1024`,
		`matter 2100 (QS-2026-2100): index entry "dp" missing`,
		`matter 2101: number QS-2026-2101 does not lead back to it`,
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 4} {
		runtime.GOMAXPROCS(procs)
		ps, err := store.CheckFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) < len(want) || fmt.Sprint(ps[:len(want)]) != fmt.Sprint(want) {
			t.Fatalf("%d workers: problems\n%q\nwant first\n%q", procs, ps, want)
		}
		if rest := ps[len(want):]; len(rest) != 1 || rest[0] != "index: 12998 entries, the matters need 13000: entries are missing" {
			t.Fatalf("%d workers: then %q", procs, rest)
		}
	}
}
