package store

import (
	"bytes"
	"context"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store/kv"
)

// seen reports whether delivery key was recorded and has not expired at now, and the
// matter its first delivery wrote (0 if it wrote none).
func seen(tx kv.Tx, key string, now time.Time) (uint64, bool) {
	if key == "" {
		return 0, false
	}
	v := tx.Bucket(bucketDedup).Get([]byte(key))
	if len(v) != 16 {
		return 0, false
	}
	if exp := int64(btou(v[:8])); exp <= now.UnixNano() {
		return 0, false
	}
	return btou(v[8:]), true
}

// dedupKey is the key seen and remember read for delivery key (none for no key).
func dedupKey(key string) []kv.Key {
	if key == "" {
		return nil
	}
	return []kv.Key{{Bucket: bucketDedup, Key: []byte(key)}}
}

// remember records d's key until its expiry, pointing at matter id.
func remember(tx kv.Tx, d briefbot.Delivery, id uint64, now time.Time) error {
	if d.Key == "" {
		return nil
	}
	ttl := d.TTL
	if ttl <= 0 {
		ttl = briefbot.DefaultDedupTTL
	}
	b, exp := tx.Bucket(bucketDedup), tx.Bucket(bucketDedupExp)
	key := []byte(d.Key)
	if old := b.Get(key); len(old) == 16 { // an expired earlier delivery: drop its expiry entry
		if err := exp.Delete(append(bytes.Clone(old[:8]), key...)); err != nil {
			return err
		}
	}
	until := u64(uint64(now.Add(ttl).UnixNano()))
	if err := b.Put(key, append(until, u64(id)...)); err != nil {
		return err
	}
	return exp.Put(append(until, key...), nil)
}

// Claim implements briefbot.Deliveries.
func (s *Store) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if key == "" {
		return true, nil
	}
	now := s.now()
	first := false
	err := s.update(ctx, func(tx kv.Tx) error {
		if _, ok := seen(tx, key, now); ok {
			first = false
			return nil
		}
		first = true
		if err := remember(tx, briefbot.Delivery{Key: key, TTL: ttl}, 0, now); err != nil {
			return briefbot.Internal("dedup", err)
		}
		return nil
	}, dedupKey(key)...)
	return first, err
}

// PurgeExpired forgets every delivery key and DM conversation expired at now and
// returns how many.
func (s *Store) PurgeExpired(ctx context.Context) (int, error) {
	now := uint64(s.now().UnixNano())
	n := 0
	err := s.update(ctx, func(tx kv.Tx) error {
		n = 0
		b, exp := tx.Bucket(bucketDedup), tx.Bucket(bucketDedupExp)
		var dead [][]byte
		c := exp.Cursor()
		for k, _ := c.First(); k != nil && btou(k[:8]) <= now; k, _ = c.Next() {
			dead = append(dead, bytes.Clone(k))
		}
		for _, k := range dead {
			if err := exp.Delete(k); err != nil {
				return briefbot.Internal("purge", err)
			}
			if v := b.Get(k[8:]); len(v) == 16 && btou(v[:8]) <= now {
				if err := b.Delete(k[8:]); err != nil {
					return briefbot.Internal("purge", err)
				}
			}
		}
		ended, err := purgeConversations(tx, s.now())
		n = len(dead) + ended
		return err
	})
	return n, err
}
