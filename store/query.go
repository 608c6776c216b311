package store

import (
	"bytes"
	"context"
	"sort"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store/kv"
)

// prefixes returns the index prefixes whose union holds every matter f can select,
// choosing the narrowest criterion; nil means scan all matters.
func prefixes(f *briefbot.Filter) [][]byte {
	switch {
	case f.SignOffPending:
		return [][]byte{ixPrefix(ixSignOff, "")}
	case f.Submitter != "":
		return [][]byte{ixPrefix(ixSubmitter, string(f.Submitter))}
	case f.Assignee != "":
		return [][]byte{ixPrefix(ixAssignee, string(f.Assignee))}
	case f.Department != "":
		return [][]byte{ixPrefix(ixDept, string(f.Department))}
	case f.Committee != "":
		return [][]byte{ixPrefix(ixTo, string(f.Committee)), ixPrefix(ixCC, string(f.Committee))}
	case len(f.Statuses) > 0:
		var ps [][]byte
		for _, s := range f.Statuses {
			ps = append(ps, ixPrefix(ixStatus, string(s)))
		}
		return ps
	case f.Year != 0 && len(f.Kinds) > 0:
		var ps [][]byte
		for _, k := range f.Kinds {
			ps = append(ps, ixPrefix(ixSeries, briefbot.Number{Kind: k, Year: f.Year}.Series()))
		}
		return ps
	}
	return nil
}

// List implements briefbot.MatterFinder.
func (s *Store) List(ctx context.Context, f briefbot.Filter) (briefbot.Page, error) {
	f = f.Normalized()
	var p briefbot.Page
	err := s.view(ctx, func(tx kv.Tx) error {
		next := newestFirst(tx, prefixes(&f))
		if !f.OverdueAt.IsZero() {
			next = mostOverdueFirst(tx, f.OverdueAt)
		}
		var err error
		p, err = collect(tx, next, &f)
		return err
	})
	return p, err
}

// mostOverdueFirst returns a generator of the ids of matters whose current deadline
// is before asOf, earliest deadline first, from the deadline index.
func mostOverdueFirst(tx kv.Tx, asOf time.Time) func() (uint64, bool) {
	c := tx.Bucket(bucketIndex).Cursor()
	prefix := []byte(ixDue + "\x00")
	limit := uint64(max(asOf.Unix(), 0))
	started := false
	return func() (uint64, bool) {
		var k []byte
		if !started {
			k, _ = c.Seek(prefix)
			started = true
		} else {
			k, _ = c.Next()
		}
		if len(k) != 3+16 || !bytes.HasPrefix(k, prefix) || btou(k[3:11]) > limit {
			return 0, false
		}
		return btou(k[11:]), true
	}
}

// collect reads candidates from next, keeps those f accepts, and cuts the page.
func collect(tx kv.Tx, next func() (uint64, bool), f *briefbot.Filter) (briefbot.Page, error) {
	var p briefbot.Page
	skip, limit := f.Offset, f.Limit
	for id, ok := next(); ok; id, ok = next() {
		m, err := getTx(tx, id)
		if err != nil {
			return p, err
		}
		if !f.Accepts(m) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		if len(p.Matters) == limit {
			p.More = true
			break
		}
		p.Matters = append(p.Matters, m)
	}
	return p, nil
}

// newestFirst returns a generator of matter IDs, newest first, from the union of the
// given index prefixes (without repeats), or from all matters if there are none.
func newestFirst(tx kv.Tx, prefixes [][]byte) func() (uint64, bool) {
	if prefixes == nil {
		c := tx.Bucket(bucketMatters).Cursor()
		started := false
		return func() (uint64, bool) {
			var k []byte
			if !started {
				k, _ = c.Last()
				started = true
			} else {
				k, _ = c.Prev()
			}
			if k == nil {
				return 0, false
			}
			return btou(k), true
		}
	}
	type head struct {
		c      kv.Cursor
		prefix []byte
		id     uint64
		ok     bool
	}
	heads := make([]*head, len(prefixes))
	for i, p := range prefixes {
		h := &head{c: tx.Bucket(bucketIndex).Cursor(), prefix: p}
		// Position on the last key with the prefix: seek past it, then step back.
		end := append(bytes.Clone(p[:len(p)-1]), 1)
		k, _ := h.c.Seek(end)
		if k == nil {
			k, _ = h.c.Last()
		} else {
			k, _ = h.c.Prev()
		}
		h.id, h.ok = idOf(k, p)
		heads[i] = h
	}
	last := uint64(0)
	return func() (uint64, bool) {
		for {
			sort.Slice(heads, func(i, j int) bool { return heads[i].ok && (!heads[j].ok || heads[i].id > heads[j].id) })
			h := heads[0]
			if !h.ok {
				return 0, false
			}
			id := h.id
			k, _ := h.c.Prev()
			h.id, h.ok = idOf(k, h.prefix)
			if id != last { // a matter copied to and addressed to the same committee appears once
				last = id
				return id, true
			}
		}
	}
}

func idOf(k, prefix []byte) (uint64, bool) {
	if k == nil || !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+8 {
		return 0, false
	}
	return btou(k[len(prefix):]), true
}

// EachDue implements briefbot.MatterFinder. It reads the deadline index only: matters
// without a deadline, or with one outside the range, cost nothing.
func (s *Store) EachDue(ctx context.Context, from, before time.Time, fn func(*briefbot.Matter) bool) error {
	return s.view(ctx, func(tx kv.Tx) error {
		c := tx.Bucket(bucketIndex).Cursor()
		prefix := []byte(ixDue + "\x00")
		limit := uint64(max(before.Unix(), 0))
		for k, _ := c.Seek(dueKey(from, 0)); k != nil && bytes.HasPrefix(k, prefix) && len(k) == 3+16; k, _ = c.Next() {
			if btou(k[3:11]) >= limit {
				return nil
			}
			m, err := getTx(tx, btou(k[11:]))
			if err != nil {
				return err
			}
			if !fn(m) {
				return nil
			}
		}
		return nil
	})
}

// Each implements briefbot.MatterFinder. It reads one consistent snapshot.
func (s *Store) Each(ctx context.Context, f briefbot.Filter, fn func(*briefbot.Matter) bool) error {
	f = f.Normalized()
	return s.view(ctx, func(tx kv.Tx) error {
		next := newestFirst(tx, prefixes(&f))
		for id, ok := next(); ok; id, ok = next() {
			m, err := getTx(tx, id)
			if err != nil {
				return err
			}
			if f.Accepts(m) && !fn(m) {
				return nil
			}
		}
		return nil
	})
}
