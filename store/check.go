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
	"runtime"
	"slices"
	"strings"
	"sync"
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
	// The audit chain is verified alongside, in a read transaction of its own: it
	// reads the audit log and the matters' records, and is self-contained.
	audit := make(chan string, 1)
	go func() {
		problem := ""
		defer func() {
			if r := recover(); r != nil {
				problem = fmt.Sprintf("bbolt: the file is damaged: %v", r)
			}
			audit <- problem
		}()
		if err := s.eng.View(context.Background(), func(tx kv.Tx) error {
			problem = verifyAudit(tx, briefbot.AuditAnchor{}).Problem
			return nil
		}); err != nil {
			problem = fmt.Sprintf("audit log: %v", err)
		}
	}()
	err = s.eng.View(context.Background(), func(tx kv.Tx) error {
		problems = checkLedger(tx)
		return nil
	})
	if p := <-audit; p != "" && len(problems) < maxProblems {
		problems = append(problems, p)
	}
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

// checkLedger checks the ledger's invariants but the audit chain's (Check verifies
// that alongside), on any engine.
//
// The matters are checked on every core: the transaction's goroutine walks the
// matters in id order and hands them out a block of ids at a time (blockSize, the
// search index's unit); workers decode each matter, check it on its own and gather
// its index keys and the search terms of the block; the transaction's goroutine
// takes the blocks back in order and does every lookup (a transaction is one
// goroutine's). The problems come in id order: a block's matters, each with its own
// problems in a fixed order, then the block's search postings by term.
func checkLedger(tx kv.Tx) []string {
	c := &checker{tx: tx, seqs: map[string]*series{}}
	workers := max(1, runtime.GOMAXPROCS(0))
	work := make(chan *checkBatch, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for b := range work {
				b.check()
				close(b.done)
			}
		})
	}
	var pending []*checkBatch // sent, in id order
	closed := false
	defer func() { // also when bbolt panics on a damaged page: no worker may outlive the transaction
		if !closed {
			close(work)
		}
		for _, b := range pending {
			<-b.done
		}
		wg.Wait()
	}()
	take := func(wait bool) {
		for len(pending) > 0 {
			b := pending[0]
			if !wait {
				select {
				case <-b.done:
				default:
					return
				}
			}
			<-b.done
			c.batch(b)
			pending = pending[1:]
		}
	}
	send := func(b *checkBatch) {
		if len(pending) >= 2*workers { // a bounded number of blocks in memory
			<-pending[0].done
			c.batch(pending[0])
			pending = pending[1:]
		}
		pending = append(pending, b)
		work <- b
		take(false)
	}
	var cur *checkBatch
	err := tx.Bucket(bucketMatters).ForEach(func(k, v []byte) error {
		id := btou(k)
		if block := uint32(id >> blockBits); cur == nil || block != cur.block {
			if cur != nil {
				send(cur)
			}
			cur = &checkBatch{block: block, done: make(chan struct{})}
		}
		cur.recs = append(cur.recs, checkRecord{id: id, v: v})
		return nil
	})
	if cur != nil {
		send(cur)
	}
	close(work)
	closed = true
	take(true)
	if err != nil {
		c.add("matters: %v", err)
	}
	c.counts()
	c.series()
	return c.ps
}

// checker collects the problems of one file, at most maxProblems.
type checker struct {
	tx                      kv.Tx
	ps                      []string
	expectedIndex, numbered int
	searchKeys              int // the search index keys the matters need
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

// A checkBatch is the stored matters of one block of ids, as a worker checks them.
type checkBatch struct {
	block  uint32
	recs   []checkRecord
	out    []checkedMatter
	terms  []checkPosting // the block's search postings the matters need, by term
	failed string         // a worker's panic
	done   chan struct{}
}

type checkRecord struct {
	id uint64
	v  []byte // the transaction's bytes: read only until the check ends
}

// checkedMatter is what a worker found of one stored matter: the problems it has on
// its own, and what the transaction must look up.
type checkedMatter struct {
	id       uint64
	problems []string
	decoded  bool
	number   briefbot.Number
	keys     [][]byte
}

type checkPosting struct {
	term string
	bm   bitmap
}

// check decodes and checks each matter of the batch on its own, and gathers the
// index keys and search postings they need. It reads nothing from the transaction. A
// panic on a damaged matter is a finding, as bbolt's are (Check).
func (b *checkBatch) check() {
	defer func() {
		if r := recover(); r != nil {
			b.out, b.terms = nil, nil
			b.failed = fmt.Sprintf("matters %d to %d: the check failed on a damaged matter: %v",
				uint64(b.block)<<blockBits, uint64(b.block+1)<<blockBits-1, r)
		}
	}()
	bt := newBlockTerms(func(term string, _ uint32, bm *bitmap) error {
		b.terms = append(b.terms, checkPosting{term, *bm})
		return nil
	})
	b.out = make([]checkedMatter, len(b.recs))
	for i, r := range b.recs {
		out := &b.out[i]
		out.id = r.id
		m, err := decode(r.v)
		if err != nil {
			out.problems = append(out.problems, fmt.Sprintf("matter %d: %v", r.id, err))
			continue
		}
		out.decoded, out.number = true, m.Number
		if m.ID != r.id {
			out.problems = append(out.problems, fmt.Sprintf("matter %d: stored under id %d", m.ID, r.id))
		}
		if err := m.CheckInvariants(); err != nil {
			out.problems = append(out.problems, fmt.Sprintf("matter %d (%s): %v", r.id, m.Number, err))
		}
		if err := briefbot.CheckStorable(m); err != nil {
			out.problems = append(out.problems, fmt.Sprintf("matter %d (%s): %s", r.id, m.Number, briefbot.ErrorReason(err))) // never the text itself
		}
		out.keys = indexKeys(m)
		if uint32(m.ID>>blockBits) == b.block { // a matter under another id has been reported
			_ = bt.add(m)
		}
	}
	_ = bt.done()
	slices.SortFunc(b.terms, func(x, y checkPosting) int { return strings.Compare(x.term, y.term) })
}

// batch looks up what a checked block needs, in order: each matter's index entries
// and number, then the block's search postings.
func (c *checker) batch(b *checkBatch) {
	ix, nums, sb := c.tx.Bucket(bucketIndex), c.tx.Bucket(bucketNumbers), c.tx.Bucket(bucketSearch)
	if b.failed != "" {
		c.add("%s", b.failed)
	}
	for _, m := range b.out {
		for _, p := range m.problems {
			c.add("%s", p)
		}
		if !m.decoded {
			continue
		}
		c.expectedIndex += len(m.keys)
		for _, key := range m.keys {
			if ix.Get(key) == nil && !indexHas(ix, key) {
				c.add("matter %d (%s): index entry %q missing", m.id, m.number, key[:bytes.IndexByte(key, 0)])
			}
		}
		if m.number.IsZero() {
			continue
		}
		c.numbered++
		if v := nums.Get([]byte(m.number.String())); v == nil || btou(v) != m.id {
			c.add("matter %d: number %s does not lead back to it", m.id, m.number)
		}
		sr := c.seqs[m.number.Series()]
		if sr == nil {
			sr = &series{}
			c.seqs[m.number.Series()] = sr
		}
		sr.count++
		sr.max = max(sr.max, m.number.Seq)
	}
	var got bitmap
	for _, t := range b.terms {
		c.searchKeys++
		got.decode(sb.Get(postingKey(t.term, b.block)))
		if got != t.bm {
			c.add("search index: term %q, matters %d to %d: %d entries, the matters need %d",
				t.term, uint64(b.block)<<blockBits, uint64(b.block+1)<<blockBits-1, got.count(), t.bm.count())
		}
	}
}

// counts checks that numbers, index and search index hold exactly what the matters need.
func (c *checker) counts() {
	if n := c.tx.Bucket(bucketNumbers).KeyN(); n != c.numbered {
		c.add("numbers: %d recorded, %d matters carry one", n, c.numbered)
	}
	if n := c.tx.Bucket(bucketIndex).KeyN(); n != c.expectedIndex {
		c.add("index: %d entries, the matters need %d: %s", n, c.expectedIndex, staleOrMissing(n, c.expectedIndex))
	}
	if n := c.tx.Bucket(bucketSearch).KeyN(); n != c.searchKeys {
		c.add("search index: %d keys, the matters need %d: %s", n, c.searchKeys, staleOrMissing(n, c.searchKeys))
	}
}

func staleOrMissing(have, need int) string {
	if have > need {
		return "stale entries remain"
	}
	return "entries are missing"
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
