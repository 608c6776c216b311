package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/briefbot/briefbot"
	bolt "go.etcd.io/bbolt"
)

// AuditEntry is one line of the append-only audit log, written in the same transaction
// as the change it records. Entries are hash-chained: Hash covers the entry (with Hash
// empty) and Prev, the previous entry's Hash, so editing, deleting or reordering any
// entry breaks the chain from there on.
type AuditEntry struct {
	Seq        uint64            `json:"seq"`
	At         time.Time         `json:"at"`
	Actor      briefbot.MemberID `json:"actor"`
	OnBehalfOf briefbot.MemberID `json:"on_behalf_of,omitempty"`
	Action     string            `json:"action"`
	MatterID   uint64            `json:"matter_id,omitempty"`
	Number     string            `json:"number,omitempty"`
	From       string            `json:"from,omitempty"`
	To         string            `json:"to,omitempty"`
	Version    int               `json:"version,omitempty"`
	Detail     string            `json:"detail,omitempty"` // what else the event needs said, never matter content
	Prev       string            `json:"prev"`
	Hash       string            `json:"hash"`
}

func (e *AuditEntry) digest() (string, error) {
	c := *e
	c.Hash = ""
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func appendAudit(tx *bolt.Tx, e *AuditEntry) error {
	b := tx.Bucket(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	e.Seq = seq
	e.Prev = string(tx.Bucket(bucketMeta).Get(keyAuditHead))
	if e.Hash, err = e.digest(); err != nil {
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

// Audit calls fn for each audit entry in order, until fn returns false.
func (s *Store) Audit(fn func(AuditEntry) bool) error {
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
			var e AuditEntry
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
		var e AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return fmt.Sprintf("audit entry %d: unreadable: %v", btou(k), err)
		}
		if e.Seq != btou(k) || e.Seq != want {
			return fmt.Sprintf("audit entry %d: out of sequence (expected %d): an entry was deleted or moved", btou(k), want)
		}
		if e.Prev != prev {
			return fmt.Sprintf("audit entry %d: does not follow the entry before it: an entry was deleted, reordered or changed", e.Seq)
		}
		if h, _ := e.digest(); h != e.Hash {
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

// AppendAudit records an event that changes no matter (a restricted matter viewed, the
// config reloaded) in the audit chain, durably.
func (s *Store) AppendAudit(ctx context.Context, e AuditEntry) error {
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

// VerifyAudit walks the audit chain and returns how many entries it holds and the
// first broken link, described ("" when the chain is intact).
func (s *Store) VerifyAudit() (int, string, error) {
	n, problem := 0, ""
	err := s.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketAudit).Stats().KeyN
		problem = verifyAudit(tx)
		return nil
	})
	return n, problem, err
}
