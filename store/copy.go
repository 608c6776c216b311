package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store/kv"
)

// copyChunk is how many pairs one write transaction of a copy carries: an etcd
// transaction holds at most 128 operations.
const copyChunk = 100

// Copied is what a copy moved.
type Copied struct {
	Pairs   int                  // keys copied, all buckets
	Matters int                  // matters among them
	Head    briefbot.AuditAnchor // the audit chain's head, the same in both
}

// Copy copies the whole ledger src holds into dst — every bucket, every sequence — as
// one consistent snapshot of src: a migration between engines (a bbolt file and an
// etcd cluster), or a backup of one into the other. dst must hold no ledger yet
// (no matter, no audit entry, no dispatch) and be used by nothing else while it is
// filled. The copy is then checked: dst's Check finds nothing and its audit chain
// ends where src's does.
func Copy(ctx context.Context, dst, src *Store) (Copied, error) {
	var out Copied
	empty := true
	err := dst.eng.View(ctx, func(tx kv.Tx) error {
		for _, b := range [][]byte{bucketMatters, bucketAudit, bucketDispatch} {
			if k, _ := tx.Bucket(b).Cursor().First(); k != nil {
				empty = false
			}
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	if !empty {
		return out, briefbot.Errorf(briefbot.ECONFLICT, briefbot.ReasonNotEmpty, briefbot.Text{
			ZH: fmt.Sprintf("目标台账 %s 已有内容，未复制。请换一个空的目标（新文件或新的 etcd 前缀）。", dst.path),
			EN: fmt.Sprintf("The target ledger %s is not empty; nothing was copied. Choose an empty one (a new file, or a new etcd prefix).", dst.path)})
	}
	err = src.eng.View(ctx, func(stx kv.Tx) error {
		for _, b := range allBuckets {
			sb := stx.Bucket(b)
			var chunk [][2][]byte
			flush := func() error {
				if len(chunk) == 0 {
					return nil
				}
				err := putAll(ctx, dst.eng, b, chunk)
				chunk = chunk[:0]
				return err
			}
			c := sb.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				if bytes.Equal(b, bucketMeta) && bytes.Equal(k, keySchema) {
					continue // dst has its own, the same version
				}
				chunk = append(chunk, [2][]byte{bytes.Clone(k), bytes.Clone(v)})
				out.Pairs++
				if bytes.Equal(b, bucketMatters) {
					out.Matters++
				}
				if len(chunk) == copyChunk {
					if err := flush(); err != nil {
						return err
					}
				}
			}
			if err := flush(); err != nil {
				return err
			}
			seq := sb.Sequence()
			if err := dst.eng.Update(ctx, func(dtx kv.Tx) error { return dtx.Bucket(b).SetSequence(seq) }); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	if ps, err := dst.Check(); err != nil || len(ps) > 0 {
		return out, briefbot.Internal("copy", fmt.Errorf("the copy does not check: %v %v", ps, err))
	}
	sh, err := src.AuditHead(ctx)
	if err != nil {
		return out, err
	}
	dh, err := dst.AuditHead(ctx)
	if err != nil {
		return out, err
	}
	if sh != dh {
		return out, briefbot.Internal("copy", fmt.Errorf("the copy's audit head %s is not the source's %s", dh, sh))
	}
	out.Head = sh
	return out, nil
}

// putAll writes pairs into bucket b in one transaction, or, if that is more than the
// engine takes at once (large dispatches on etcd), in two halves, and so on.
func putAll(ctx context.Context, eng kv.Engine, b []byte, pairs [][2][]byte) error {
	err := eng.Update(ctx, func(tx kv.Tx) error {
		bk := tx.Bucket(b)
		for _, p := range pairs {
			if err := bk.Put(p[0], p[1]); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, kv.ErrTooLarge) && len(pairs) > 1 {
		if err := putAll(ctx, eng, b, pairs[:len(pairs)/2]); err != nil {
			return err
		}
		return putAll(ctx, eng, b, pairs[len(pairs)/2:])
	}
	return err
}

// Ping reads the ledger once: whether it answers now.
func (s *Store) Ping(ctx context.Context) error {
	return s.view(ctx, func(kv.Tx) error { return nil })
}
