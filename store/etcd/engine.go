// Package etcd is the ledger's replicated engine: the same ledger (package store, the
// same logic, the same promises) kept on an etcd cluster instead of a bbolt file.
//
// Every key of a ledger lives under one prefix: "<prefix>\x00<bucket>\x00<key>" (keys
// are the store's, bytes). A bucket's counter is "<prefix>\x01<bucket>". One key,
// "<prefix>\x02version", is written by every read-write transaction: a transaction
// reads everything at one revision and commits only if that key has not changed
// since, so read-write transactions are serializable as they are on a bbolt file
// (one writer at a time, across every replica), without tracking each key read.
// Contention is met by retrying; within one process the store's group commit already
// makes one transaction of many concurrent writes.
package etcd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store/kv"
)

// The transaction limits a ledger's cluster must allow, at least (etcd's flags
// --max-txn-ops and --max-request-bytes; its defaults, 128 and 1.5 MiB, are too
// small): a matter's write carries its search index, one key per term of its texts,
// up to some tens of thousands for a body of 20,000 characters.
const (
	MinTxnOps       = 65536
	MinRequestBytes = 10 << 20
)

// maxTries bounds the retries of one read-write transaction that keeps meeting other
// writers' commits.
const maxTries = 64

// pageSize is how many pairs a cursor reads at a time.
const pageSize = 256

// ErrConflict is returned when a transaction met another writer's commit maxTries
// times in a row.
var ErrConflict = errors.New("etcd: the ledger kept changing under the transaction; try again")

// Engine is a kv.Engine on an etcd cluster.
type Engine struct {
	cli    *clientv3.Client
	prefix string
	fence  *Fence // if set, every read-write transaction also requires it
	owns   bool   // Close closes the client
	// maxOps is the most operations the cluster took in one transaction, as learnt
	// from its refusals (0: none refused yet): larger ones are not sent.
	maxOps *atomic.Int64
}

// Fence makes a read-write transaction conditional on a key still having the create
// revision it had: a leader's writes fenced by its election key cannot commit once a
// new leader has been elected, even if the old one has not noticed yet.
type Fence struct {
	Key            string
	CreateRevision int64
}

// New returns the engine of the ledger under prefix on cli.
func New(cli *clientv3.Client, prefix string) *Engine {
	return &Engine{cli: cli, prefix: prefix, maxOps: new(atomic.Int64)}
}

// Fenced returns an engine sharing e's cluster and ledger whose read-write
// transactions commit only while f holds.
func (e *Engine) Fenced(f Fence) *Engine {
	return &Engine{cli: e.cli, prefix: e.prefix, fence: &f, maxOps: e.maxOps}
}

// Client is the engine's etcd client.
func (e *Engine) Client() *clientv3.Client { return e.cli }

// Close closes the client if the engine made it (Open), not otherwise.
func (e *Engine) Close() error {
	if e.owns {
		return e.cli.Close()
	}
	return nil
}

func (e *Engine) bucketPrefix(b string) []byte {
	return []byte(e.prefix + "\x00" + b + "\x00")
}

func (e *Engine) versionKey() string { return e.prefix + "\x02version" }

// ErrFenced is returned by a fenced transaction whose fence no longer holds.
var ErrFenced = errors.New("etcd: no longer the leader: the write was not made")

// Timeout bounds one transaction: a cluster without a quorum answers nothing, and a
// caller must hear so rather than wait for ever.
const Timeout = 10 * time.Second

// View implements kv.Engine: every read at the revision current when it starts.
func (e *Engine) View(ctx context.Context, fn func(kv.Tx) error) error {
	ctx = clientv3.WithRequireLeader(ctx) // without a quorum: refused at once, not after the timeout
	cctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	resp, err := e.cli.Get(cctx, e.versionKey())
	if err != nil {
		return unavailable(err)
	}
	return fn(&tx{e: e, ctx: ctx, rev: resp.Header.Revision})
}

// Update implements kv.Engine.
func (e *Engine) Update(ctx context.Context, fn func(kv.Tx) error) error {
	ctx, cancel := context.WithTimeout(clientv3.WithRequireLeader(ctx), Timeout)
	defer cancel()
	for range maxTries {
		resp, err := e.cli.Get(ctx, e.versionKey())
		if err != nil {
			return unavailable(err)
		}
		var seen int64
		if len(resp.Kvs) == 1 {
			seen = resp.Kvs[0].ModRevision
		}
		t := &tx{e: e, ctx: ctx, rev: resp.Header.Revision, writes: map[string][]byte{}}
		if err := fn(t); err != nil {
			return err
		}
		ok, err := t.commit(seen)
		if err != nil {
			return err
		}
		if ok {
			for _, f := range t.onCommit {
				f()
			}
			return nil
		}
		if e.fence != nil && !e.fenceHolds(ctx) {
			return ErrFenced
		}
	}
	return ErrConflict
}

func (e *Engine) fenceHolds(ctx context.Context) bool {
	resp, err := e.cli.Get(ctx, e.fence.Key)
	return err == nil && len(resp.Kvs) == 1 && resp.Kvs[0].CreateRevision == e.fence.CreateRevision
}

// unavailable is a cluster error (no quorum, a partition, a timeout) as the ledger's
// callers take it: EUNAVAIL, with what to do. A write whose answer was lost may have
// been made: a retry with the same delivery key finds it.
func unavailable(err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	return &briefbot.Error{Code: briefbot.EUNAVAIL, Reason: briefbot.ReasonStoreUnavailable, Err: err, Msg: briefbot.Text{
		ZH: "台账暂时无法写入或读取：etcd 集群不足半数成员在线或无法连接。请稍后重试；重复提交不会重复登记。",
		EN: "The ledger cannot be written or read just now: fewer than half the etcd members are up, or none can be reached. Try again shortly; a repeated submission is not recorded twice."}}
}

// tx is one transaction: reads at rev; writes (read-write only) buffered until commit.
type tx struct {
	e        *Engine
	ctx      context.Context
	rev      int64
	writes   map[string][]byte // key -> value; nil value: deleted
	reads    map[string][]byte // key -> value read at rev; nil value: absent
	onCommit []func()
	err      error // the first read error: the transaction fails with it
}

func (t *tx) Bucket(name []byte) kv.Bucket { return &bucket{t: t, name: string(name)} }
func (t *tx) OnCommit(fn func())           { t.onCommit = append(t.onCommit, fn) }
func (t *tx) Writable() bool               { return t.writes != nil }

// get reads key as of the transaction: its own writes first, then what it read
// before (a revision does not change), then the cluster.
func (t *tx) get(key []byte) ([]byte, bool) {
	if v, ok := t.writes[string(key)]; ok {
		return v, v != nil
	}
	if v, ok := t.reads[string(key)]; ok {
		return v, v != nil
	}
	resp, err := t.rangeAt(string(key))
	if err != nil {
		t.fail(err)
		return nil, false
	}
	var v []byte
	if len(resp.Kvs) > 0 {
		v = resp.Kvs[0].Value
		if v == nil {
			v = []byte{}
		}
	}
	if t.reads == nil {
		t.reads = map[string][]byte{}
	}
	t.reads[string(key)] = v
	return v, v != nil
}

// Prefetch implements kv.Prefetcher: the keys not read or written yet, read in one
// transaction at the snapshot's revision.
func (t *tx) Prefetch(keys []kv.Key) {
	var ops []clientv3.Op
	var names []string
	for _, k := range keys {
		key := string(append(t.e.bucketPrefix(string(k.Bucket)), k.Key...))
		if _, ok := t.writes[key]; ok {
			continue
		}
		if _, ok := t.reads[key]; ok || slices.Contains(names, key) {
			continue
		}
		names = append(names, key)
		ops = append(ops, clientv3.OpGet(key, clientv3.WithRev(t.rev)))
	}
	for len(ops) > 0 {
		n := min(len(ops), 128) // etcd's default --max-txn-ops
		ctx, cancel := context.WithTimeout(t.ctx, Timeout)
		resp, err := t.e.cli.Txn(ctx).Then(ops[:n]...).Commit()
		cancel()
		if err != nil {
			t.fail(err)
			return
		}
		if t.reads == nil {
			t.reads = map[string][]byte{}
		}
		for i, r := range resp.Responses {
			var v []byte
			if kvs := r.GetResponseRange().GetKvs(); len(kvs) > 0 {
				v = kvs[0].Value
				if v == nil {
					v = []byte{}
				}
			}
			t.reads[names[i]] = v
		}
		ops, names = ops[n:], names[n:]
	}
}

// rangeAt reads at the transaction's revision. A revision is history: any member that
// has applied it answers for it alone (a serializable read, no round to the Raft
// leader); one that lags behind it says so, and then the read goes through the leader.
func (t *tx) rangeAt(key string, opts ...clientv3.OpOption) (*clientv3.GetResponse, error) {
	ctx, cancel := context.WithTimeout(t.ctx, Timeout)
	defer cancel()
	opts = append(opts, clientv3.WithRev(t.rev))
	resp, err := t.e.cli.Get(ctx, key, append(opts, clientv3.WithSerializable())...)
	if errors.Is(err, rpctypes.ErrFutureRev) {
		resp, err = t.e.cli.Get(ctx, key, opts...)
	}
	return resp, err
}

func (t *tx) fail(err error) {
	if t.err == nil {
		t.err = unavailable(err)
	}
}

func (t *tx) commit(seen int64) (bool, error) {
	if t.err != nil {
		return false, t.err
	}
	cmps := []clientv3.Cmp{clientv3.Compare(clientv3.ModRevision(t.e.versionKey()), "=", seen)}
	if f := t.e.fence; f != nil {
		cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision(f.Key), "=", f.CreateRevision))
	}
	ops := make([]clientv3.Op, 0, len(t.writes)+1)
	keys := make([]string, 0, len(t.writes))
	for k := range t.writes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if v := t.writes[k]; v == nil {
			ops = append(ops, clientv3.OpDelete(k))
		} else {
			ops = append(ops, clientv3.OpPut(k, string(v)))
		}
	}
	ops = append(ops, clientv3.OpPut(t.e.versionKey(), strconv.FormatInt(t.rev, 10)))
	if limit := t.e.maxOps.Load(); limit > 0 && int64(len(ops)) > limit {
		return false, kv.ErrTooLarge
	}
	resp, err := t.e.cli.Txn(t.ctx).If(cmps...).Then(ops...).Commit()
	switch {
	case errors.Is(err, rpctypes.ErrTooManyOps):
		t.e.maxOps.Store(int64(len(ops) - 1)) // the cluster's limit is below this
		return false, t.tooLarge(err, len(ops))
	case errors.Is(err, rpctypes.ErrRequestTooLarge):
		return false, t.tooLarge(err, len(ops))
	case err != nil:
		return false, unavailable(err)
	}
	return resp.Succeeded, nil
}

// tooLarge is the cluster's refusal of a transaction of n operations: kv.ErrTooLarge
// (a batch is then halved), saying what the cluster must allow should a single
// write need more.
func (t *tx) tooLarge(err error, n int) error {
	return fmt.Errorf("%w (%v): %d keys written; the cluster must allow larger transactions "+
		"(etcd --max-txn-ops %d --max-request-bytes %d)", kv.ErrTooLarge, err, n, MinTxnOps, MinRequestBytes)
}

// bucket is one bucket of a transaction.
type bucket struct {
	t    *tx
	name string
}

func (b *bucket) key(k []byte) []byte {
	return append(b.t.e.bucketPrefix(b.name), k...)
}

func (b *bucket) Get(key []byte) []byte {
	v, ok := b.t.get(b.key(key))
	if !ok {
		return nil
	}
	if v == nil {
		return []byte{}
	}
	return v
}

func (b *bucket) Put(key, value []byte) error {
	if !b.t.Writable() {
		return errors.New("etcd: write in a read-only transaction")
	}
	b.t.writes[string(b.key(key))] = append([]byte{}, value...)
	return nil
}

func (b *bucket) Delete(key []byte) error {
	if !b.t.Writable() {
		return errors.New("etcd: write in a read-only transaction")
	}
	b.t.writes[string(b.key(key))] = nil
	return nil
}

func (b *bucket) seqKey() []byte { return []byte(b.t.e.prefix + "\x01" + b.name) }

func (b *bucket) Sequence() uint64 {
	v, ok := b.t.get(b.seqKey())
	if !ok {
		return 0
	}
	n, _ := strconv.ParseUint(string(v), 10, 64)
	return n
}

func (b *bucket) SetSequence(v uint64) error {
	if !b.t.Writable() {
		return errors.New("etcd: write in a read-only transaction")
	}
	b.t.writes[string(b.seqKey())] = []byte(strconv.FormatUint(v, 10))
	return nil
}

func (b *bucket) NextSequence() (uint64, error) {
	var n uint64
	if v, ok := b.t.get(b.seqKey()); ok {
		var err error
		if n, err = strconv.ParseUint(string(v), 10, 64); err != nil {
			return 0, fmt.Errorf("etcd: sequence of %s: %w", b.name, err)
		}
	}
	if b.t.err != nil {
		return 0, b.t.err
	}
	n++
	b.t.writes[string(b.seqKey())] = []byte(strconv.FormatUint(n, 10))
	return n, nil
}

func (b *bucket) ForEach(fn func(k, v []byte) error) error {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return b.t.err
}

func (b *bucket) KeyN() int {
	if b.t.Writable() && b.hasWrites() {
		n := 0
		c := b.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			n++
		}
		return n
	}
	p := b.t.e.bucketPrefix(b.name)
	resp, err := b.t.rangeAt(string(p), clientv3.WithRange(clientv3.GetPrefixRangeEnd(string(p))), clientv3.WithCountOnly())
	if err != nil {
		b.t.fail(err)
		return 0
	}
	return int(resp.Count)
}

func (b *bucket) hasWrites() bool {
	p := string(b.t.e.bucketPrefix(b.name))
	for k := range b.t.writes {
		if len(k) >= len(p) && k[:len(p)] == p {
			return true
		}
	}
	return false
}

func (b *bucket) Cursor() kv.Cursor {
	c := &cursor{b: b, prefix: b.t.e.bucketPrefix(b.name)}
	if b.t.Writable() && b.hasWrites() {
		c.materialize()
	}
	return c
}

// cursor walks a bucket at the transaction's revision, a page at a time. In a
// read-write transaction that wrote to the bucket it walks a merged copy instead.
type cursor struct {
	b      *bucket
	prefix []byte
	page   []pair // in key order
	i      int    // position in page
	full   bool   // page holds the whole bucket (materialized)
}

type pair struct{ k, v []byte }

func (c *cursor) strip(k []byte) []byte { return k[len(c.prefix):] }

// fetch loads the page of up to pageSize pairs from key (inclusive) in the
// direction asked; empty key: from the start (ascending) or the end (descending).
func (c *cursor) fetch(from []byte, desc bool) {
	t := c.b.t
	end := clientv3.GetPrefixRangeEnd(string(c.prefix))
	opts := []clientv3.OpOption{clientv3.WithLimit(pageSize)}
	start := string(c.prefix)
	if desc {
		opts = append(opts, clientv3.WithSort(clientv3.SortByKey, clientv3.SortDescend))
		if from != nil {
			end = string(append(append([]byte{}, c.prefix...), from...)) + "\x00" // up to and including from
		}
	} else if from != nil {
		start = string(append(append([]byte{}, c.prefix...), from...))
	}
	opts = append(opts, clientv3.WithRange(end))
	resp, err := t.rangeAt(start, opts...)
	if err != nil {
		t.fail(err)
		c.page, c.i = nil, 0
		return
	}
	c.page = c.page[:0]
	for _, kvp := range resp.Kvs {
		c.page = append(c.page, pair{c.strip(kvp.Key), kvp.Value})
	}
	if desc { // keep the page in key order, positioned at its last pair
		for i, j := 0, len(c.page)-1; i < j; i, j = i+1, j-1 {
			c.page[i], c.page[j] = c.page[j], c.page[i]
		}
		c.i = len(c.page) - 1
	} else {
		c.i = 0
	}
}

// materialize reads the whole bucket and applies the transaction's writes to it.
func (c *cursor) materialize() {
	all := map[string][]byte{}
	c.fetch(nil, false)
	for len(c.page) > 0 {
		for _, p := range c.page {
			all[string(p.k)] = p.v
		}
		last := c.page[len(c.page)-1].k
		if len(c.page) < pageSize {
			break
		}
		c.fetch(append(append([]byte{}, last...), 0), false)
	}
	p := string(c.prefix)
	for k, v := range c.b.t.writes {
		if len(k) >= len(p) && k[:len(p)] == p {
			if v == nil {
				delete(all, k[len(p):])
			} else {
				all[k[len(p):]] = v
			}
		}
	}
	c.page = c.page[:0]
	for k, v := range all {
		c.page = append(c.page, pair{[]byte(k), v})
	}
	sort.Slice(c.page, func(i, j int) bool { return bytes.Compare(c.page[i].k, c.page[j].k) < 0 })
	c.full = true
}

func (c *cursor) at() ([]byte, []byte) {
	if c.i < 0 || c.i >= len(c.page) {
		return nil, nil
	}
	p := c.page[c.i]
	if p.v == nil {
		return p.k, []byte{}
	}
	return p.k, p.v
}

func (c *cursor) First() ([]byte, []byte) {
	if c.full {
		c.i = 0
		return c.at()
	}
	c.fetch(nil, false)
	return c.at()
}

func (c *cursor) Last() ([]byte, []byte) {
	if c.full {
		c.i = len(c.page) - 1
		return c.at()
	}
	c.fetch(nil, true)
	return c.at()
}

func (c *cursor) Seek(key []byte) ([]byte, []byte) {
	if c.full {
		c.i = sort.Search(len(c.page), func(i int) bool { return bytes.Compare(c.page[i].k, key) >= 0 })
		return c.at()
	}
	c.fetch(append([]byte{}, key...), false)
	return c.at()
}

func (c *cursor) Next() ([]byte, []byte) {
	if c.i < 0 || c.i >= len(c.page) {
		return nil, nil
	}
	if c.i+1 < len(c.page) || c.full {
		c.i++
		return c.at()
	}
	last := c.page[c.i].k
	c.fetch(append(append([]byte{}, last...), 0), false)
	return c.at()
}

func (c *cursor) Prev() ([]byte, []byte) {
	if c.i < 0 || c.i >= len(c.page) {
		return nil, nil
	}
	if c.i > 0 || c.full {
		c.i--
		return c.at()
	}
	first := c.page[0].k
	if len(first) == 0 {
		c.page, c.i = nil, 0
		return nil, nil
	}
	// The greatest key strictly before first: descending from just below it.
	c.fetchBefore(first)
	return c.at()
}

// fetchBefore loads the page of pairs strictly before key, descending.
func (c *cursor) fetchBefore(key []byte) {
	t := c.b.t
	end := string(append(append([]byte{}, c.prefix...), key...)) // exclusive
	resp, err := t.rangeAt(string(c.prefix), clientv3.WithRange(end), clientv3.WithLimit(pageSize),
		clientv3.WithSort(clientv3.SortByKey, clientv3.SortDescend))
	if err != nil {
		t.fail(err)
		c.page, c.i = nil, 0
		return
	}
	c.page = c.page[:0]
	for i := len(resp.Kvs) - 1; i >= 0; i-- {
		c.page = append(c.page, pair{c.strip(resp.Kvs[i].Key), resp.Kvs[i].Value})
	}
	c.i = len(c.page) - 1
}

// Watch implements kv.Watcher: a signal for every change under bucket, whoever made
// it. A watch that breaks (a compaction, a lost connection) is started again.
func (e *Engine) Watch(ctx context.Context, b []byte) <-chan struct{} {
	out := make(chan struct{}, 1)
	go func() {
		for ctx.Err() == nil {
			wc := e.cli.Watch(clientv3.WithRequireLeader(ctx), string(e.bucketPrefix(string(b))), clientv3.WithPrefix())
			for resp := range wc {
				if resp.Err() != nil {
					break
				}
				select {
				case out <- struct{}{}:
				default:
				}
			}
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
		}
	}()
	return out
}
