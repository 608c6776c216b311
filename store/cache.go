package store

import (
	"bytes"
	"container/list"
	"sync"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store/kv"
)

// cacheSize is how many decoded matters a store keeps: the recent matters that cards
// and buttons read over and over (lists read summaries, not whole matters). About 5 KB
// each (the record and its decoded form).
const cacheSize = 512

// matterCache keeps recently read matters decoded, each with the record it was
// decoded from. A read whose record is byte for byte the one kept gets a copy of the
// decoded matter instead of decoding again; so the cache can never answer with
// anything but what the transaction reads: a matter changed, on this replica or
// another, has another record. The zero value is ready.
type matterCache struct {
	mu    sync.Mutex
	byID  map[uint64]*list.Element // of *cached
	order list.List                // most recently used first
}

type cached struct {
	id  uint64
	rec []byte
	m   *briefbot.Matter // never handed out: callers get clones
}

// get returns the matter whose record is rec: a copy of the one kept, or decoded now
// (and then not kept: see keep).
func (c *matterCache) get(id uint64, rec []byte) (m *briefbot.Matter, hit bool, err error) {
	c.mu.Lock()
	if e, ok := c.byID[id]; ok {
		if x := e.Value.(*cached); bytes.Equal(x.rec, rec) {
			c.order.MoveToFront(e)
			c.mu.Unlock()
			return x.m.Clone(), true, nil
		}
	}
	c.mu.Unlock()
	m, err = decode(rec)
	return m, false, err
}

// keep keeps m, decoded from rec, in place of what was kept for its id, pushing out
// the least recently read matter if the cache is full. m is copied: the caller keeps
// its own.
func (c *matterCache) keep(id uint64, rec []byte, m *briefbot.Matter) {
	x := &cached{id: id, rec: bytes.Clone(rec), m: m.Clone()}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID == nil {
		c.byID = make(map[uint64]*list.Element, cacheSize)
	}
	if e, ok := c.byID[id]; ok {
		e.Value = x
		c.order.MoveToFront(e)
		return
	}
	c.byID[id] = c.order.PushFront(x)
	if c.order.Len() > cacheSize {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byID, last.Value.(*cached).id)
	}
}

// record returns the stored record of the matter ref names, and its id.
func record(tx kv.Tx, ref briefbot.Ref) (uint64, []byte, error) {
	id := ref.ID
	if !ref.Number.IsZero() {
		v := tx.Bucket(bucketNumbers).Get([]byte(ref.Number.String()))
		if v == nil {
			return 0, nil, briefbot.NotFound(ref)
		}
		id = btou(v)
	}
	v := tx.Bucket(bucketMatters).Get(u64(id))
	if v == nil {
		return 0, nil, briefbot.NotFound(ref)
	}
	return id, v, nil
}

// read returns the matter ref names as tx sees it, through the cache, and keeps it.
func (s *Store) read(tx kv.Tx, ref briefbot.Ref) (*briefbot.Matter, error) {
	id, rec, err := record(tx, ref)
	if err != nil {
		return nil, err
	}
	m, hit, err := s.cache.get(id, rec)
	if err == nil && !hit {
		s.cache.keep(id, rec, m)
	}
	return m, err
}

// candidate is read for a matter a scan looks at (for a briefing, a report, a
// search that must read the texts): through the cache, but not kept, so that a scan
// over many matters pushes nothing out.
type candidate struct {
	id  uint64
	rec []byte
	m   *briefbot.Matter
	hit bool
}

func (s *Store) candidate(tx kv.Tx, id uint64) (candidate, error) {
	_, rec, err := record(tx, briefbot.RefID(id))
	if err != nil {
		return candidate{}, err
	}
	m, hit, err := s.cache.get(id, rec)
	return candidate{id: id, rec: rec, m: m, hit: hit}, err
}
