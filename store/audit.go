package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store/kv"
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

func appendAudit(tx kv.Tx, e *briefbot.AuditEntry) error {
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
	err := s.view(ctx, func(tx kv.Tx) error {
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

// recordDigest is what an audit entry commits to of a matter: the SHA-256 of its
// record as stored. (A migration that rewrites records must append an entry for
// each, or verification will take them for edits.)
func recordDigest(stored []byte) string {
	sum := sha256.Sum256(stored)
	return hex.EncodeToString(sum[:])
}

// verifyAudit walks the chain, then checks every matter's record against the last
// entry about it, and the anchor (if any) against the chain.
func verifyAudit(tx kv.Tx, anchor briefbot.AuditAnchor) briefbot.AuditReport {
	var r briefbot.AuditReport
	r.Problem = func() string {
		type last struct {
			seq    uint64
			record string
		}
		records := map[uint64]last{} // matter id -> its last entry carrying a record
		audited := map[uint64]bool{} // matter ids with any entry
		prev := ""
		want := uint64(1)
		held := anchor.IsZero()
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
			if e.MatterID != 0 {
				audited[e.MatterID] = true
				if e.Record != "" {
					records[e.MatterID] = last{e.Seq, e.Record}
				}
			}
			held = held || anchor.Holds(e)
			prev = e.Hash
			want++
			r.Entries++
			r.Head = briefbot.AuditAnchor{Seq: e.Seq, Hash: e.Hash}
		}
		if head := tx.Bucket(bucketMeta).Get(keyAuditHead); !bytes.Equal(head, []byte(prev)) {
			return "audit log: the last entry is not the recorded head: entries were removed from the end"
		}
		if !held {
			return fmt.Sprintf("audit log: it does not hold the anchor %s: the chain was rewritten since that anchor was taken (its head is now %s)", anchor, r.Head)
		}
		c = tx.Bucket(bucketMatters).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			id := btou(k)
			l, ok := records[id]
			switch {
			case ok && l.record != recordDigest(v):
				return fmt.Sprintf("matter %d%s: its record does not match audit entry %d, which recorded it: it was edited outside the bot", id, numberOf(v), l.seq)
			case ok:
				r.Matters++
			case audited[id]:
				r.Legacy++
			default:
				return fmt.Sprintf("matter %d%s: no audit entry records it: it was added outside the bot", id, numberOf(v))
			}
		}
		return ""
	}()
	return r
}

// numberOf is " (NUMBER)" of a stored matter, for a message; "" if it has none.
func numberOf(stored []byte) string {
	m, err := summarize(stored)
	if err != nil || m.Number.IsZero() {
		return ""
	}
	return " (" + m.Number.String() + ")"
}

// AppendAudit implements briefbot.AuditLog.
func (s *Store) AppendAudit(ctx context.Context, e briefbot.AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	return s.update(ctx, func(tx kv.Tx) error {
		c := e
		if err := appendAudit(tx, &c); err != nil {
			return briefbot.Internal("audit", err)
		}
		return nil
	})
}

// VerifyAudit implements briefbot.AuditLog.
func (s *Store) VerifyAudit(ctx context.Context, anchor briefbot.AuditAnchor) (briefbot.AuditReport, error) {
	var r briefbot.AuditReport
	err := s.view(ctx, func(tx kv.Tx) error {
		r = verifyAudit(tx, anchor)
		return nil
	})
	return r, err
}

// AuditHead implements briefbot.AuditLog.
func (s *Store) AuditHead(ctx context.Context) (briefbot.AuditAnchor, error) {
	var a briefbot.AuditAnchor
	err := s.view(ctx, func(tx kv.Tx) error {
		b := tx.Bucket(bucketAudit)
		k, v := b.Cursor().Last()
		if k == nil {
			return nil
		}
		var e briefbot.AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return briefbot.Internal("decode audit entry", err)
		}
		a = briefbot.AuditAnchor{Seq: e.Seq, Hash: e.Hash}
		return nil
	})
	return a, err
}
