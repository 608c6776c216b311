package store

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/briefbot/briefbot"
	bolt "go.etcd.io/bbolt"
)

// Filter selects matters. Empty fields select everything; set fields must all match.
type Filter struct {
	Statuses   []briefbot.Status // any of these
	Kinds      []briefbot.Kind   // any of these
	Department string            // submitting department
	Committee  string            // addressee or copied
	Submitter  briefbot.MemberID
	Assignee   string // lead or assisting unit of the assignment
	Year       int    // ledger year
	// Match, if set, must also accept the matter (for example: may this member see it).
	Match func(*briefbot.Matter) bool

	Offset int // matches to skip
	Limit  int // at most this many (default 20, at most 500)
}

// Page is one page of matters, newest first, and whether more follow.
type Page struct {
	Matters []*briefbot.Matter
	More    bool
}

func (f *Filter) limit() int {
	switch {
	case f.Limit <= 0:
		return 20
	case f.Limit > 500:
		return 500
	}
	return f.Limit
}

func (f *Filter) accepts(m *briefbot.Matter) bool {
	if len(f.Statuses) > 0 && !slices.Contains(f.Statuses, m.Status) {
		return false
	}
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, m.Kind) {
		return false
	}
	if f.Department != "" && m.Department != f.Department {
		return false
	}
	if f.Committee != "" && m.Addressee != f.Committee && !slices.Contains(m.Copied, f.Committee) {
		return false
	}
	if f.Submitter != "" && m.Submitter != f.Submitter {
		return false
	}
	if f.Assignee != "" && (m.Assignment == nil || (m.Assignment.Lead != f.Assignee && !slices.Contains(m.Assignment.Assisting, f.Assignee))) {
		return false
	}
	if f.Year != 0 && m.Number.Year != f.Year {
		return false
	}
	return f.Match == nil || f.Match(m)
}

// prefixes returns the index prefixes whose union holds every matter f can select,
// choosing the narrowest criterion; nil means scan all matters.
func (f *Filter) prefixes() [][]byte {
	switch {
	case f.Submitter != "":
		return [][]byte{ixPrefix(ixSubmitter, string(f.Submitter))}
	case f.Assignee != "":
		return [][]byte{ixPrefix(ixAssignee, f.Assignee)}
	case f.Department != "":
		return [][]byte{ixPrefix(ixDept, f.Department)}
	case f.Committee != "":
		return [][]byte{ixPrefix(ixTo, f.Committee), ixPrefix(ixCC, f.Committee)}
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

// List returns a page of the matters f selects, newest first.
func (s *Store) List(f Filter) (Page, error) {
	var p Page
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		p, err = collect(tx, newestFirst(tx, f.prefixes()), &f)
		return err
	})
	return p, err
}

// Awaiting lists requests and reports before the committee not yet read or instructed,
// newest first, narrowed further by f.
func (s *Store) Awaiting(f Filter) (Page, error) {
	f.Statuses = []briefbot.Status{briefbot.StatusSubmitted, briefbot.StatusRegistered, briefbot.StatusReviewed, briefbot.StatusProposed, briefbot.StatusPresented}
	if len(f.Kinds) == 0 {
		f.Kinds = []briefbot.Kind{briefbot.KindRequest, briefbot.KindReport}
	}
	return s.List(f)
}

// Overdue lists the matters whose current deadline (briefbot.Matter.DueAt) had passed
// at asOf, most overdue first, narrowed further by f.
func (s *Store) Overdue(asOf time.Time, f Filter) (Page, error) {
	var p Page
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketIndex).Cursor()
		prefix := []byte(ixDue + "\x00")
		limit := uint64(max(asOf.Unix(), 0))
		next := func() (uint64, bool) {
			var k []byte
			if prefix != nil {
				k, _ = c.Seek(prefix)
				prefix = nil
			} else {
				k, _ = c.Next()
			}
			if len(k) != 3+16 || !bytes.HasPrefix(k, []byte(ixDue+"\x00")) || btou(k[3:11]) > limit {
				return 0, false
			}
			return btou(k[11:]), true
		}
		match := f.Match
		f.Match = func(m *briefbot.Matter) bool { return m.Overdue(asOf) && (match == nil || match(m)) }
		var err error
		p, err = collect(tx, next, &f)
		return err
	})
	return p, err
}

// Search lists the matters whose title contains every word of query (case, width and
// white space ignored), newest first, narrowed further by f.
func (s *Store) Search(query string, f Filter) (Page, error) {
	var words [][]byte
	for _, w := range strings.Fields(query) {
		if fw := foldTitle(w); fw != "" {
			words = append(words, []byte(fw))
		}
	}
	if len(words) == 0 {
		return Page{}, briefbot.Errorf(briefbot.EINVALID, "empty_query", briefbot.Text{ZH: "请输入要查找的词语。", EN: "Give some words to find."})
	}
	var p Page
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketTitles).Cursor()
		started := false
		next := func() (uint64, bool) {
			for {
				var k, v []byte
				if !started {
					k, v = c.Last()
					started = true
				} else {
					k, v = c.Prev()
				}
				if k == nil {
					return 0, false
				}
				ok := true
				for _, w := range words {
					if !bytes.Contains(v, w) {
						ok = false
						break
					}
				}
				if ok {
					return btou(k), true
				}
			}
		}
		var err error
		p, err = collect(tx, next, &f)
		return err
	})
	return p, err
}

// collect reads candidates from next, keeps those f accepts, and cuts the page.
func collect(tx *bolt.Tx, next func() (uint64, bool), f *Filter) (Page, error) {
	var p Page
	skip, limit := max(f.Offset, 0), f.limit()
	for id, ok := next(); ok; id, ok = next() {
		m, err := getTx(tx, id)
		if err != nil {
			return p, err
		}
		if !f.accepts(m) {
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
func newestFirst(tx *bolt.Tx, prefixes [][]byte) func() (uint64, bool) {
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
		c      *bolt.Cursor
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

// EachDue calls fn for every matter whose current deadline (briefbot.Matter.DueAt) is
// at or after from and before t, earliest deadline first, until fn returns false. It
// reads the deadline index only: matters without a deadline, or with one outside the
// range, cost nothing.
func (s *Store) EachDue(from, before time.Time, fn func(*briefbot.Matter) bool) error {
	return s.db.View(func(tx *bolt.Tx) error {
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
