package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/briefbot/briefbot"
)

// bbolt's file header: two meta pages at the start of the file (the page header is 16
// bytes; the meta's checksum covers its first 56 bytes).
const (
	boltMagic     = 0xED0CDAED
	boltVersion   = 2
	pageHeader    = 16
	metaSumOffset = 56
	maxPageSize   = 64 << 10
)

// boltMeta is what inspect reads of a meta page.
type boltMeta struct {
	pageSize uint32
	pgid     uint64 // the high-water mark: pages the file must hold
	txid     uint64
}

// readMeta reads and verifies the meta page at off of b; ok is false when it is not a
// valid one (wrong magic or version, bad checksum).
func readMeta(b []byte, off int) (boltMeta, bool) {
	m := off + pageHeader
	if len(b) < m+metaSumOffset+8 {
		return boltMeta{}, false
	}
	le := binary.LittleEndian
	if le.Uint32(b[m:]) != boltMagic || le.Uint32(b[m+4:]) != boltVersion {
		return boltMeta{}, false
	}
	h := fnv.New64a()
	h.Write(b[m : m+metaSumOffset])
	if h.Sum64() != le.Uint64(b[m+metaSumOffset:]) {
		return boltMeta{}, false
	}
	return boltMeta{pageSize: le.Uint32(b[m+8:]), pgid: le.Uint64(b[m+40:]), txid: le.Uint64(b[m+48:])}, true
}

// inspect checks the file at path before bbolt maps it, because bbolt trusts its file:
// a truncated one makes it fault on the mapping (SIGBUS, which no recover catches) or
// panic, and an empty one it silently initialises as a new ledger. It answers nil for a
// sound-looking file and for no file at all; EINVALID for an empty, truncated or
// unreadable one, naming the file and saying what to do. It changes nothing.
func inspect(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return briefbot.Internal("open "+path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return briefbot.Internal("stat "+path, err)
	}
	size := st.Size()
	if size == 0 {
		return badFile(briefbot.ReasonEmptyFile, path, briefbot.Text{
			ZH: fmt.Sprintf("数据文件 %s 是空文件（0 字节），不是台账。为防止在其上新建空台账覆盖原有数据，已拒绝打开。请用 briefbot restore 从备份恢复；确需新建台账时，先移走该文件。", path),
			EN: fmt.Sprintf("The data file %s is empty (0 bytes), not a ledger. It was not opened, so that no new, empty ledger is made over it. Restore it from a backup (briefbot restore); to start a new ledger, move the file away first.", path)})
	}
	head := make([]byte, min(size, 2*maxPageSize))
	if _, err := io.ReadFull(f, head); err != nil {
		return briefbot.Internal("read "+path, err)
	}
	best, ok := readMeta(head, 0)
	if ok {
		if m1, ok1 := readMeta(head, int(best.pageSize)); ok1 && m1.txid > best.txid {
			best = m1
		}
	} else {
		for _, ps := range []int{4096, 8192, 16384, 65536} { // the first meta is bad: look for the second
			if m1, ok1 := readMeta(head, ps); ok1 && int(m1.pageSize) == ps {
				best, ok = m1, true
				break
			}
		}
	}
	if !ok || best.pageSize == 0 || best.pageSize > maxPageSize {
		return badFile(briefbot.ReasonCorruptFile, path, briefbot.Text{
			ZH: fmt.Sprintf("数据文件 %s 不是可读的台账（文件头已损坏，或不是 briefbot 的数据文件）。未作任何改动。请用 briefbot restore 从备份恢复。", path),
			EN: fmt.Sprintf("The data file %s is not a readable ledger (its header is damaged, or it is not a briefbot data file). Nothing was changed. Restore it from a backup (briefbot restore).", path)})
	}
	if need := int64(best.pgid) * int64(best.pageSize); size < need || size < 2*int64(best.pageSize) {
		return badFile(briefbot.ReasonTruncatedFile, path, briefbot.Text{
			ZH: fmt.Sprintf("数据文件 %s 不完整：只有 %d 字节，而其自身记录需要 %d 字节（文件被截断，可能因磁盘已满或复制中断）。未作任何改动。请用 briefbot restore 从备份恢复。", path, size, need),
			EN: fmt.Sprintf("The data file %s is incomplete: %d bytes, where its own records need %d (truncated: a full disk or an interrupted copy). Nothing was changed. Restore it from a backup (briefbot restore).", path, size, need)})
	}
	return nil
}

func badFile(reason briefbot.Reason, path string, msg briefbot.Text) error {
	return &briefbot.Error{Code: briefbot.EINVALID, Reason: reason, Msg: msg, Op: "inspect " + path}
}

// interrupted reports a replacement of path left half-done (a restore or a compaction
// killed before its rename), so that a missing data file beside it is not taken for a
// new ledger.
func interrupted(path string) error {
	for _, suffix := range []string{restoringSuffix, compactingSuffix} {
		if _, err := os.Stat(path + suffix); err == nil {
			return badFile(briefbot.ReasonInterrupted, path, briefbot.Text{
				ZH: fmt.Sprintf("数据文件 %s 不存在，但旁边有未完成的 %s：上次恢复或压缩被中断。为防止新建空台账，已拒绝启动。请重新运行 briefbot restore，或检查该文件后再处理。", path, filepath.Base(path+suffix)),
				EN: fmt.Sprintf("There is no data file %s, but an unfinished %s lies beside it: a restore or compaction was interrupted. Nothing was started, so that no new, empty ledger is made. Run briefbot restore again, or look at that file first.", path, filepath.Base(path+suffix))})
		}
	}
	return nil
}

const (
	restoringSuffix  = ".restoring"
	compactingSuffix = ".compacting"
)
