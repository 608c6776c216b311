// Package store keeps the ledger in an embedded bbolt file: matters, their indexes and
// ledger-number sequences, delivery deduplication keys, and the hash-chained audit log.
package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store/kv"
)

// SchemaVersion is the layout of the file this build writes. A file with a higher
// version is refused; a lower one is migrated forward on open.
const SchemaVersion = 6

// migrations[v] migrates a store from schema version v to v+1, inside the open
// transaction. Each step must be idempotent.
var migrations = map[int]func(tx *bolt.Tx) error{
	// 1 -> 2: the outbox (dispatches, schedule slots, briefing issue numbers).
	1: func(tx *bolt.Tx) error {
		for _, b := range outboxBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	// 2 -> 3: the receipts index (matter -> its receipt dispatch), filled from the
	// receipts already in the outbox.
	2: func(tx *bolt.Tx) error {
		rb, err := tx.CreateBucketIfNotExists(bucketReceipts)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketDispatch).ForEach(func(k, v []byte) error {
			var d briefbot.Dispatch
			if err := json.Unmarshal(v, &d); err != nil {
				return err
			}
			if d.Kind == briefbot.DispatchReceipt && len(d.Matters) == 1 {
				return rb.Put(u64(d.Matters[0]), k)
			}
			return nil
		})
	},
	// 3 -> 4: the search index (search.go) replaces the folded titles.
	3: migrateSearch,
	// 4 -> 5: the deadline index by department, unit and committee (index.go).
	4: migrateDueIndex,
	// 5 -> 6: matters are written in the compact form (record.go). Nothing moves: the
	// JSON records stay readable and each is rewritten compact at its next change; the
	// version only keeps a build that reads JSON alone from opening the file.
	5: func(*bolt.Tx) error { return nil },
}

// Bucket names.
var (
	bucketMeta     = []byte("meta")      // schema version, audit head
	bucketMatters  = []byte("matters")   // id (8 bytes BE) -> matter record (record.go)
	bucketNumbers  = []byte("numbers")   // "QS-2026-0017" -> id
	bucketSeq      = []byte("seq")       // "QS-2026" -> last sequence number (8 bytes BE)
	bucketIndex    = []byte("index")     // secondary indexes, see index.go
	bucketDedup    = []byte("dedup")     // delivery key -> expiry (8) + matter id (8)
	bucketDedupExp = []byte("dedup_exp") // expiry (8) + key -> nil
	bucketAudit    = []byte("audit")     // seq (8) -> audit entry JSON
	allBuckets     = [][]byte{bucketMeta, bucketMatters, bucketNumbers, bucketSeq, bucketIndex, bucketSearch, bucketDedup, bucketDedupExp, bucketAudit, bucketConversations}

	keySchema    = []byte("schema_version")
	keyAuditHead = []byte("audit_head")
)

// ErrClosed is returned by writes attempted after Close.
var ErrClosed = briefbot.Errorf(briefbot.EINTERNAL, briefbot.ReasonStoreClosed, briefbot.Text{ZH: "数据存储已关闭。", EN: "The store is closed."})

// Options configure Open. The zero value is usable.
type Options struct {
	// Timeout bounds the wait for the file lock held by another process (default 1 s).
	Timeout time.Duration
	// ReadOnly opens the file for reading only (shared lock): for checks and listings
	// while nothing else writes, and never migrates.
	ReadOnly bool
	// Now is the clock for the times the store stamps itself (default time.Now).
	Now func() time.Time
	// Location is the zone whose calendar year numbers matters (default Asia/Shanghai).
	Location *time.Location
	// MaxBatch bounds how many concurrent writes share one commit (default 256).
	MaxBatch int
	// NoSync skips fsync on commit. Only for benchmarks that measure something else:
	// a store opened this way does not keep the durability promise.
	NoSync bool
}

// Store is the ledger. It is safe for concurrent use. Writes from concurrent callers are
// grouped into shared transactions (group commit): each caller still returns only
// after the transaction holding its write has committed to disk.
type Store struct {
	db   *bolt.DB  // nil on an engine that is not a bbolt file
	eng  kv.Engine // the transactions the ledger's logic runs in
	path string
	now  func() time.Time
	loc  *time.Location

	maxBatch int
	ops      chan *writeOp
	closing  chan struct{}
	done     chan struct{}
	once     sync.Once
	readOnly bool

	changed signal // dispatches created or released: the deliverer looks again
	cache   matterCache
}

// Open opens (creating if needed) the ledger file at path. A file locked by another
// process is reported with an error naming it after opts.Timeout, never a hang.
func Open(path string, opts Options) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = briefbot.DefaultLocation()
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 256
	}
	if err := inspect(path); err != nil {
		return nil, err
	}
	if !opts.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			if err := interrupted(path); err != nil {
				return nil, err
			}
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, briefbot.Internal("create data directory", err)
		}
	} else if _, err := os.Stat(path); err != nil {
		return nil, &briefbot.Error{Code: briefbot.ENOTFOUND, Reason: briefbot.ReasonNoStore,
			Msg: briefbot.Text{ZH: "数据文件不存在：" + path, EN: "No data file at " + path}, Err: err}
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.Timeout, ReadOnly: opts.ReadOnly, NoSync: opts.NoSync})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, &briefbot.Error{Code: briefbot.ECONFLICT, Reason: briefbot.ReasonStoreLocked, Err: err, Msg: briefbot.Text{
			ZH: fmt.Sprintf("数据文件 %s 正被另一个进程使用（已加锁）。请先停止该进程。", path),
			EN: fmt.Sprintf("The data file %s is in use by another process (locked). Stop that process first.", path)}}
	} else if err != nil {
		return nil, briefbot.Internal("open "+path, err)
	}
	s := &Store{db: db, eng: boltEngine{db}, path: path, now: opts.Now, loc: opts.Location, maxBatch: opts.MaxBatch,
		ops: make(chan *writeOp), closing: make(chan struct{}), done: make(chan struct{}), readOnly: opts.ReadOnly}
	if opts.ReadOnly {
		err = db.View(func(tx *bolt.Tx) error {
			v, err := checkSchema(tx, path)
			if err == nil && v < SchemaVersion {
				err = &briefbot.Error{Code: briefbot.ECONFLICT, Reason: briefbot.ReasonSchemaOlder, Msg: briefbot.Text{
					ZH: fmt.Sprintf("数据文件 %s 是旧格式（版本 %d）。请先运行一次 briefbot（服务或控制台）完成升级。", path, v),
					EN: fmt.Sprintf("The data file %s has an older layout (schema %d). Run briefbot (serve or console) once to upgrade it.", path, v)}}
			}
			return err
		})
	} else {
		err = db.Update(func(tx *bolt.Tx) error { return initSchema(tx, path) })
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	if opts.ReadOnly {
		close(s.done)
	} else {
		go s.writer()
	}
	return s, nil
}

// New returns the ledger kept by eng, an engine other than a bbolt file (package
// store/etcd): the same logic and promises as Open's. Its buckets need no creating;
// a new ledger gets this build's schema version, a ledger of another version is
// refused (migrations are a file's).
func New(eng kv.Engine, name string, opts Options) (*Store, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = briefbot.DefaultLocation()
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 256
	}
	ctx := context.Background()
	txn := eng.Update
	if opts.ReadOnly {
		txn = eng.View
	}
	err := txn(ctx, func(tx kv.Tx) error {
		meta := tx.Bucket(bucketMeta)
		v := meta.Get(keySchema)
		if v == nil && opts.ReadOnly {
			return nil // a new ledger, not written yet: nothing to read either
		}
		if v == nil {
			return meta.Put(keySchema, []byte(strconv.Itoa(SchemaVersion)))
		}
		n, err := strconv.Atoi(string(v))
		switch {
		case err != nil || n > SchemaVersion || n < 4:
			return &briefbot.Error{Code: briefbot.ECONFLICT, Reason: briefbot.ReasonSchemaNewer, Msg: briefbot.Text{
				ZH: fmt.Sprintf("台账 %s 的格式版本是 %s，本程序是 %d。", name, v, SchemaVersion),
				EN: fmt.Sprintf("The ledger %s has schema %s; this build has %d.", name, v, SchemaVersion)}}
		case n < SchemaVersion && opts.ReadOnly:
			return &briefbot.Error{Code: briefbot.ECONFLICT, Reason: briefbot.ReasonSchemaOlder, Msg: briefbot.Text{
				ZH: fmt.Sprintf("台账 %s 的格式较旧（版本 %d）。请先运行一次 briefbot（serve 或 console）升级；升级前请停止所有副本。", name, n),
				EN: fmt.Sprintf("The ledger %s has an older layout (schema %d). Run briefbot (serve or console) once to upgrade it, with every replica stopped.", name, n)}}
		}
		return nil
	})
	if err == nil && !opts.ReadOnly {
		err = upgradeEngine(ctx, eng)
	}
	if err != nil {
		return nil, err
	}
	s := &Store{eng: eng, path: name, now: opts.Now, loc: opts.Location, maxBatch: opts.MaxBatch,
		ops: make(chan *writeOp), closing: make(chan struct{}), done: make(chan struct{}), readOnly: opts.ReadOnly}
	if opts.ReadOnly {
		close(s.done)
	} else {
		go s.writer()
	}
	return s, nil
}

// upgradeEngine brings a ledger on eng from schema 4 or 5 to this build's (an engine
// other than a file has held no older one), then records the new version.
func upgradeEngine(ctx context.Context, eng kv.Engine) error {
	var v []byte
	if err := eng.View(ctx, func(tx kv.Tx) error { v = bytes.Clone(tx.Bucket(bucketMeta).Get(keySchema)); return nil }); err != nil {
		return err
	}
	if string(v) == strconv.Itoa(SchemaVersion) {
		return nil
	}
	if string(v) == "4" {
		if err := migrateEngineDueIndex(ctx, eng); err != nil {
			return briefbot.Internal("migrate schema 4 to 5", err)
		}
	}
	// 5 -> 6: compact records; nothing moves (see migrations).
	return eng.Update(ctx, func(tx kv.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, []byte(strconv.Itoa(SchemaVersion)))
	})
}

// Engine is the engine the store's transactions run on.
func (s *Store) Engine() kv.Engine { return s.eng }

// checkSchema returns the file's schema version, refusing a newer one than this build's.
func checkSchema(tx *bolt.Tx, path string) (int, error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return 0, nil
	}
	v, err := strconv.Atoi(string(meta.Get(keySchema)))
	if err != nil {
		return 0, briefbot.Internal("read schema version", err)
	}
	if v > SchemaVersion {
		return v, &briefbot.Error{Code: briefbot.ECONFLICT, Reason: briefbot.ReasonSchemaNewer, Msg: briefbot.Text{
			ZH: fmt.Sprintf("数据文件 %s 由较新版本的 briefbot 写入（格式版本 %d，本程序支持 %d）。请使用新版本程序，不要降级。", path, v, SchemaVersion),
			EN: fmt.Sprintf("The data file %s was written by a newer briefbot (schema %d; this build knows %d). Run the newer version; do not downgrade.", path, v, SchemaVersion)}}
	}
	return v, nil
}

// initSchema creates the buckets of a new file, or migrates an older file forward.
func initSchema(tx *bolt.Tx, path string) error {
	v, err := checkSchema(tx, path)
	if err != nil {
		return err
	}
	for _, b := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return briefbot.Internal("create bucket", err)
		}
	}
	if v == 0 { // a new file
		v = SchemaVersion
	}
	for ; v < SchemaVersion; v++ {
		m, ok := migrations[v]
		if !ok {
			return briefbot.Internal("migrate", fmt.Errorf("no migration from schema %d", v))
		}
		if err := m(tx); err != nil {
			return briefbot.Internal(fmt.Sprintf("migrate schema %d to %d", v, v+1), err)
		}
	}
	return tx.Bucket(bucketMeta).Put(keySchema, []byte(strconv.Itoa(v)))
}

// Path returns the file the store is kept in.
func (s *Store) Path() string { return s.path }

// Close finishes the writes already accepted, then closes the file. Writes attempted
// after Close fail with ErrClosed.
func (s *Store) Close() error {
	s.once.Do(func() { close(s.closing) })
	<-s.done
	return s.eng.Close()
}

// Size returns the size of the file in bytes.
func (s *Store) Size() (int64, error) {
	if s.db == nil {
		return 0, nil
	}
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return n, err
}

// view runs fn in a read transaction, unless ctx is already done.
func (s *Store) view(ctx context.Context, fn func(tx kv.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.eng.View(ctx, fn)
}

// writeOp is one caller's write waiting for a shared transaction. fn must return a
// refusal (an error whose code is not EINTERNAL) only before it has written anything:
// a refusal does not abort the shared transaction, an internal error does.
type writeOp struct {
	fn    func(tx kv.Tx) error
	reads []kv.Key // keys fn will read: fetched for the whole batch at once
	done  chan error
}

// update runs fn in a write transaction shared with other concurrent callers and
// returns once that transaction has committed (or failed). reads names keys fn is
// sure to read, which an engine across a network fetches for the batch in one round.
func (s *Store) update(ctx context.Context, fn func(tx kv.Tx) error, reads ...kv.Key) error {
	if s.readOnly {
		return briefbot.Errorf(briefbot.EINTERNAL, briefbot.ReasonReadOnly, briefbot.Text{ZH: "数据存储以只读方式打开。", EN: "The store is open read-only."})
	}
	op := &writeOp{fn: fn, reads: reads, done: make(chan error, 1)}
	select {
	case s.ops <- op:
	case <-s.closing:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once accepted, the write is not abandoned: wait for the commit so the answer is true.
	return <-op.done
}

// writer is the single goroutine that commits. It takes every write already waiting
// (up to maxBatch) into one transaction, so one fsync serves them all.
//
// Writers whose last batch was shared come back together once it commits, a moment
// apart: so after a shared batch the writer waits up to linger for as many as that
// batch held, rather than commit the first alone and make the rest wait a whole
// commit more.
func (s *Store) writer() {
	defer close(s.done)
	last := 0
	timer := time.NewTimer(linger)
	timer.Stop()
	for {
		var batch []*writeOp
		select {
		case op := <-s.ops:
			batch = append(batch, op)
		case <-s.closing:
			return
		}
		var wait <-chan time.Time
		if last > 1 {
			timer.Reset(linger)
			wait = timer.C
		}
	fill:
		for len(batch) < s.maxBatch {
			select {
			case op := <-s.ops:
				batch = append(batch, op)
				continue
			default:
			}
			if wait == nil || len(batch) >= last {
				break
			}
			select {
			case op := <-s.ops:
				batch = append(batch, op)
			case <-wait:
				break fill
			}
		}
		if wait != nil {
			timer.Stop()
		}
		last = len(batch)
		s.commit(batch)
	}
}

// linger is how long a batch waits for the writers of the last one.
const linger = 500 * time.Microsecond

// commit runs batch in one transaction. If the transaction fails, each write is run
// again alone, so one bad write cannot fail the others; if it was too large for the
// engine, each half is run as one.
func (s *Store) commit(batch []*writeOp) {
	results := make([]error, len(batch))
	var reads []kv.Key
	for _, op := range batch {
		reads = append(reads, op.reads...)
	}
	err := s.eng.Update(context.Background(), func(tx kv.Tx) error {
		if p, ok := tx.(kv.Prefetcher); ok && len(reads) > 0 {
			p.Prefetch(reads)
		}
		stx := gatherSearch(tx)
		for i, op := range batch {
			err := op.fn(stx)
			if err != nil && briefbot.ErrorCode(err) == briefbot.EINTERNAL {
				return err
			}
			results[i] = err
		}
		return stx.flush()
	})
	if err == nil {
		for i, op := range batch {
			op.done <- results[i]
		}
		return
	}
	if errors.Is(err, kv.ErrTooLarge) && len(batch) > 1 { // halves, not singles: still shared
		s.commit(batch[:len(batch)/2])
		s.commit(batch[len(batch)/2:])
		return
	}
	if len(batch) == 1 {
		if briefbot.ErrorCode(err) != briefbot.EINTERNAL || errors.As(err, new(*briefbot.Error)) {
			batch[0].done <- err
		} else {
			batch[0].done <- briefbot.Internal("commit", err)
		}
		return
	}
	for _, op := range batch {
		s.commit([]*writeOp{op})
	}
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func btou(b []byte) uint64 { return binary.BigEndian.Uint64(b) }
