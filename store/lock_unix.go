//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/briefbot/briefbot"
)

// lockFile takes the lock a serving bot takes on the data file at path (bbolt's flock),
// without mapping the file, so that a damaged file can be replaced while no bot can
// open it. It waits up to timeout for another holder, then answers ECONFLICT
// (ReasonStoreLocked). The file is created if missing (empty: inspect refuses to open
// an empty file as a new ledger, so it is never mistaken for one).
func lockFile(path string, timeout time.Duration) (release func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, briefbot.Internal("lock "+path, err)
	}
	created := false
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		created = true
	}
	deadline := time.Now().Add(timeout)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			f.Close()
			if created {
				os.Remove(path)
			}
			return nil, errLocked(path)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

func errLocked(path string) error {
	return &briefbot.Error{Code: briefbot.ECONFLICT, Reason: briefbot.ReasonStoreLocked, Msg: briefbot.Text{
		ZH: fmt.Sprintf("数据文件 %s 正被另一个进程使用（已加锁）。请先停止该进程。", path),
		EN: fmt.Sprintf("The data file %s is in use by another process (locked). Stop that process first.", path)}}
}
