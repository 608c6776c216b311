package store

import (
	"context"

	bolt "go.etcd.io/bbolt"

	"github.com/briefbot/briefbot/store/kv"
)

// boltEngine is the kv.Engine of one bbolt file: its transactions are bbolt's.
type boltEngine struct{ db *bolt.DB }

func (e boltEngine) View(ctx context.Context, fn func(kv.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return e.db.View(func(tx *bolt.Tx) error { return fn(boltTx{tx}) })
}

func (e boltEngine) Update(ctx context.Context, fn func(kv.Tx) error) error {
	return e.db.Update(func(tx *bolt.Tx) error { return fn(boltTx{tx}) })
}

func (e boltEngine) Close() error { return e.db.Close() }

type boltTx struct{ tx *bolt.Tx }

func (t boltTx) Bucket(name []byte) kv.Bucket { return boltBucket{t.tx.Bucket(name)} }
func (t boltTx) OnCommit(fn func())           { t.tx.OnCommit(fn) }
func (t boltTx) Writable() bool               { return t.tx.Writable() }

type boltBucket struct{ b *bolt.Bucket }

func (b boltBucket) Get(key []byte) []byte                    { return b.b.Get(key) }
func (b boltBucket) Put(key, value []byte) error              { return b.b.Put(key, value) }
func (b boltBucket) Delete(key []byte) error                  { return b.b.Delete(key) }
func (b boltBucket) NextSequence() (uint64, error)            { return b.b.NextSequence() }
func (b boltBucket) Cursor() kv.Cursor                        { return b.b.Cursor() }
func (b boltBucket) ForEach(fn func(k, v []byte) error) error { return b.b.ForEach(fn) }
func (b boltBucket) KeyN() int                                { return b.b.Stats().KeyN }
func (b boltBucket) Sequence() uint64                         { return b.b.Sequence() }
func (b boltBucket) SetSequence(v uint64) error               { return b.b.SetSequence(v) }
