package store

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/briefbot/briefbot"
	bolt "go.etcd.io/bbolt"
)

// maxProblems bounds how many problems a check reports.
const maxProblems = 50

// Check verifies the file and the ledger: bbolt's own page check, then the domain
// invariants: every matter decodes and is a reachable state; its number, index and
// title entries exist and nothing else does; ledger numbers are unique and gapless per
// kind and year; the audit chain is unbroken. It returns the problems found (none
// means sound), at most 50.
func (s *Store) Check() ([]string, error) {
	var problems []string
	err := s.db.View(func(tx *bolt.Tx) error {
		problems = checkTx(tx)
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

func checkTx(tx *bolt.Tx) []string {
	c := &checker{tx: tx, seqs: map[string]*series{}}
	for err := range tx.Check() {
		if !c.add("bbolt: %v", err) {
			return c.ps
		}
	}
	for _, b := range allBuckets {
		if tx.Bucket(b) == nil {
			c.add("bucket %s is missing", b)
			return c.ps
		}
	}
	if err := tx.Bucket(bucketMatters).ForEach(c.matter); err != nil {
		c.add("matters: %v", err)
	}
	c.counts()
	c.series()
	if p := verifyAudit(tx); p != "" {
		c.add("%s", p)
	}
	return c.ps
}

// checker collects the problems of one file, at most maxProblems.
type checker struct {
	tx                      *bolt.Tx
	ps                      []string
	expectedIndex, numbered int
	seqs                    map[string]*series
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
// marking, and its index, title and number entries are there.
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
	if t := c.tx.Bucket(bucketTitles).Get(k); !bytes.Equal(t, []byte(foldTitle(m.Title))) {
		c.add("matter %d (%s): search title missing or stale", id, m.Number)
	}
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

// counts checks that numbers, index and titles hold exactly what the matters need.
func (c *checker) counts() {
	matters := c.tx.Bucket(bucketMatters).Stats().KeyN
	if n := c.tx.Bucket(bucketNumbers).Stats().KeyN; n != c.numbered {
		c.add("numbers: %d recorded, %d matters carry one", n, c.numbered)
	}
	if n := c.tx.Bucket(bucketIndex).Stats().KeyN; n != c.expectedIndex {
		c.add("index: %d entries, the matters need %d: stale entries remain", n, c.expectedIndex)
	}
	if n := c.tx.Bucket(bucketTitles).Stats().KeyN; n != matters {
		c.add("titles: %d entries for %d matters", n, matters)
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
func indexHas(b *bolt.Bucket, key []byte) bool {
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
func (s *Store) Backup(path string) (int64, error) {
	abs, _ := filepath.Abs(path)
	if self, _ := filepath.Abs(s.path); abs == self {
		return 0, briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonBackupSelf, briefbot.Text{ZH: "备份文件不能是数据文件本身。", EN: "The backup cannot be the data file itself."})
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
	if err := os.Rename(tmp.Name(), abs); err != nil {
		return n, briefbot.Internal("backup", err)
	}
	return n, nil
}

// Restore puts the backup at src in place of the ledger file at dst. The backup is
// checked first; dst must not be in use (a running bot holds its lock: the answer is
// ECONFLICT "store_locked", and nothing changes). The file it replaces is kept beside
// it as dst + ".before-restore".
func Restore(src, dst string) error {
	problems, err := CheckFile(src)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonBadBackup, briefbot.Text{
			ZH: fmt.Sprintf("备份文件 %s 未通过检查：%s", src, problems[0]), EN: fmt.Sprintf("The backup %s fails its check: %s", src, problems[0])})
	}
	if _, err := os.Stat(dst); err == nil {
		s, err := Open(dst, Options{Timeout: 200 * time.Millisecond})
		if err != nil {
			return err // in use (locked), or unreadable: leave it alone
		}
		s.Close()
		if err := os.Rename(dst, dst+".before-restore"); err != nil {
			return briefbot.Internal("restore", err)
		}
	} else if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return briefbot.Internal("restore", err)
	}
	tmp := dst + ".restoring"
	if err := copyFile(src, tmp); err != nil {
		return briefbot.Internal("restore", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return briefbot.Internal("restore", err)
	}
	return nil
}

// Compact rewrites the ledger file at path without its free pages (bbolt never
// shrinks a file), checks the result and puts it in place. The file must not be in use.
// It returns the sizes before and after.
func Compact(path string) (int64, int64, error) {
	src, err := Open(path, Options{Timeout: 200 * time.Millisecond})
	if err != nil {
		return 0, 0, err
	}
	before, _ := src.Size()
	tmp := path + ".compacting"
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		src.Close()
		return 0, 0, briefbot.Internal("compact", err)
	}
	err = bolt.Compact(dst, src.db, 64<<20)
	dst.Close()
	src.Close()
	if err != nil {
		os.Remove(tmp)
		return 0, 0, briefbot.Internal("compact", err)
	}
	if problems, err := CheckFile(tmp); err != nil || len(problems) > 0 {
		os.Remove(tmp)
		return 0, 0, briefbot.Internal("compact", fmt.Errorf("the compacted copy fails its check: %v %v", problems, err))
	}
	if err := os.Rename(tmp, path); err != nil {
		return 0, 0, briefbot.Internal("compact", err)
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
