package store

import (
	"bytes"
	"context"
	"math"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store/kv"
)

// A group is one criterion of a filter that the index answers: the union of one or
// more index prefixes, each followed by a matter id.
type group [][]byte

// groups returns the criteria of f that the index answers, one group each; nil means
// none (every matter is a candidate). Whatever f asks besides (kinds without a year,
// visibility, the deadline) is checked on the decoded matter.
func groups(f *briefbot.Filter) []group {
	var gs []group
	one := func(kind, value string) { gs = append(gs, group{ixPrefix(kind, value)}) }
	if f.SignOffPending {
		one(ixSignOff, "")
	}
	if f.Submitter != "" {
		one(ixSubmitter, string(f.Submitter))
	}
	if f.Assignee != "" {
		one(ixAssignee, string(f.Assignee))
	}
	if f.Department != "" {
		one(ixDept, string(f.Department))
	}
	if len(f.Departments) > 0 {
		var g group
		for _, d := range f.Departments {
			g = append(g, ixPrefix(ixDept, string(d)))
		}
		gs = append(gs, g)
	}
	if f.Committee != "" {
		gs = append(gs, group{ixPrefix(ixTo, string(f.Committee)), ixPrefix(ixCC, string(f.Committee))})
	}
	if len(f.Statuses) > 0 {
		var g group
		for _, s := range f.Statuses {
			g = append(g, ixPrefix(ixStatus, string(s)))
		}
		gs = append(gs, g)
	}
	if f.Year != 0 {
		kinds := f.Kinds
		if len(kinds) == 0 {
			kinds = briefbot.Kinds
		}
		var g group
		for _, k := range kinds {
			g = append(g, ixPrefix(ixSeries, briefbot.Number{Kind: k, Year: f.Year}.Series()))
		}
		gs = append(gs, g)
	}
	return gs
}

// List implements briefbot.MatterFinder.
func (s *Store) List(ctx context.Context, f briefbot.Filter) (briefbot.Page, error) {
	f = f.Normalized()
	var p briefbot.Page
	err := s.view(ctx, func(tx kv.Tx) error {
		var next func() (uint64, bool)
		if !f.OverdueAt.IsZero() {
			next = mostOverdueFirst(tx, &f)
		} else {
			next = newestFirst(tx, groups(&f), f.After.ID)
		}
		var err error
		p, err = s.collect(tx, next, &f)
		return err
	})
	return p, err
}

// mostOverdueFirst returns a generator of the ids of matters whose current deadline
// is before f.OverdueAt, earliest deadline first, from the deadline index: the
// department's, the unit's or the committee's own if f names one, the ledger's
// otherwise. The filter's other indexed criteria are looked up in the index for each
// candidate, so a matter is decoded only when the index says it may match.
func mostOverdueFirst(tx kv.Tx, f *briefbot.Filter) func() (uint64, bool) {
	ix := tx.Bucket(bucketIndex)
	c := ix.Cursor()
	var prefix []byte
	rest := *f // the criteria the deadline keys read do not answer
	switch {
	case f.Department != "":
		prefix, rest.Department = ixPrefix(ixDueDept, string(f.Department)), ""
	case f.Assignee != "":
		prefix, rest.Assignee = ixPrefix(ixDueUnit, string(f.Assignee)), ""
	case f.Committee != "":
		prefix, rest.Committee = ixPrefix(ixDueTo, string(f.Committee)), ""
	default:
		prefix = []byte(ixDue + "\x00")
	}
	gs, probe := groups(&rest), ix.Cursor()
	limit := uint64(max(f.OverdueAt.Unix(), 0))
	start := prefix
	if !f.After.IsZero() { // the first key after the cursor's
		start = append(append(bytes.Clone(prefix), u64(uint64(max(f.After.Due.Unix(), 0)))...), u64(f.After.ID+1)...)
	}
	started := false
	return func() (uint64, bool) {
		for {
			var k []byte
			if !started {
				k, _ = c.Seek(start)
				started = true
			} else {
				k, _ = c.Next()
			}
			if len(k) != len(prefix)+16 || !bytes.HasPrefix(k, prefix) || btou(k[len(prefix):]) > limit {
				return 0, false
			}
			id := btou(k[len(prefix)+8:])
			if inAll(probe, gs, id) {
				return id, true
			}
		}
	}
}

// inAll reports whether the index (read through c) lists id under every group.
func inAll(c kv.Cursor, gs []group, id uint64) bool {
	var key []byte
	for _, g := range gs {
		found := false
		for _, p := range g {
			key = append(append(key[:0], p...), u64(id)...)
			if k, _ := c.Seek(key); bytes.Equal(k, key) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// collect reads candidates from next, keeps those f accepts, and cuts the page. It
// reads each candidate's summary, not the whole matter.
func (s *Store) collect(tx kv.Tx, next func() (uint64, bool), f *briefbot.Filter) (briefbot.Page, error) {
	var p briefbot.Page
	skip, limit := f.Offset, f.Limit
	for id, ok := next(); ok; id, ok = next() {
		sm, err := summaryOf(tx, id)
		if err != nil {
			return p, err
		}
		if !f.Accepts(sm.Matter()) {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		if len(p.Matters) == limit {
			p.More = true
			p.Next = cursorOf(p.Matters[limit-1], f)
			break
		}
		p.Matters = append(p.Matters, sm)
	}
	return p, nil
}

// summaryOf reads the summary of the matter stored under id.
func summaryOf(tx kv.Tx, id uint64) (*briefbot.Summary, error) {
	_, rec, err := record(tx, briefbot.RefID(id))
	if err != nil {
		return nil, err
	}
	return summarize(rec)
}

// cursorOf is the cursor of a page of f that ended with m.
func cursorOf(m *briefbot.Summary, f *briefbot.Filter) briefbot.Cursor {
	c := briefbot.Cursor{ID: m.ID}
	if !f.OverdueAt.IsZero() {
		c.Due = m.DueAt()
	}
	return c
}

// newestFirst returns a generator of the ids below before (0: all) of the matters
// listed under every group, newest first, or of all matters if there are no groups. Several groups are
// intersected by leapfrogging: each in turn skips to the newest id at most the
// others' candidate, so the walk costs about as many steps as the smallest group has
// entries, and a group with none ends it at once. No matter is decoded on the way.
func newestFirst(tx kv.Tx, gs []group, before uint64) func() (uint64, bool) {
	if before == 0 {
		before = math.MaxUint64
	}
	if len(gs) == 0 {
		c := tx.Bucket(bucketMatters).Cursor()
		started := false
		return func() (uint64, bool) {
			var k []byte
			if !started {
				if k, _ = c.Seek(u64(before)); k == nil {
					k, _ = c.Last()
				} else {
					k, _ = c.Prev()
				}
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
	unions := make([]*union, len(gs))
	for i, g := range gs {
		unions[i] = newUnion(tx, g)
	}
	x, done := before-1, before == 1
	return func() (uint64, bool) {
		if done {
			return 0, false
		}
		for agreed, i := 0, 0; agreed < len(unions); i = (i + 1) % len(unions) {
			y, ok := unions[i].atMost(x)
			if !ok {
				done = true
				return 0, false
			}
			if y == x {
				agreed++
			} else {
				x, agreed = y, 1
			}
		}
		id := x
		if id == 0 {
			done = true
		} else {
			x = id - 1
		}
		return id, true
	}
}

// A union walks the ids under a group's prefixes downwards.
type union struct {
	heads []*head
}

// A head is one prefix's cursor and the id it stands on.
type head struct {
	c      kv.Cursor
	prefix []byte
	id     uint64
	ok     bool
}

func newUnion(tx kv.Tx, g group) *union {
	u := &union{}
	for _, p := range g {
		h := &head{c: tx.Bucket(bucketIndex).Cursor(), prefix: p}
		// Stand on the last key with the prefix: seek past it, then step back.
		end := append(bytes.Clone(p[:len(p)-1]), 1)
		k, _ := h.c.Seek(end)
		if k == nil {
			k, _ = h.c.Last()
		} else {
			k, _ = h.c.Prev()
		}
		h.id, h.ok = idOf(k, p)
		u.heads = append(u.heads, h)
	}
	return u
}

// atMost returns the newest id at most x under any of the union's prefixes. The
// heads only move down: a few steps back, then a seek if the id is still too new.
func (u *union) atMost(x uint64) (uint64, bool) {
	best, found := uint64(0), false
	for _, h := range u.heads {
		for step := 0; h.ok && h.id > x; step++ {
			var k []byte
			if step < 4 {
				k, _ = h.c.Prev()
			} else {
				k, _ = h.c.Seek(append(bytes.Clone(h.prefix), u64(x+1)...))
				if k == nil {
					k, _ = h.c.Last()
				} else {
					k, _ = h.c.Prev()
				}
			}
			h.id, h.ok = idOf(k, h.prefix)
		}
		if h.ok && (!found || h.id > best) {
			best, found = h.id, true
		}
	}
	return best, found
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
			cd, err := s.candidate(tx, btou(k[11:]))
			if err != nil {
				return err
			}
			if !fn(cd.m) {
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
		next := newestFirst(tx, groups(&f), f.After.ID)
		for id, ok := next(); ok; id, ok = next() {
			cd, err := s.candidate(tx, id)
			if err != nil {
				return err
			}
			if f.Accepts(cd.m) && !fn(cd.m) {
				return nil
			}
		}
		return nil
	})
}
