package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store/kv"
)

// maxProblems bounds how many problems a check reports.
const maxProblems = 50

// Check verifies the file and the ledger: bbolt's own page check, then the domain
// invariants: every matter decodes and is a reachable state; its number, index and
// search index entries exist and nothing else does; ledger numbers are unique and gapless per
// kind and year; the audit chain is unbroken. It returns the problems found (none
// means sound), at most 50.
func (s *Store) Check() (problems []string, err error) {
	defer func() {
		// bbolt panics on some damaged pages rather than returning an error: that is a
		// finding of the check, not a reason to crash it.
		if r := recover(); r != nil {
			problems = append(problems, fmt.Sprintf("bbolt: the file is damaged: %v", r))
			err = nil
		}
	}()
	if s.db != nil { // a bbolt file: its own page check and buckets first
		err = s.db.View(func(tx *bolt.Tx) error {
			problems = checkFile(tx)
			return nil
		})
		if err != nil || len(problems) > 0 {
			return problems, err
		}
	}
	err = s.eng.View(context.Background(), func(tx kv.Tx) error {
		problems = checkLedger(tx)
		return nil
	})
	return problems, err
}

// CheckFile opens the file at path read-only and checks it (see Store.Check).
func CheckFile(path string) ([]string, error) {
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Check()
}

// checkFile is bbolt's page check and the buckets' presence.
func checkFile(tx *bolt.Tx) []string {
	c := &checker{seqs: map[string]*series{}}
	for err := range tx.Check() {
		if !c.add("bbolt: %v", err) {
			return c.ps
		}
	}
	for _, b := range allBuckets {
		if tx.Bucket(b) == nil && !bytes.Equal(b, bucketConversations) { // made on the first write open
			c.add("bucket %s is missing", b)
			return c.ps
		}
	}
	return c.ps
}

// checkLedger checks the ledger's invariants, on any engine.
func checkLedger(tx kv.Tx) []string {
	c := &checker{tx: tx, seqs: map[string]*series{}}
	c.search = checkSearch(tx, c.add)
	if err := tx.Bucket(bucketMatters).ForEach(c.matter); err != nil {
		c.add("matters: %v", err)
	}
	_ = c.search.done()
	c.counts()
	c.series()
	if r := verifyAudit(tx, briefbot.AuditAnchor{}); r.Problem != "" {
		c.add("%s", r.Problem)
	}
	return c.ps
}

// checker collects the problems of one file, at most maxProblems.
type checker struct {
	tx                      kv.Tx
	ps                      []string
	expectedIndex, numbered int
	seqs                    map[string]*series
	search                  *blockTerms // the search index the matters need
}

// series counts the numbers a ledger series has, and the highest.
type series struct{ count, max int }

func (c *checker) add(format string, args ...any) bool {
	if len(c.ps) < maxProblems {
		c.ps = append(c.ps, fmt.Sprintf(format, args...))
	}
	return len(c.ps) < maxProblems
}

// matter checks one stored matter: it decodes, is a reachable state, carries no
// marking, and its index, search and number entries are there.
func (c *checker) matter(k, v []byte) error {
	id := btou(k)
	m, err := decode(v)
	if err != nil {
		c.add("matter %d: %v", id, err)
		return nil
	}
	if m.ID != id {
		c.add("matter %d: stored under id %d", m.ID, id)
	}
	if err := m.CheckInvariants(); err != nil {
		c.add("matter %d (%s): %v", id, m.Number, err)
	}
	if err := briefbot.CheckStorable(m); err != nil {
		c.add("matter %d (%s): %s", id, m.Number, briefbot.ErrorReason(err)) // never the text itself
	}
	ix := c.tx.Bucket(bucketIndex)
	keys := indexKeys(m)
	c.expectedIndex += len(keys)
	for _, key := range keys {
		if ix.Get(key) == nil && !indexHas(ix, key) {
			c.add("matter %d (%s): index entry %q missing", id, m.Number, key[:bytes.IndexByte(key, 0)])
		}
	}
	_ = c.search.add(m)
	if m.Number.IsZero() {
		return nil
	}
	c.numbered++
	if v := c.tx.Bucket(bucketNumbers).Get([]byte(m.Number.String())); v == nil || btou(v) != id {
		c.add("matter %d: number %s does not lead back to it", id, m.Number)
	}
	sr := c.seqs[m.Number.Series()]
	if sr == nil {
		sr = &series{}
		c.seqs[m.Number.Series()] = sr
	}
	sr.count++
	sr.max = max(sr.max, m.Number.Seq)
	return nil
}

// counts checks that numbers, index and search index hold exactly what the matters need.
func (c *checker) counts() {
	if n := c.tx.Bucket(bucketNumbers).KeyN(); n != c.numbered {
		c.add("numbers: %d recorded, %d matters carry one", n, c.numbered)
	}
	if n := c.tx.Bucket(bucketIndex).KeyN(); n != c.expectedIndex {
		c.add("index: %d entries, the matters need %d: stale entries remain", n, c.expectedIndex)
	}
	if n := c.tx.Bucket(bucketSearch).KeyN(); n != c.search.keys {
		c.add("search index: %d keys, the matters need %d: stale entries remain", n, c.search.keys)
	}
}

// series checks that every ledger series is gapless and its counter at its highest.
func (c *checker) series() {
	seqB := c.tx.Bucket(bucketSeq)
	_ = seqB.ForEach(func(k, v []byte) error { // a counter with no matters behind it is a gap too
		if _, ok := c.seqs[string(k)]; !ok && btou(v) > 0 {
			c.add("ledger series %s: counter at %d but no matter carries a number of it", k, btou(v))
		}
		return nil
	})
	for name, sr := range c.seqs {
		var last int
		if v := seqB.Get([]byte(name)); v != nil {
			last = int(btou(v))
		}
		if sr.count != sr.max || sr.max != last {
			c.add("ledger series %s: %d numbers, highest %d, counter %d: numbers are missing or repeated", name, sr.count, sr.max, last)
		}
	}
}

// indexHas is Get for keys whose value is empty: bbolt returns nil for both a missing key
// and an empty value, so look with a cursor.
func indexHas(b kv.Bucket, key []byte) bool {
	k, _ := b.Cursor().Seek(key)
	return bytes.Equal(k, key)
}

// WriteTo writes a consistent copy of the whole file to w while the store stays in use
// (a read transaction: writers are not blocked).
func (s *Store) WriteTo(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, briefbot.Internal("backup", err)
	}
	return n, nil
}

// Backup writes a hot, consistent copy of the store to path and checks the copy before
// putting it in place: path appears only if the copy is complete, synced and sound.
// It never overwrites a file: an existing path is EINVALID (ReasonBackupExists).
func (s *Store) Backup(path string) (int64, error) {
	abs, _ := filepath.Abs(path)
	if self, _ := filepath.Abs(s.path); abs == self {
		return 0, briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonBackupSelf, briefbot.Text{ZH: "备份文件不能是数据文件本身。", EN: "The backup cannot be the data file itself."})
	}
	if _, err := os.Lstat(abs); err == nil {
		return 0, errBackupExists(abs)
	}
	tmp, err := os.CreateTemp(filepath.Dir(abs), ".briefbot-backup-*")
	if err != nil {
		return 0, briefbot.Internal("backup", err)
	}
	defer os.Remove(tmp.Name())
	n, err := s.WriteTo(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, briefbot.Internal("backup", err)
	}
	problems, err := CheckFile(tmp.Name())
	if err != nil {
		return n, err
	}
	if len(problems) > 0 {
		return n, briefbot.Internal("backup", fmt.Errorf("the copy failed its check: %s", problems[0]))
	}
	// A link, not a rename: it fails rather than replace a file that appeared meanwhile.
	if err := os.Link(tmp.Name(), abs); errors.Is(err, fs.ErrExist) {
		return n, errBackupExists(abs)
	} else if err != nil {
		return n, briefbot.Internal("backup", err)
	}
	return n, syncDir(filepath.Dir(abs))
}

func errBackupExists(path string) error {
	return briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonBackupExists, briefbot.Text{
		ZH: fmt.Sprintf("%s 已经存在：备份不会覆盖任何文件，请换一个文件名。", path),
		EN: fmt.Sprintf("%s already exists: a backup never overwrites a file; choose another name.", path)})
}

// stage is called at the named points of Restore and Compact; tests set it to hold an
// operation there while they race it.
var stage = func(string) {}

// Restore puts the backup at src in place of the ledger file at dst, atomically: the
// backup is checked, copied beside dst and checked again, then renamed over dst while
// dst's lock is held, so there is never a moment without a data file and no bot can
// open the file being replaced (a running bot holds the lock: the answer is ECONFLICT,
// ReasonStoreLocked, and nothing changes). The file it replaces is kept beside it as
// dst + ".before-restore" (or, if that exists, with the time added). A damaged dst may
// be restored over: that is what backups are for.
func Restore(src, dst string) error {
	if err := checkBackup(src); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return briefbot.Internal("restore", err)
	}
	release, err := lockFile(dst, 200*time.Millisecond)
	if err != nil {
		return err
	}
	defer release()
	tmp := dst + restoringSuffix
	if err := copyFile(src, tmp); err != nil {
		os.Remove(tmp)
		return briefbot.Internal("restore", err)
	}
	if err := checkBackup(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	stage("restore: copied")
	if st, err := os.Stat(dst); err == nil && st.Size() > 0 {
		kept := dst + ".before-restore"
		if _, err := os.Lstat(kept); err == nil {
			kept += "-" + time.Now().Format("20060102T150405")
		}
		if err := os.Link(dst, kept); err != nil {
			os.Remove(tmp)
			return briefbot.Internal("restore: keep the replaced file", err)
		}
	}
	stage("restore: kept")
	if err := os.Rename(tmp, dst); err != nil {
		return briefbot.Internal("restore", err)
	}
	return syncDir(filepath.Dir(dst))
}

// checkBackup refuses a file that is not a sound ledger.
func checkBackup(path string) error {
	problems, err := CheckFile(path)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonBadBackup, briefbot.Text{
			ZH: fmt.Sprintf("备份文件 %s 未通过检查：%s", path, problems[0]), EN: fmt.Sprintf("The backup %s fails its check: %s", path, problems[0])})
	}
	return nil
}

// Compact rewrites the ledger file at path without its free pages (bbolt never
// shrinks a file), checks the result and renames it into place while still holding the
// file's lock, so that no bot can open the old file meanwhile and write where nobody
// will read. The file must not be in use. It returns the sizes before and after.
func Compact(path string) (int64, int64, error) {
	src, err := Open(path, Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		return 0, 0, err
	}
	defer src.Close()
	before, _ := src.Size()
	tmp := path + compactingSuffix
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return 0, 0, briefbot.Internal("compact", err)
	}
	err = bolt.Compact(dst, src.db, 64<<20)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return 0, 0, briefbot.Internal("compact", err)
	}
	if problems, err := CheckFile(tmp); err != nil || len(problems) > 0 {
		os.Remove(tmp)
		return 0, 0, briefbot.Internal("compact", fmt.Errorf("the compacted copy fails its check: %v %v", problems, err))
	}
	stage("compact: checked")
	if err := os.Rename(tmp, path); err != nil {
		return 0, 0, briefbot.Internal("compact", err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return 0, 0, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return before, 0, briefbot.Internal("compact", err)
	}
	return before, st.Size(), nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// syncDir makes a rename or link in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return briefbot.Internal("sync "+dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return briefbot.Internal("sync "+dir, err)
	}
	return nil
}
