package store

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

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
	var ps []string
	add := func(format string, args ...any) bool {
		if len(ps) < maxProblems {
			ps = append(ps, fmt.Sprintf(format, args...))
		}
		return len(ps) < maxProblems
	}
	for err := range tx.Check() {
		if !add("bbolt: %v", err) {
			return ps
		}
	}
	for _, b := range allBuckets {
		if tx.Bucket(b) == nil {
			add("bucket %s is missing", b)
			return ps
		}
	}

	ix, numbers, titles := tx.Bucket(bucketIndex), tx.Bucket(bucketNumbers), tx.Bucket(bucketTitles)
	expectedIndex, numbered := 0, 0
	type series struct{ count, max int }
	seqs := map[string]*series{}
	err := tx.Bucket(bucketMatters).ForEach(func(k, v []byte) error {
		id := btou(k)
		m, err := decode(v)
		if err != nil {
			add("matter %d: %v", id, err)
			return nil
		}
		if m.ID != id {
			add("matter %d: stored under id %d", m.ID, id)
		}
		if err := m.CheckInvariants(); err != nil {
			add("matter %d (%s): %v", id, m.Number, err)
		}
		if err := briefbot.CheckStorable(m); err != nil {
			add("matter %d (%s): %s", id, m.Number, briefbot.ErrorReason(err)) // never the text itself
		}
		keys := indexKeys(m)
		expectedIndex += len(keys)
		for _, key := range keys {
			if ix.Get(key) == nil && !indexHas(ix, key) {
				add("matter %d (%s): index entry %q missing", id, m.Number, key[:bytes.IndexByte(key, 0)])
			}
		}
		if t := titles.Get(k); !bytes.Equal(t, []byte(foldTitle(m.Title))) {
			add("matter %d (%s): search title missing or stale", id, m.Number)
		}
		if !m.Number.IsZero() {
			numbered++
			if v := numbers.Get([]byte(m.Number.String())); v == nil || btou(v) != id {
				add("matter %d: number %s does not lead back to it", id, m.Number)
			}
			sr := seqs[m.Number.Series()]
			if sr == nil {
				sr = &series{}
				seqs[m.Number.Series()] = sr
			}
			sr.count++
			sr.max = max(sr.max, m.Number.Seq)
		}
		return nil
	})
	if err != nil {
		add("matters: %v", err)
	}
	if n := numbers.Stats().KeyN; n != numbered {
		add("numbers: %d recorded, %d matters carry one", n, numbered)
	}
	if n := ix.Stats().KeyN; n != expectedIndex {
		add("index: %d entries, the matters need %d: stale entries remain", n, expectedIndex)
	}
	if n := titles.Stats().KeyN; n != tx.Bucket(bucketMatters).Stats().KeyN {
		add("titles: %d entries for %d matters", n, tx.Bucket(bucketMatters).Stats().KeyN)
	}
	seqB := tx.Bucket(bucketSeq)
	_ = seqB.ForEach(func(k, v []byte) error { // a counter with no matters behind it is a gap too
		if _, ok := seqs[string(k)]; !ok && btou(v) > 0 {
			add("ledger series %s: counter at %d but no matter carries a number of it", k, btou(v))
		}
		return nil
	})
	for name, sr := range seqs {
		var last int
		if v := seqB.Get([]byte(name)); v != nil {
			last = int(btou(v))
		}
		if sr.count != sr.max || sr.max != last {
			add("ledger series %s: %d numbers, highest %d, counter %d: numbers are missing or repeated", name, sr.count, sr.max, last)
		}
	}
	if p := verifyAudit(tx); p != "" {
		add("%s", p)
	}
	return ps
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
		return 0, briefbot.Errorf(briefbot.EINVALID, "backup_self", briefbot.Text{ZH: "备份文件不能是数据文件本身。", EN: "The backup cannot be the data file itself."})
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
