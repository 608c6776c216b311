package store_test

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store"
)

// ledgerAt makes a ledger file at path with n matters and closes it.
func ledgerAt(t *testing.T, path string, n int) {
	t.Helper()
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := s.Submit(ctx, request("请示"+string(rune('A'+i))), nil, briefbot.Delivery{}); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
}

// startBot tries to open path as a serving bot would, at once, and submit one matter;
// it reports what happened.
func startBot(path string) (opened bool, err error) {
	s, err := store.Open(path, store.Options{Timeout: 50 * time.Millisecond})
	if err != nil {
		return false, err
	}
	defer s.Close()
	_, err = s.Submit(ctx, request("启动时的请示"), nil, briefbot.Delivery{})
	return true, err
}

func count(t *testing.T, path string) int {
	t.Helper()
	s, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, _ := s.List(ctx, briefbot.Filter{Limit: 500})
	if ps, _ := s.Check(); len(ps) > 0 {
		t.Fatalf("check: %v", ps)
	}
	return len(p.Matters)
}

// TestCompact_ABotStartingMeanwhileLosesNothing: a bot started while compaction is
// between its check and its rename must not open the old file (whatever it
// acknowledged there would vanish): it is refused; one started after the rename opens
// the compacted file, and what it acknowledges is there.
func TestCompact_ABotStartingMeanwhileLosesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	ledgerAt(t, path, 5)
	var during struct {
		opened bool
		err    error
	}
	defer store.SetStage(func(s string) {
		if s == "compact: checked" {
			during.opened, during.err = startBot(path)
		}
	})()
	if _, _, err := store.Compact(path); err != nil {
		t.Fatal(err)
	}
	if during.opened || briefbot.ErrorReason(during.err) != briefbot.ReasonStoreLocked {
		t.Fatalf("a bot started during compaction: opened %v, %v; want it refused (locked)", during.opened, during.err)
	}
	if opened, err := startBot(path); !opened || err != nil {
		t.Fatalf("after compaction: %v %v", opened, err)
	}
	if n := count(t, path); n != 6 {
		t.Fatalf("%d matters after compaction and one acknowledged after it; want 6", n)
	}
}

// TestRestore_AtomicLockedAndKept: during a restore the data file always exists and no
// bot can open it; afterwards it is the backup, and the file it replaced is kept.
func TestRestore_AtomicLockedAndKept(t *testing.T) {
	dir := t.TempDir()
	path, backup := filepath.Join(dir, "d.db"), filepath.Join(dir, "b.db")
	ledgerAt(t, backup, 2)
	ledgerAt(t, path, 4)
	seen := map[string]bool{}
	defer store.SetStage(func(s string) {
		_, err := os.Stat(path)
		seen[s] = err == nil
		if opened, err := startBot(path); opened || briefbot.ErrorReason(err) != briefbot.ReasonStoreLocked {
			t.Errorf("%s: a bot opened the file being replaced: %v %v", s, opened, err)
		}
	})()
	if err := store.Restore(backup, path); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || !seen["restore: copied"] || !seen["restore: kept"] {
		t.Fatalf("the data file existed at each stage: %v", seen)
	}
	if n := count(t, path); n != 2 {
		t.Fatalf("restored file holds %d matters; want the backup's 2", n)
	}
	if n := count(t, path+".before-restore"); n != 4 {
		t.Fatalf("the replaced file holds %d; want 4", n)
	}
	// Locked by a running bot: refused, nothing changed.
	s, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	store.SetStage(func(string) {})
	if err := store.Restore(backup, path); briefbot.ErrorReason(err) != briefbot.ReasonStoreLocked {
		t.Fatalf("restore over a running bot = %v", err)
	}
	s.Close()
}

// TestBadFiles_RefusedClearlyUntouchedNoPanic: an empty, truncated or scribbled data
// file is refused by every way of opening it, with a message naming it, and is left as
// it was; nothing panics, check included.
func TestBadFiles_RefusedClearlyUntouchedNoPanic(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	ledgerAt(t, good, 30)
	raw, _ := os.ReadFile(good)
	var cases []struct {
		name string
		data []byte
	}
	add := func(name string, data []byte) {
		cases = append(cases, struct {
			name string
			data []byte
		}{name, data})
	}
	add("Empty", nil)
	need := int(store.NeededSize(good)) // what the file's own header says it holds; bbolt's file may run past it
	for _, n := range []int{1, 100, 4096, 8191, 8192, 12288, need / 2, need - 4096, need - 1} {
		add("Truncated"+strconv.Itoa(n), raw[:n])
	}
	scribbled := bytes.Clone(raw)
	for i := range 64 {
		scribbled[16+i] ^= 0xff // both meta pages' start
		scribbled[4096+16+i] ^= 0xff
	}
	add("HeaderScribbled", scribbled)
	add("NotALedger", bytes.Repeat([]byte("这不是台账。"), 4000))
	tried, panics := 0, 0
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.db")
			os.WriteFile(path, tc.data, 0o600)
			before := sha256.Sum256(tc.data)
			for _, ro := range []bool{true, false} {
				tried++
				func() {
					defer func() {
						if r := recover(); r != nil {
							panics++
							t.Errorf("Open(readOnly=%v) panicked: %v", ro, r)
						}
					}()
					s, err := store.Open(path, store.Options{ReadOnly: ro, Timeout: 100 * time.Millisecond})
					if err == nil {
						s.Close()
						t.Fatalf("Open(readOnly=%v) of a bad file succeeded", ro)
					}
					if briefbot.ErrorCode(err) != briefbot.EINVALID || !bytes.Contains([]byte(briefbot.ErrorMessage(err, briefbot.LangZH)), []byte(path)) {
						t.Fatalf("Open(readOnly=%v) = %v; want a clear refusal naming the file", ro, err)
					}
				}()
			}
			tried++
			if _, err := store.CheckFile(path); err == nil {
				t.Fatalf("CheckFile of a bad file found nothing")
			}
			if after, _ := os.ReadFile(path); sha256.Sum256(after) != before {
				t.Fatalf("the bad file was changed")
			}
		})
	}
	t.Logf("bad files: %d kinds, %d opens and checks tried, %d panics", len(cases), tried, panics)
}

// TestBackup_NeverOverwrites: a backup to a path that exists is refused, and the file
// there is untouched.
func TestBackup_NeverOverwrites(t *testing.T) {
	s := MustOpen(t, newClock())
	mustSubmit(t, s, request("请示"))
	dst := filepath.Join(t.TempDir(), "precious.txt")
	os.WriteFile(dst, []byte("precious"), 0o600)
	if _, err := s.Backup(dst); briefbot.ErrorReason(err) != briefbot.ReasonBackupExists {
		t.Fatalf("backup over an existing file = %v", err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "precious" {
		t.Fatalf("the existing file was overwritten")
	}
}

// TestOpen_InterruptedRestoreIsNotANewLedger: no data file but an unfinished restore
// beside it: a bot does not start an empty ledger.
func TestOpen_InterruptedRestoreIsNotANewLedger(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.db")
	ledgerAt(t, path+".restoring", 1)
	if _, err := store.Open(path, store.Options{}); briefbot.ErrorReason(err) != briefbot.ReasonInterrupted {
		t.Fatalf("Open = %v; want the interrupted restore reported", err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatalf("a new ledger was made")
	}
}
