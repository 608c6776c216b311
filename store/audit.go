package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/briefbot/briefbot"
	bolt "go.etcd.io/bbolt"
)

func digest(e *briefbot.AuditEntry) (string, error) {
	c := *e
	c.Hash = ""
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func appendAudit(tx *bolt.Tx, e *briefbot.AuditEntry) error {
	b := tx.Bucket(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.Seq = seq
	e.Prev = string(tx.Bucket(bucketMeta).Get(keyAuditHead))
	if e.Hash, err = digest(e); err != nil {
		return err
	}
	buf, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := b.Put(u64(seq), buf); err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(keyAuditHead, []byte(e.Hash))
}

// Audit implements briefbot.AuditLog.
func (s *Store) Audit(ctx context.Context, fn func(briefbot.AuditEntry) bool) error {
	err := s.view(ctx, func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
			var e briefbot.AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return briefbot.Internal("decode audit entry", err)
			}
			if !fn(e) {
				return errStop
			}
			return nil
		})
	})
	if err == errStop {
		return nil
	}
	return err
}

var errStop = fmt.Errorf("stop")

// verifyAudit walks the chain and describes the first broken link, or returns "".
func verifyAudit(tx *bolt.Tx) string {
	prev := ""
	want := uint64(1)
	c := tx.Bucket(bucketAudit).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var e briefbot.AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Sprintf("audit entry %d: unreadable: %v", btou(k), err)
		}
		if e.Seq != btou(k) || e.Seq != want {
			return fmt.Sprintf("audit entry %d: out of sequence (expected %d): an entry was deleted or moved", btou(k), want)
		}
		if e.Prev != prev {
			return fmt.Sprintf("audit entry %d: does not follow the entry before it: an entry was deleted, reordered or changed", e.Seq)
		}
		if h, _ := digest(&e); h != e.Hash {
			return fmt.Sprintf("audit entry %d: contents do not match its hash: it was edited", e.Seq)
		}
		prev = e.Hash
		want++
	}
	if head := tx.Bucket(bucketMeta).Get(keyAuditHead); !bytes.Equal(head, []byte(prev)) {
		return "audit log: the last entry is not the recorded head: entries were removed from the end"
	}
	return ""
}

// AppendAudit implements briefbot.AuditLog.
func (s *Store) AppendAudit(ctx context.Context, e briefbot.AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	return s.update(ctx, func(tx *bolt.Tx) error {
		c := e
		if err := appendAudit(tx, &c); err != nil {
			return briefbot.Internal("audit", err)
		}
		return nil
	})
}

// VerifyAudit implements briefbot.AuditLog.
func (s *Store) VerifyAudit(ctx context.Context) (int, string, error) {
	n, problem := 0, ""
	err := s.view(ctx, func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketAudit).Stats().KeyN
		problem = verifyAudit(tx)
		return nil
	})
	return n, problem, err
}
