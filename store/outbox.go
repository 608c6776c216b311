package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store/kv"
)

// Outbox buckets.
var (
	bucketDispatch     = []byte("dispatch")      // id -> Dispatch JSON
	bucketDispatchOpen = []byte("dispatch_open") // id -> nil, for dispatches not yet delivered or failed
	bucketSlots        = []byte("slots")         // slot key -> dispatch id: each slot once
	bucketIssues       = []byte("issues")        // "<committee>\0<year>" -> last issue number
	bucketLastBriefing = []byte("last_briefing") // committee -> id of its latest briefing
	bucketPosted       = []byte("posted")        // Slack ts of a posted part -> dispatch id
	bucketReceipts     = []byte("receipts")      // matter id -> id of its receipt dispatch (schema 3)
)

// outboxBuckets came with schema 2.
var outboxBuckets = [][]byte{bucketDispatch, bucketDispatchOpen, bucketSlots, bucketIssues, bucketLastBriefing, bucketPosted}

func init() {
	// New files get them from the start; older files from migrations 1 -> 2 and 2 -> 3.
	allBuckets = append(allBuckets, outboxBuckets...)
	allBuckets = append(allBuckets, bucketReceipts)
}

func issueKey(committee briefbot.CommitteeID, year int) []byte {
	return fmt.Appendf(nil, "%s\x00%d", committee, year)
}

// NextIssue implements briefbot.Outbox.
func (s *Store) NextIssue(ctx context.Context, committee briefbot.CommitteeID, year int) (int, error) {
	n := 0
	err := s.view(ctx, func(tx kv.Tx) error {
		if v := tx.Bucket(bucketIssues).Get(issueKey(committee, year)); v != nil {
			n = int(btou(v))
		}
		return nil
	})
	return n + 1, err
}

// SlotTaken implements briefbot.Outbox.
func (s *Store) SlotTaken(ctx context.Context, key string) (bool, error) {
	taken := false
	err := s.view(ctx, func(tx kv.Tx) error {
		taken = tx.Bucket(bucketSlots).Get([]byte(key)) != nil
		return nil
	})
	return taken, err
}

// CreateDispatch implements briefbot.Outbox.
func (s *Store) CreateDispatch(ctx context.Context, d *briefbot.Dispatch) (*briefbot.Dispatch, bool, error) {
	var out *briefbot.Dispatch
	existed := false
	now := s.now()
	err := s.update(ctx, func(tx kv.Tx) error {
		var err error
		out, existed, err = s.createDispatchTx(tx, d, now)
		return err
	})
	return out, existed, err
}

// createDispatchTx is CreateDispatch inside a write transaction. Its refusals come
// before any write.
func (s *Store) createDispatchTx(tx kv.Tx, d *briefbot.Dispatch, now time.Time) (*briefbot.Dispatch, bool, error) {
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
			return nil, false, briefbot.Errorf(briefbot.ECONFLICT, briefbot.ReasonIssueTaken, briefbot.Text{
				ZH: fmt.Sprintf("第%d期已被占用，请重新编排。", d.Issue), EN: fmt.Sprintf("Issue %d is taken; compose again.", d.Issue)})
		}
	}
	if len(d.Parts) == 0 {
		return nil, false, briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonEmptyDispatch, briefbot.Text{ZH: "没有可发送的内容。", EN: "Nothing to send."})
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
	if c.Kind == briefbot.DispatchReceipt && len(c.Matters) == 1 {
		if err := tx.Bucket(bucketReceipts).Put(u64(c.Matters[0]), u64(id)); err != nil {
			return nil, false, briefbot.Internal("receipt", err)
		}
	}
	e := briefbot.AuditEntry{At: now, Actor: briefbot.SystemActor, Action: briefbot.AuditDispatch(c.Kind), Detail: string(c.State),
		Number: fmt.Sprintf("%s#%d-%d", c.Committee, c.Year, c.Issue)}
	if err := appendAudit(tx, &e); err != nil {
		return nil, false, briefbot.Internal("audit", err)
	}
	tx.OnCommit(s.changed.notify)
	return &c, false, nil
}

// LastBriefing implements briefbot.Outbox.
func (s *Store) LastBriefing(ctx context.Context, committee briefbot.CommitteeID) (*briefbot.Dispatch, error) {
	return s.dispatchUnder(ctx, bucketLastBriefing, []byte(committee), nil)
}

// Dispatch implements briefbot.Outbox.
func (s *Store) Dispatch(ctx context.Context, id uint64) (*briefbot.Dispatch, error) {
	var d *briefbot.Dispatch
	err := s.view(ctx, func(tx kv.Tx) error {
		var err error
		d, err = getDispatch(tx, id)
		return err
	})
	return d, err
}

// OpenDispatches implements briefbot.Outbox.
func (s *Store) OpenDispatches(ctx context.Context) ([]*briefbot.Dispatch, error) {
	var ds []*briefbot.Dispatch
	err := s.view(ctx, func(tx kv.Tx) error {
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

// MarkPart implements briefbot.Outbox.
func (s *Store) MarkPart(ctx context.Context, id uint64, part int, o briefbot.PartOutcome) (*briefbot.Dispatch, error) {
	return s.changeDispatch(ctx, id, func(tx kv.Tx, d *briefbot.Dispatch, now time.Time) error {
		if part < 0 || part >= len(d.Parts) || (o.TS == "" && !o.Skipped && !o.Tried) {
			return briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonNoPart, briefbot.Text{ZH: "没有这一部分。", EN: "No such part."})
		}
		p := &d.Parts[part]
		if p.Done() {
			return nil
		}
		if o.TS == "" && !o.Skipped { // tried: noted once, before the first post
			if p.TriedAt.IsZero() {
				p.TriedAt = now
			}
			return nil
		}
		p.TS, p.Skipped, p.PostedAt = o.TS, o.Skipped && o.TS == "", now
		if d.Done() {
			d.State, d.DeliveredAt = briefbot.DispatchDelivered, now
		}
		if p.TS == "" {
			return nil
		}
		if err := tx.Bucket(bucketPosted).Put([]byte(p.TS), u64(d.ID)); err != nil {
			return briefbot.Internal("posted", err)
		}
		return nil
	})
}

// ApproveDispatch implements briefbot.Outbox.
func (s *Store) ApproveDispatch(ctx context.Context, id uint64, by briefbot.MemberID) (*briefbot.Dispatch, error) {
	return s.changeDispatch(ctx, id, func(tx kv.Tx, d *briefbot.Dispatch, _ time.Time) error {
		if d.State != briefbot.DispatchAwaitingApproval {
			return briefbot.Errorf(briefbot.ECONFLICT, briefbot.ReasonNotAwaiting, briefbot.Text{ZH: "该简报不在待审批状态。", EN: "That briefing is not awaiting approval."})
		}
		d.State, d.ApprovedBy = briefbot.DispatchPending, by
		tx.OnCommit(s.changed.notify)
		return nil
	})
}

// FailDispatch implements briefbot.Outbox.
func (s *Store) FailDispatch(ctx context.Context, id uint64, reason string) (*briefbot.Dispatch, error) {
	return s.changeDispatch(ctx, id, func(_ kv.Tx, d *briefbot.Dispatch, _ time.Time) error {
		d.State, d.Failure = briefbot.DispatchFailed, reason
		return nil
	})
}

func (s *Store) changeDispatch(ctx context.Context, id uint64, change func(kv.Tx, *briefbot.Dispatch, time.Time) error) (*briefbot.Dispatch, error) {
	var out *briefbot.Dispatch
	now := s.now()
	err := s.update(ctx, func(tx kv.Tx) error {
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

func putDispatch(tx kv.Tx, d *briefbot.Dispatch) error {
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

func getDispatch(tx kv.Tx, id uint64) (*briefbot.Dispatch, error) {
	v := tx.Bucket(bucketDispatch).Get(u64(id))
	if v == nil {
		return nil, errNoDispatch
	}
	var d briefbot.Dispatch
	if err := json.Unmarshal(v, &d); err != nil {
		return nil, briefbot.Internal("decode dispatch", err)
	}
	return &d, nil
}

// DispatchByTS implements briefbot.Outbox.
func (s *Store) DispatchByTS(ctx context.Context, ts string) (*briefbot.Dispatch, error) {
	return s.dispatchUnder(ctx, bucketPosted, []byte(ts), errNoDispatch)
}

// DispatchBySlot implements briefbot.Outbox.
func (s *Store) DispatchBySlot(ctx context.Context, key string) (*briefbot.Dispatch, error) {
	return s.dispatchUnder(ctx, bucketSlots, []byte(key), errNoDispatch)
}

// EachDispatch implements briefbot.Outbox.
func (s *Store) EachDispatch(ctx context.Context, fn func(*briefbot.Dispatch) bool) error {
	return s.view(ctx, func(tx kv.Tx) error {
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

// Receipt implements briefbot.Outbox.
func (s *Store) Receipt(ctx context.Context, matter uint64) (*briefbot.Dispatch, error) {
	return s.dispatchUnder(ctx, bucketReceipts, u64(matter), nil)
}

// Changed implements briefbot.Outbox: this process's writes are the only ones to a
// bbolt file (its lock keeps others out).
func (s *Store) Changed(ctx context.Context) <-chan struct{} {
	local := s.changed.subscribe(ctx)
	w, ok := s.eng.(kv.Watcher)
	if !ok {
		return local
	}
	// Other replicas make dispatches too: their commits signal here as well.
	remote := w.Watch(ctx, bucketDispatchOpen)
	out := make(chan struct{}, 1)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-local:
			case <-remote:
			}
			select {
			case out <- struct{}{}:
			default:
			}
		}
	}()
	return out
}

var errNoDispatch = briefbot.Errorf(briefbot.ENOTFOUND, briefbot.ReasonNoDispatch, briefbot.Text{ZH: "没有找到该简报或消息。", EN: "No such briefing or message."})

// dispatchUnder returns the dispatch whose id bucket holds under key; if there is none,
// nil and missing.
func (s *Store) dispatchUnder(ctx context.Context, bucket, key []byte, missing error) (*briefbot.Dispatch, error) {
	var d *briefbot.Dispatch
	err := s.view(ctx, func(tx kv.Tx) error {
		v := tx.Bucket(bucket).Get(key)
		if v == nil {
			return missing
		}
		var err error
		d, err = getDispatch(tx, btou(v))
		return err
	})
	return d, err
}
