package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"maps"
	"math"
	"math/bits"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store/kv"
)

// The search index (bucket "search") maps each term (terms.go) to the matters holding
// it, in blocks of 1,024 consecutive matter ids:
//
//	<term>\0<block (4 bytes BE)> -> the offsets in the block (id & 1023) of the
//	                                matters with the term
//
// A block's value is a sorted list of 2-byte offsets while it holds at most
// maxListed of them, and a 128-byte bitmap beyond (every value of 128 bytes is a
// bitmap). A term's blocks read backwards list its matters newest first; a query of
// several terms walks the blocks all of them have (a leapfrog join, led by the rarest)
// and ANDs their bitmaps. The index is written by reindex, in the transaction that
// writes the matter; a change writes only the terms it adds or removes.
const (
	blockBits = 10
	blockSize = 1 << blockBits
	bitmapLen = blockSize / 8
	maxListed = bitmapLen/2 - 1
)

var bucketSearch = []byte("search")

func postingKey(term string, block uint32) []byte {
	k := make([]byte, 0, len(term)+5)
	k = append(k, term...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint32(k, block)
}

// bitmap is one block of a term's postings.
type bitmap [blockSize / 64]uint64

func (b *bitmap) set(off uint16)      { b[off/64] |= 1 << (off % 64) }
func (b *bitmap) clear(off uint16)    { b[off/64] &^= 1 << (off % 64) }
func (b *bitmap) has(off uint16) bool { return b[off/64]&(1<<(off%64)) != 0 }

func (b *bitmap) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// decode reads a stored block into b.
func (b *bitmap) decode(v []byte) {
	*b = bitmap{}
	if len(v) == bitmapLen {
		for i := range b {
			b[i] = binary.LittleEndian.Uint64(v[i*8:])
		}
		return
	}
	for i := 0; i+1 < len(v); i += 2 {
		b.set(binary.BigEndian.Uint16(v[i:]) & (blockSize - 1))
	}
}

// encode returns the stored form of b (nil when empty), a new slice each time: the
// engine may keep it until the transaction ends.
func (b *bitmap) encode() []byte {
	n := b.count()
	if n == 0 {
		return nil
	}
	if n > maxListed {
		v := make([]byte, bitmapLen)
		for i, w := range b {
			binary.LittleEndian.PutUint64(v[i*8:], w)
		}
		return v
	}
	v := make([]byte, 0, 2*n)
	for i, w := range b {
		for w != 0 {
			t := bits.TrailingZeros64(w)
			v = binary.BigEndian.AppendUint16(v, uint16(i*64+t))
			w &^= 1 << t
		}
	}
	return v
}

// indexSearch updates the search index from old (nil for a new matter) to m.
func indexSearch(tx kv.Tx, old, m *briefbot.Matter) error {
	if old != nil && sameSearchText(old, m) {
		return nil
	}
	now := matterTerms(m)
	var was map[string]struct{}
	if old != nil {
		was = matterTerms(old)
	}
	b := tx.Bucket(bucketSearch)
	for t := range was {
		if _, ok := now[t]; !ok {
			if err := updatePosting(b, t, m.ID, false); err != nil {
				return err
			}
		}
	}
	for t := range now {
		if _, ok := was[t]; !ok {
			if err := updatePosting(b, t, m.ID, true); err != nil {
				return err
			}
		}
	}
	return nil
}

func updatePosting(b kv.Bucket, term string, id uint64, add bool) error {
	k := postingKey(term, uint32(id>>blockBits))
	off := uint16(id & (blockSize - 1))
	if g, ok := b.(*searchBlocks); ok { // written once, at the transaction's end
		bm := g.blocks[string(k)]
		if bm == nil {
			bm = new(bitmap)
			bm.decode(g.Bucket.Get(k))
			g.blocks[string(k)] = bm
		}
		if add {
			bm.set(off)
		} else {
			bm.clear(off)
		}
		return nil
	}
	var bm bitmap
	bm.decode(b.Get(k))
	if add {
		bm.set(off)
	} else {
		bm.clear(off)
	}
	if v := bm.encode(); v != nil {
		return b.Put(k, v)
	}
	return b.Delete(k)
}

// searchTx is a write transaction that gathers the changes to the search index of
// every write in it, and writes each block it changed once, when flushed: the writes
// of one group commit are mostly consecutive matters, which share the blocks of
// their common terms.
type searchTx struct {
	kv.Tx
	blocks *searchBlocks
}

// searchBlocks is the search bucket of a searchTx with the blocks changed so far.
type searchBlocks struct {
	kv.Bucket
	blocks map[string]*bitmap
}

// gatherSearch wraps tx so that its search index changes are gathered until flush.
func gatherSearch(tx kv.Tx) *searchTx {
	return &searchTx{Tx: tx, blocks: &searchBlocks{Bucket: tx.Bucket(bucketSearch), blocks: map[string]*bitmap{}}}
}

// Bucket returns the search bucket that gathers the changes, any other as it is.
func (t *searchTx) Bucket(name []byte) kv.Bucket {
	if bytes.Equal(name, bucketSearch) {
		return t.blocks
	}
	return t.Tx.Bucket(name)
}

// flush writes the blocks changed, in key order.
func (t *searchTx) flush() error {
	b := t.blocks
	for _, k := range slices.Sorted(maps.Keys(b.blocks)) {
		var err error
		if v := b.blocks[k].encode(); v != nil {
			err = b.Bucket.Put([]byte(k), v)
		} else {
			err = b.Bucket.Delete([]byte(k))
		}
		if err != nil {
			return briefbot.Internal("index", err)
		}
	}
	clear(b.blocks)
	return nil
}

// sameSearchText reports whether a and b are found by the same terms.
func sameSearchText(a, b *briefbot.Matter) bool {
	return a.Number == b.Number && a.FollowUpOf == b.FollowUpOf && slices.Equal(a.Related, b.Related) &&
		slices.Equal(searchFields(a), searchFields(b))
}

// Search implements briefbot.MatterFinder: the matters holding every word of query in
// their title, body, request, category, 批示 or feedback texts (see terms.go for what a
// word is), or whose ledger number (or related matter's) a word is, newest first.
// Page.Matched lists the words as searched.
func (s *Store) Search(ctx context.Context, query string, f briefbot.Filter) (briefbot.Page, error) {
	f = f.Normalized()
	words, err := parseQuery(query)
	if err != nil {
		return briefbot.Page{}, err
	}
	var terms []string
	var runs [][]string // words whose pairs do not prove them: checked on the matter
	var p briefbot.Page
	for _, w := range words {
		for _, t := range w.terms {
			if !slices.Contains(terms, t) {
				terms = append(terms, t)
			}
		}
		if len(w.units) > 2 {
			runs = append(runs, w.units)
		}
		if !slices.Contains(p.Matched, w.shown) {
			p.Matched = append(p.Matched, w.shown)
		}
	}
	err = s.view(ctx, func(tx kv.Tx) error {
		next := postings(tx, terms)
		skip := f.Offset
		for id, ok := next(); ok; id, ok = next() {
			if !f.After.IsZero() && id >= f.After.ID {
				continue // before the cursor: not read
			}
			var sm *briefbot.Summary
			var whole *briefbot.Matter // read only when words must be looked for in the texts
			var err error
			if len(runs) > 0 {
				c, err := s.candidate(tx, id)
				if err != nil {
					return err
				}
				whole, sm = c.m, c.m.Summary()
			} else if sm, err = summaryOf(tx, id); err != nil {
				return err
			}
			if !f.Accepts(sm.Matter()) || whole != nil && !holdsRuns(whole, runs) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			if len(p.Matters) == f.Limit {
				p.More = true
				p.Next = briefbot.Cursor{ID: p.Matters[f.Limit-1].ID}
				break
			}
			p.Matters = append(p.Matters, sm)
		}
		return nil
	})
	return p, err
}

// holdsRuns reports whether every run of units stands in a row in one of m's fields.
// The fields are read in order, title first, until every run is found.
func holdsRuns(m *briefbot.Matter, runs [][]string) bool {
	if len(runs) == 0 {
		return true
	}
	found := make([]bool, len(runs))
	left := len(runs)
	buf := make([]byte, 0, 1024)
	spans := make([]span, 0, 256)
	for _, text := range searchFields(m) {
		var f string
		f, spans = fold(buf, spans[:0], text)
		for i, r := range runs {
			if !found[i] && inRow(f, spans, r) {
				found[i] = true
				if left--; left == 0 {
					return true
				}
			}
		}
	}
	return false
}

// termBlocks walks one term's blocks backwards.
type termBlocks struct {
	c      kv.Cursor
	prefix []byte
	block  uint32
	value  []byte
	ok     bool
}

// atMost positions t on its last block not after block.
func (t *termBlocks) atMost(block uint32) {
	if t.ok && t.block <= block {
		return
	}
	var k, v []byte
	if t.ok { // usually the block just before, when t leads the walk
		k, v = t.c.Prev()
		t.set(k, v)
		if !t.ok || t.block <= block {
			return
		}
	}
	if block == math.MaxUint32 {
		k, v = t.c.Seek(append(bytes.Clone(t.prefix[:len(t.prefix)-1]), 1))
	} else {
		k, v = t.c.Seek(binary.BigEndian.AppendUint32(bytes.Clone(t.prefix), block+1))
	}
	if k == nil {
		k, v = t.c.Last()
	} else {
		k, v = t.c.Prev()
	}
	t.set(k, v)
}

func (t *termBlocks) set(k, v []byte) {
	t.ok = k != nil && bytes.HasPrefix(k, t.prefix) && len(k) == len(t.prefix)+4
	if t.ok {
		t.block, t.value = binary.BigEndian.Uint32(k[len(t.prefix):]), v
	}
}

// join walks the blocks every term has, backwards.
type join struct {
	ts     []*termBlocks
	target uint32 // the next block is at most this
	end    bool
}

// next moves every term to the last block all of them have at or before the target
// and returns it.
func (j *join) next() (uint32, bool) {
	for !j.end && len(j.ts) > 0 {
		low := j.target
		for _, t := range j.ts {
			t.atMost(j.target)
			if !t.ok {
				j.end = true
				return 0, false
			}
			low = min(low, t.block)
		}
		if allAt(j.ts, low) {
			j.end = low == 0
			j.target = low - 1
			return low, true
		}
		j.target = low
	}
	return 0, false
}

func allAt(ts []*termBlocks, block uint32) bool {
	for _, t := range ts {
		if t.block != block {
			return false
		}
	}
	return true
}

// postings returns a generator of the ids of the matters holding every term, newest
// first.
func postings(tx kv.Tx, terms []string) func() (uint64, bool) {
	j := &join{target: math.MaxUint32}
	b := tx.Bucket(bucketSearch)
	for _, t := range terms {
		j.ts = append(j.ts, &termBlocks{c: b.Cursor(), prefix: append([]byte(t), 0)})
	}
	var cur, other bitmap
	var block uint32
	pos := -1 // the next offset of cur to look at, downwards
	return func() (uint64, bool) {
		for {
			for ; pos >= 0; pos-- {
				if w := cur[pos/64] & (1<<(pos%64+1) - 1); w == 0 {
					pos -= pos % 64 // nothing at or below pos in this word
					continue
				}
				if off := uint16(pos); cur.has(off) {
					pos--
					return uint64(block)<<blockBits | uint64(off), true
				}
			}
			var ok bool
			if block, ok = j.next(); !ok {
				return 0, false
			}
			cur.decode(j.ts[0].value)
			for _, t := range j.ts[1:] {
				other.decode(t.value)
				for i := range cur {
					cur[i] &= other[i]
				}
			}
			pos = blockSize - 1
		}
	}
}

// blockTerms gathers the terms of the matters of one block, in id order: to build the
// index of a ledger that has none, and to check the index.
type blockTerms struct {
	block uint32
	terms map[string]*bitmap
	keys  int // keys flushed so far
	flush func(term string, block uint32, bm *bitmap) error
	buf   []byte // for folding each text, reused
	spans []span
	off   uint16 // of the matter being added, in its block
	setFn func(string)
}

func newBlockTerms(flush func(term string, block uint32, bm *bitmap) error) *blockTerms {
	bt := &blockTerms{terms: map[string]*bitmap{}, flush: flush, buf: make([]byte, 0, 4096), spans: make([]span, 0, 512)}
	bt.setFn = bt.set
	return bt
}

// add takes m's terms (those of matterTerms, without gathering them in a set first:
// a term met twice is set twice); matters come in id order.
func (bt *blockTerms) add(m *briefbot.Matter) error {
	if b := uint32(m.ID >> blockBits); b != bt.block {
		if err := bt.done(); err != nil {
			return err
		}
		bt.block = b
	}
	bt.off = uint16(m.ID & (blockSize - 1))
	for _, text := range searchFields(m) {
		var f string
		f, bt.spans = fold(bt.buf, bt.spans[:0], text)
		eachTerm(f, bt.spans, bt.setFn)
	}
	eachNumberTerm(m, bt.setFn)
	return nil
}

// set marks term as held by the matter being added.
func (bt *blockTerms) set(term string) {
	bm := bt.terms[term]
	if bm == nil {
		bm = new(bitmap)
		bt.terms[strings.Clone(term)] = bm // not the matter's whole text with it
	}
	bm.set(bt.off)
}

// done flushes the block gathered.
func (bt *blockTerms) done() error {
	for t, bm := range bt.terms {
		bt.keys++
		if err := bt.flush(t, bt.block, bm); err != nil {
			return err
		}
	}
	clear(bt.terms)
	return nil
}

// migrateSearch builds the search index of a ledger that has none (schema 3 to 4) and
// drops the folded titles it replaces. The index is gathered in memory and written in
// key order: bbolt splits its pages only at commit, so keys put in random order into
// one transaction would make every put move a growing page.
func migrateSearch(tx *bolt.Tx) error {
	if tx.Bucket(bucketTitles) != nil {
		if err := tx.DeleteBucket(bucketTitles); err != nil {
			return err
		}
	}
	sb, err := tx.CreateBucketIfNotExists(bucketSearch)
	if err != nil {
		return err
	}
	type block struct {
		n uint32
		v []byte
	}
	index := map[string][]block{}
	bt := newBlockTerms(func(term string, n uint32, bm *bitmap) error {
		index[term] = append(index[term], block{n, bm.encode()})
		return nil
	})
	err = tx.Bucket(bucketMatters).ForEach(func(k, v []byte) error {
		m, err := decode(v)
		if err != nil {
			return err
		}
		return bt.add(m)
	})
	if err == nil {
		err = bt.done()
	}
	if err != nil {
		return err
	}
	sb.FillPercent = 0.9 // written in order: pages nearly full
	for _, t := range slices.Sorted(maps.Keys(index)) {
		for _, b := range index[t] { // blocks in id order
			if err := sb.Put(postingKey(t, b.n), b.v); err != nil {
				return err
			}
		}
	}
	return nil
}

// bucketTitles held each matter's folded title (schema 3 and before), which search
// scanned; the search index replaced it.
var bucketTitles = []byte("titles")
