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

// Bucket returns the named bucket. A file written by an earlier version may lack a
// bucket added since, until it is opened for writing (which creates it); read, it is
// empty.
func (t boltTx) Bucket(name []byte) kv.Bucket {
	if b := t.tx.Bucket(name); b != nil {
		if f, ok := fillPercent[string(name)]; ok && t.tx.Writable() {
			b.FillPercent = f
		}
		return boltBucket{b}
	}
	return noBucket{}
}

// fillPercent is how full bbolt fills a page of these buckets before it splits it
// (bbolt's default is half). Their keys mostly grow at the end (of the bucket, or of
// an index prefix or a ledger series): a page split in half would stay half empty for
// ever. The audit trail is only appended to; matters, index entries, numbers and
// search blocks also change in place, so their pages keep some room. A page of
// matters is filled to 95%: a typical record is about 900 bytes (record.go), and at
// 90% a page takes three and leaves a quarter of it empty; at 95% it takes four,
// with room for a 批示 or two before it splits.
var fillPercent = map[string]float64{
	string(bucketAudit):   1.0,
	string(bucketMatters): 0.95,
	string(bucketIndex):   0.9,
	string(bucketNumbers): 0.9,
	string(bucketSearch):  0.9,
}

func (t boltTx) OnCommit(fn func()) { t.tx.OnCommit(fn) }
func (t boltTx) Writable() bool     { return t.tx.Writable() }

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

// noBucket is a bucket a file does not have yet: empty, and not to be written.
type noBucket struct{}

func (noBucket) Get([]byte) []byte                     { return nil }
func (noBucket) Put([]byte, []byte) error              { return bolt.ErrBucketNotFound }
func (noBucket) Delete([]byte) error                   { return bolt.ErrBucketNotFound }
func (noBucket) NextSequence() (uint64, error)         { return 0, bolt.ErrBucketNotFound }
func (noBucket) Cursor() kv.Cursor                     { return noCursor{} }
func (noBucket) ForEach(func(k, v []byte) error) error { return nil }
func (noBucket) KeyN() int                             { return 0 }
func (noBucket) Sequence() uint64                      { return 0 }
func (noBucket) SetSequence(uint64) error              { return bolt.ErrBucketNotFound }

type noCursor struct{}

func (noCursor) First() ([]byte, []byte)      { return nil, nil }
func (noCursor) Last() ([]byte, []byte)       { return nil, nil }
func (noCursor) Next() ([]byte, []byte)       { return nil, nil }
func (noCursor) Prev() ([]byte, []byte)       { return nil, nil }
func (noCursor) Seek([]byte) ([]byte, []byte) { return nil, nil }
