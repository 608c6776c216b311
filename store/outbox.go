package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/briefbot/briefbot"
	bolt "go.etcd.io/bbolt"
)

// Outbox buckets.
var (
	bucketDispatch     = []byte("dispatch")      // id -> Dispatch JSON
	bucketDispatchOpen = []byte("dispatch_open") // id -> nil, for dispatches not yet delivered or failed
	bucketSlots        = []byte("slots")         // slot key -> dispatch id: each slot once
	bucketIssues       = []byte("issues")        // "<committee>\0<year>" -> last issue number
	bucketLastBriefing = []byte("last_briefing") // committee -> id of its latest briefing
	bucketPosted       = []byte("posted")        // Slack ts of a posted part -> dispatch id
)

// outboxBuckets came with schema 2.
var outboxBuckets = [][]byte{bucketDispatch, bucketDispatchOpen, bucketSlots, bucketIssues, bucketLastBriefing, bucketPosted}

func init() {
	// New files get them from the start; older files from migration 1 -> 2.
	allBuckets = append(allBuckets, outboxBuckets...)
}

func issueKey(committee string, year int) []byte {
	return fmt.Appendf(nil, "%s\x00%d", committee, year)
}

// NextIssue returns the issue number (第N期) the committee's next briefing of year takes.
func (s *Store) NextIssue(committee string, year int) (int, error) {
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketIssues).Get(issueKey(committee, year)); v != nil {
			n = int(btou(v))
		}
		return nil
	})
	return n + 1, err
}

// SlotTaken reports whether a dispatch was already made for the schedule slot key.
func (s *Store) SlotTaken(key string) (bool, error) {
	taken := false
	err := s.db.View(func(tx *bolt.Tx) error {
		taken = tx.Bucket(bucketSlots).Get([]byte(key)) != nil
		return nil
	})
	return taken, err
}

// CreateDispatch puts d in the outbox, durably, before anything of it is sent. A
// dispatch for a slot that already has one is not stored again: the existing one is
// returned with existed set, so each slot is delivered once across restarts. A
// briefing must carry the next issue number of its committee and year (NextIssue);
// if another briefing took it meanwhile the answer is ECONFLICT "issue_taken" and the
// caller composes again.
func (s *Store) CreateDispatch(ctx context.Context, d *briefbot.Dispatch) (*briefbot.Dispatch, bool, error) {
	var out *briefbot.Dispatch
	existed := false
	now := s.now()
	err := s.update(ctx, func(tx *bolt.Tx) error {
		var err error
		out, existed, err = createDispatchTx(tx, d, now)
		return err
	})
	return out, existed, err
}

// createDispatchTx is CreateDispatch inside a write transaction. Its refusals come
// before any write.
func createDispatchTx(tx *bolt.Tx, d *briefbot.Dispatch, now time.Time) (*briefbot.Dispatch, bool, error) {
	if d.SlotKey != "" {
		if v := tx.Bucket(bucketSlots).Get([]byte(d.SlotKey)); v != nil {
			got, err := getDispatch(tx, btou(v))
			return got, true, err
		}
	}
	issues := tx.Bucket(bucketIssues)
	if d.Kind == briefbot.DispatchBriefing {
		last := 0
		if v := issues.Get(issueKey(d.Committee, d.Year)); v != nil {
			last = int(btou(v))
		}
		if d.Issue != last+1 {
			return nil, false, briefbot.Errorf(briefbot.ECONFLICT, "issue_taken", briefbot.Text{
				ZH: fmt.Sprintf("第%d期已被占用，请重新编排。", d.Issue), EN: fmt.Sprintf("Issue %d is taken; compose again.", d.Issue)})
		}
	}
	if len(d.Parts) == 0 {
		return nil, false, briefbot.Errorf(briefbot.EINVALID, "empty_dispatch", briefbot.Text{ZH: "没有可发送的内容。", EN: "Nothing to send."})
	}
	// The writes begin.
	c := *d
	c.Parts = append([]briefbot.Part(nil), d.Parts...)
	id, err := tx.Bucket(bucketDispatch).NextSequence()
	if err != nil {
		return nil, false, briefbot.Internal("dispatch id", err)
	}
	c.ID = id
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	if c.State == "" {
		c.State = briefbot.DispatchPending
	}
	if err := putDispatch(tx, &c); err != nil {
		return nil, false, err
	}
	if c.SlotKey != "" {
		if err := tx.Bucket(bucketSlots).Put([]byte(c.SlotKey), u64(id)); err != nil {
			return nil, false, briefbot.Internal("slot", err)
		}
	}
	if c.Kind == briefbot.DispatchBriefing {
		if err := issues.Put(issueKey(c.Committee, c.Year), u64(uint64(c.Issue))); err != nil {
			return nil, false, briefbot.Internal("issue", err)
		}
		if err := tx.Bucket(bucketLastBriefing).Put([]byte(c.Committee), u64(id)); err != nil {
			return nil, false, briefbot.Internal("last briefing", err)
		}
	}
	e := AuditEntry{At: now, Actor: "briefbot", Action: "dispatch_" + string(c.Kind), To: string(c.State), Number: fmt.Sprintf("%s#%d-%d", c.Committee, c.Year, c.Issue)}
	if err := appendAudit(tx, &e); err != nil {
		return nil, false, briefbot.Internal("audit", err)
	}
	return &c, false, nil
}

// LastBriefing returns the committee's latest briefing, or nil if it has none.
func (s *Store) LastBriefing(committee string) (*briefbot.Dispatch, error) {
	var d *briefbot.Dispatch
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketLastBriefing).Get([]byte(committee))
		if v == nil {
			return nil
		}
		var err error
		d, err = getDispatch(tx, btou(v))
		return err
	})
	return d, err
}

// GetDispatch returns the dispatch with id, or ENOTFOUND.
func (s *Store) GetDispatch(id uint64) (*briefbot.Dispatch, error) {
	var d *briefbot.Dispatch
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		d, err = getDispatch(tx, id)
		return err
	})
	return d, err
}

// OpenDispatches lists the dispatches not yet delivered (pending or awaiting
// approval), oldest first.
func (s *Store) OpenDispatches() ([]*briefbot.Dispatch, error) {
	var ds []*briefbot.Dispatch
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDispatchOpen).ForEach(func(k, _ []byte) error {
			d, err := getDispatch(tx, btou(k))
			if err == nil {
				ds = append(ds, d)
			}
			return err
		})
	})
	return ds, err
}

// MarkPosted records that part of dispatch id was posted with ts (and, for a thread,
// the parent's ts is what later parts use). When every part is posted the dispatch is
// delivered. Recording the same ts again changes nothing.
func (s *Store) MarkPosted(ctx context.Context, id uint64, part int, ts string) (*briefbot.Dispatch, error) {
	return s.changeDispatch(ctx, id, func(tx *bolt.Tx, d *briefbot.Dispatch, now time.Time) error {
		if part < 0 || part >= len(d.Parts) {
			return briefbot.Errorf(briefbot.EINVALID, "no_part", briefbot.Text{ZH: "没有这一部分。", EN: "No such part."})
		}
		if d.Parts[part].TS != "" {
			return nil
		}
		d.Parts[part].TS, d.Parts[part].PostedAt = ts, now
		if d.Done() {
			d.State, d.DeliveredAt = briefbot.DispatchDelivered, now
		}
		if err := tx.Bucket(bucketPosted).Put([]byte(ts), u64(d.ID)); err != nil {
			return briefbot.Internal("posted", err)
		}
		return nil
	})
}

// ApproveDispatch releases a dispatch that awaits a clerk's approval.
func (s *Store) ApproveDispatch(ctx context.Context, id uint64, by briefbot.MemberID) (*briefbot.Dispatch, error) {
	return s.changeDispatch(ctx, id, func(_ *bolt.Tx, d *briefbot.Dispatch, _ time.Time) error {
		if d.State != briefbot.DispatchAwaitingApproval {
			return briefbot.Errorf(briefbot.ECONFLICT, "not_awaiting", briefbot.Text{ZH: "该简报不在待审批状态。", EN: "That briefing is not awaiting approval."})
		}
		d.State, d.ApprovedBy = briefbot.DispatchPending, by
		return nil
	})
}

// FailDispatch gives up on a dispatch Slack refused for good, recording why.
func (s *Store) FailDispatch(ctx context.Context, id uint64, reason string) (*briefbot.Dispatch, error) {
	return s.changeDispatch(ctx, id, func(_ *bolt.Tx, d *briefbot.Dispatch, _ time.Time) error {
		d.State, d.Failure = briefbot.DispatchFailed, reason
		return nil
	})
}

func (s *Store) changeDispatch(ctx context.Context, id uint64, change func(*bolt.Tx, *briefbot.Dispatch, time.Time) error) (*briefbot.Dispatch, error) {
	var out *briefbot.Dispatch
	now := s.now()
	err := s.update(ctx, func(tx *bolt.Tx) error {
		d, err := getDispatch(tx, id)
		if err != nil {
			return err
		}
		if err := change(tx, d, now); err != nil {
			return err
		}
		out = d
		return putDispatch(tx, d)
	})
	return out, err
}

func putDispatch(tx *bolt.Tx, d *briefbot.Dispatch) error {
	buf, err := json.Marshal(d)
	if err != nil {
		return briefbot.Internal("encode dispatch", err)
	}
	if err := tx.Bucket(bucketDispatch).Put(u64(d.ID), buf); err != nil {
		return briefbot.Internal("put dispatch", err)
	}
	open := tx.Bucket(bucketDispatchOpen)
	if d.State == briefbot.DispatchPending || d.State == briefbot.DispatchAwaitingApproval {
		err = open.Put(u64(d.ID), nil)
	} else {
		err = open.Delete(u64(d.ID))
	}
	if err != nil {
		return briefbot.Internal("dispatch index", err)
	}
	return nil
}

func getDispatch(tx *bolt.Tx, id uint64) (*briefbot.Dispatch, error) {
	v := tx.Bucket(bucketDispatch).Get(u64(id))
	if v == nil {
		return nil, briefbot.Errorf(briefbot.ENOTFOUND, "no_dispatch", briefbot.Text{ZH: "没有找到该简报。", EN: "No such briefing."})
	}
	var d briefbot.Dispatch
	if err := json.Unmarshal(v, &d); err != nil {
		return nil, briefbot.Internal("decode dispatch", err)
	}
	return &d, nil
}

// Each calls fn for every matter f selects (ignoring its paging), newest first, until
// fn returns false. It reads one consistent snapshot.
func (s *Store) Each(f Filter, fn func(*briefbot.Matter) bool) error {
	return s.db.View(func(tx *bolt.Tx) error {
		next := newestFirst(tx, f.prefixes())
		for id, ok := next(); ok; id, ok = next() {
			m, err := getTx(tx, id)
			if err != nil {
				return err
			}
			if f.accepts(m) && !fn(m) {
				return nil
			}
		}
		return nil
	})
}

// DispatchByTS returns the dispatch one of whose parts Slack posted with ts (a thread
// reply names its parent this way), or ENOTFOUND.
func (s *Store) DispatchByTS(ts string) (*briefbot.Dispatch, error) {
	var d *briefbot.Dispatch
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketPosted).Get([]byte(ts))
		if v == nil {
			return briefbot.Errorf(briefbot.ENOTFOUND, "no_dispatch", briefbot.Text{ZH: "没有找到该简报。", EN: "No such briefing."})
		}
		var err error
		d, err = getDispatch(tx, btou(v))
		return err
	})
	return d, err
}

// DispatchBySlot returns the dispatch made for slot key, or ENOTFOUND.
func (s *Store) DispatchBySlot(key string) (*briefbot.Dispatch, error) {
	var d *briefbot.Dispatch
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSlots).Get([]byte(key))
		if v == nil {
			return briefbot.Errorf(briefbot.ENOTFOUND, "no_dispatch", briefbot.Text{ZH: "没有找到。", EN: "Not found."})
		}
		var err error
		d, err = getDispatch(tx, btou(v))
		return err
	})
	return d, err
}

// EachDispatch calls fn for every dispatch, oldest first, until fn returns false.
func (s *Store) EachDispatch(fn func(*briefbot.Dispatch) bool) error {
	return s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketDispatch).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var d briefbot.Dispatch
			if err := json.Unmarshal(v, &d); err != nil {
				return briefbot.Internal("decode dispatch", err)
			}
			if !fn(&d) {
				return nil
			}
		}
		return nil
	})
}
