// Package kv is the ordered, transactional key-value interface the ledger's logic is
// written against, so that one implementation of the ledger runs on either engine:
// an embedded bbolt file, or an etcd cluster. It has the shape of bbolt's API
// (buckets, cursors, sequences) because bbolt's is the simplest that fits; an engine
// that is not bbolt provides the same guarantees.
package kv

import (
	"context"
	"errors"
)

// ErrTooLarge is returned by Update when the transaction holds more writes than the
// engine takes in one (etcd's --max-txn-ops, 128 by default). Nothing was written; the
// caller may run the work as smaller transactions.
var ErrTooLarge = errors.New("kv: more writes than the engine takes in one transaction")

// Engine runs transactions.
type Engine interface {
	// View runs fn in a read-only transaction: every read in it sees one consistent
	// snapshot.
	View(ctx context.Context, fn func(Tx) error) error
	// Update runs fn in a read-write transaction and commits it atomically and
	// durably: when Update returns nil every write of fn is on disk (or on a
	// quorum), and no other transaction committed between fn's reads and its
	// commit changed what fn read. An engine may run fn more than once (a conflict
	// with another writer, retried); only the last run's writes are committed.
	Update(ctx context.Context, fn func(Tx) error) error
	// Close releases the engine.
	Close() error
}

// Tx is one transaction.
type Tx interface {
	// Bucket returns the named bucket; it always exists (engines create the
	// ledger's buckets when they are opened).
	Bucket(name []byte) Bucket
	// OnCommit runs fn after the transaction has committed (writes only).
	OnCommit(fn func())
	// Writable reports whether the transaction may write.
	Writable() bool
}

// Bucket is an ordered map of byte keys to byte values.
type Bucket interface {
	// Get returns the value of key, nil if there is none. The slice is valid for the
	// transaction's life only.
	Get(key []byte) []byte
	Put(key, value []byte) error
	Delete(key []byte) error
	// NextSequence returns the next value of the bucket's counter, starting at 1.
	NextSequence() (uint64, error)
	// Cursor iterates the bucket in key order.
	Cursor() Cursor
	// ForEach calls fn for every pair in key order until it returns an error.
	ForEach(fn func(k, v []byte) error) error
	// KeyN counts the bucket's keys.
	KeyN() int
	// Sequence is the counter's value now; SetSequence sets it (copying a ledger).
	Sequence() uint64
	SetSequence(v uint64) error
}

// Watcher is an engine other processes write to as well: Watch signals each change
// any of them commits under bucket (the store wakes its deliverer with it).
type Watcher interface {
	Watch(ctx context.Context, bucket []byte) <-chan struct{}
}

// Cursor moves over a bucket's keys in order. Each method returns the pair it lands
// on, or nil keys past either end.
type Cursor interface {
	First() (k, v []byte)
	Last() (k, v []byte)
	// Seek lands on key, or the first key after it.
	Seek(key []byte) (k, v []byte)
	Next() (k, v []byte)
	Prev() (k, v []byte)
}

// A Key names one key of one bucket.
type Key struct{ Bucket, Key []byte }

// Prefetcher is a Tx that can read many keys in one round trip ahead of their Gets:
// an engine across a network (etcd) implements it; a local file has no need. Gets of
// the keys then answer from what was read, at the transaction's snapshot.
type Prefetcher interface {
	Prefetch(keys []Key)
}
