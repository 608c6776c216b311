package store_test

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/store"
)

// The restore-kill test kills a process in the middle of `Restore` (this test binary
// run again as TestRestoreKillChild) at random moments, and checks after each kill
// that the data file is there and sound, and is either the ledger it was or the
// backup: never missing, never half-copied, never a new empty ledger.
const (
	envRestoreChild  = "BRIEFBOT_RESTORE_CHILD"  // the data file the child restores over
	envRestoreBackup = "BRIEFBOT_RESTORE_BACKUP" // the backup it restores
	restoreKills     = 12
)

func TestRestoreKillChild(t *testing.T) {
	path := os.Getenv(envRestoreChild)
	if path == "" {
		t.Skip("run by TestRestore_KilledAtAnyMomentLosesNothing")
	}
	if err := store.Restore(os.Getenv(envRestoreBackup), path); err != nil {
		t.Fatal(err)
	}
}

func TestRestore_KilledAtAnyMomentLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("kill test: skipped with -short")
	}
	dir := t.TempDir()
	path, backup := filepath.Join(dir, "d.db"), filepath.Join(dir, "backup.db")
	ledgerAt(t, backup, 9)
	ledgerAt(t, path, 4)
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	outcomes := map[int]int{}
	for i := range restoreKills {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRestoreKillChild$")
		cmd.Env = append(os.Environ(), envRestoreChild+"="+path, envRestoreBackup+"="+backup)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(60 * time.Millisecond))))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		// The file is there, sound, the old ledger or the backup: open it as a bot would.
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("kill %d: no data file after the kill: %v", i, err)
		}
		n := count(t, path)
		if n != 4 && n != 9 {
			t.Fatalf("kill %d: the data file holds %d matters; want the old 4 or the backup's 9", i, n)
		}
		outcomes[n]++
		// Put the old ledger back for the next kill (a finished restore replaced it).
		os.Remove(path + ".restoring")
		if n == 9 {
			os.Remove(path)
			ledgerAt(t, path, 4)
		}
		matches, _ := filepath.Glob(path + ".before-restore*")
		for _, m := range matches {
			os.Remove(m)
		}
	}
	t.Logf("restores killed: %d; data file missing or unreadable after a kill: 0; old ledger kept %d times, backup in place %d times", restoreKills, outcomes[4], outcomes[9])
}
