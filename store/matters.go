package store

import (
	"context"
	"fmt"
	"time"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/store/kv"
)

// Submit implements briefbot.Matters.
func (s *Store) Submit(ctx context.Context, m *briefbot.Matter, tell []*briefbot.Dispatch, d briefbot.Delivery) (briefbot.Result, error) {
	return s.create(ctx, m, briefbot.ActionSubmit, tell, d)
}

// SaveDraft implements briefbot.Matters.
func (s *Store) SaveDraft(ctx context.Context, m *briefbot.Matter, tell []*briefbot.Dispatch, d briefbot.Delivery) (briefbot.Result, error) {
	return s.create(ctx, m, "", tell, d)
}

// AskSignOff implements briefbot.Matters.
func (s *Store) AskSignOff(ctx context.Context, m *briefbot.Matter, tell []*briefbot.Dispatch, d briefbot.Delivery) (briefbot.Result, error) {
	return s.create(ctx, m, briefbot.ActionAskSignOff, tell, d)
}

// create stores in as a new matter and takes first on it as its submitter (none: a
// draft).
func (s *Store) create(ctx context.Context, in *briefbot.Matter, first briefbot.Action, tell []*briefbot.Dispatch, d briefbot.Delivery) (briefbot.Result, error) {
	if in.ID != 0 || in.Status != "" || len(in.History) != 0 {
		return briefbot.Result{}, briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonNotNew, briefbot.Text{ZH: "该事项已经保存过。", EN: "The matter was already stored."})
	}
	// Checked here, in the caller's goroutine, not in the single writer: the text does
	// not change on its way to the transaction.
	if err := briefbot.CheckStorable(in); err != nil {
		return briefbot.Result{}, err
	}
	now := s.now()
	var res briefbot.Result
	err := s.update(ctx, func(tx kv.Tx) error {
		res = briefbot.Result{}
		if prev, ok := seen(tx, d.Key, now); ok && prev == 0 {
			return errDeliveryClaimed
		} else if ok {
			m, err := getTx(tx, prev)
			res = briefbot.Result{Matter: m, Duplicate: true}
			return err
		}
		m := in.Clone()
		m.CreatedAt, m.UpdatedAt = now, now
		if first != "" {
			if err := m.Apply(briefbot.Step{Action: first, Actor: m.Submitter, At: now}); err != nil {
				return err
			}
		} else {
			m.Status = briefbot.StatusDraft
		}
		if err := checkRefs(tx, m); err != nil {
			return err
		}
		s.number(tx, m)
		// From here on only internal errors: the writes begin.
		seq, err := tx.Bucket(bucketMatters).NextSequence()
		if err != nil {
			return briefbot.Internal("next id", err)
		}
		m.ID = seq
		res.Matter = m
		return s.write(tx, nil, m, tell, d, now)
	}, dedupKey(d.Key)...)
	return res, err
}

// Apply implements briefbot.Matters.
func (s *Store) Apply(ctx context.Context, ref briefbot.Ref, change briefbot.Change, d briefbot.Delivery) (briefbot.Result, error) {
	now := s.now()
	var res briefbot.Result
	err := s.update(ctx, func(tx kv.Tx) error {
		res = briefbot.Result{}
		old, err := getRef(tx, ref)
		if err != nil {
			return err
		}
		if _, ok := seen(tx, d.Key, now); ok {
			res = briefbot.Result{Matter: old, Duplicate: true}
			return nil
		}
		m, tell, err := change(old.Clone())
		if err != nil {
			return err
		}
		if m.ID != old.ID || m.Kind != old.Kind || len(m.History) < len(old.History) {
			return briefbot.Internal("apply", fmt.Errorf("a change may not replace the matter's id or kind, or rewrite its history"))
		}
		s.number(tx, m)
		res.Matter = m
		return s.write(tx, old, m, tell, d, now)
	}, dedupKey(d.Key)...)
	return res, err
}

// write puts m (replacing old) and the dispatches its change causes.
func (s *Store) write(tx kv.Tx, old, m *briefbot.Matter, tell []*briefbot.Dispatch, d briefbot.Delivery, now time.Time) error {
	if err := s.put(tx, old, m, d, now); err != nil {
		return err
	}
	return s.tell(tx, m, tell, now)
}

// number gives m the next number in its kind's series for the year of its submission,
// if it now needs one and has none; put records the series' new counter.
func (s *Store) number(tx kv.Tx, m *briefbot.Matter) {
	if !m.Number.IsZero() || !m.NeedsNumber() {
		return
	}
	n := briefbot.Number{Kind: m.Kind, Year: m.SubmittedAt.In(s.loc).Year()}
	var last uint64
	if v := tx.Bucket(bucketSeq).Get([]byte(n.Series())); v != nil {
		last = btou(v)
	}
	n.Seq = int(last + 1)
	m.Number = n
}

// put writes m (replacing old, nil for a new matter): the number sequence if m took a
// number, the record, the indexes, the dedup key, and one audit entry per event m's
// history gained, each committing to the record written (a write that adds no event,
// a draft's first, gets one entry of its own: every record written is recorded).
func (s *Store) put(tx kv.Tx, old, m *briefbot.Matter, d briefbot.Delivery, now time.Time) error {
	if !m.Number.IsZero() && (old == nil || old.Number.IsZero()) {
		if err := tx.Bucket(bucketSeq).Put([]byte(m.Number.Series()), u64(uint64(m.Number.Seq))); err != nil {
			return briefbot.Internal("put sequence", err)
		}
		if err := tx.Bucket(bucketNumbers).Put([]byte(m.Number.String()), u64(m.ID)); err != nil {
			return briefbot.Internal("put number", err)
		}
	}
	buf := encode(m)
	if err := tx.Bucket(bucketMatters).Put(u64(m.ID), buf); err != nil {
		return briefbot.Internal("put matter", err)
	}
	if err := reindex(tx, old, m); err != nil {
		return briefbot.Internal("index", err)
	}
	if err := remember(tx, d, m.ID, now); err != nil {
		return briefbot.Internal("dedup", err)
	}
	from := 0
	if old != nil {
		from = len(old.History)
	}
	record := recordDigest(buf)
	entries := make([]briefbot.AuditEntry, 0, len(m.History)-from+1)
	for _, ev := range m.History[from:] {
		entries = append(entries, briefbot.AuditEntry{At: now, Actor: ev.Actor, OnBehalfOf: ev.OnBehalfOf, Action: briefbot.AuditStep(ev.Action),
			MatterID: m.ID, Number: m.Number.String(), From: ev.From, To: ev.To, Version: ev.Seq, Record: record})
	}
	if len(entries) == 0 {
		e := briefbot.AuditEntry{At: now, Actor: briefbot.SystemActor, Action: briefbot.AuditRecord, MatterID: m.ID, Number: m.Number.String(),
			To: m.Status, Version: m.Version, Record: record}
		if old == nil && m.Status == briefbot.StatusDraft { // a member's draft, saved
			e.Actor, e.Action = m.Submitter, briefbot.AuditDraft
		}
		entries = append(entries, e)
	}
	for i := range entries {
		if err := appendAudit(tx, &entries[i]); err != nil {
			return briefbot.Internal("audit", err)
		}
	}
	return nil
}

// tell puts the dispatches a change causes in the outbox, inside its transaction; a
// dispatch that names no matter is about m.
func (s *Store) tell(tx kv.Tx, m *briefbot.Matter, tell []*briefbot.Dispatch, now time.Time) error {
	for _, d := range tell {
		if d == nil {
			continue
		}
		c := *d
		if len(c.Matters) == 0 {
			c.Matters = []uint64{m.ID}
		}
		if c.Notice != nil && c.Notice.Matter == 0 {
			n := *c.Notice
			n.Matter = m.ID
			c.Notice = &n
		}
		if _, _, err := s.createDispatchTx(tx, &c, now); err != nil {
			if briefbot.ErrorCode(err) != briefbot.EINTERNAL {
				err = briefbot.Internal("tell", err)
			}
			return err
		}
	}
	return nil
}

// checkRefs refuses related matters and first reports that do not exist.
func checkRefs(tx kv.Tx, m *briefbot.Matter) error {
	numbers := tx.Bucket(bucketNumbers)
	if !m.FollowUpOf.IsZero() && numbers.Get([]byte(m.FollowUpOf.String())) == nil {
		return briefbot.NoSuchNumber(briefbot.ReasonNoFirstReport, briefbot.FieldFollowUpOf, m.FollowUpOf)
	}
	for _, r := range m.Related {
		if numbers.Get([]byte(r.String())) == nil {
			return briefbot.NoSuchNumber(briefbot.ReasonNoRelated, briefbot.FieldRelated, r)
		}
	}
	return nil
}

// errDeliveryClaimed answers a write whose delivery key was claimed (Claim) by a
// delivery that wrote nothing: the same key cannot name two different deliveries.
var errDeliveryClaimed = briefbot.Errorf(briefbot.ECONFLICT, briefbot.ReasonDeliveryClaimed, briefbot.Text{
	ZH: "这次投递已经处理过。", EN: "This delivery was already handled."})

// Matter implements briefbot.Matters.
func (s *Store) Matter(ctx context.Context, ref briefbot.Ref) (*briefbot.Matter, error) {
	var m *briefbot.Matter
	err := s.view(ctx, func(tx kv.Tx) error {
		var err error
		m, err = s.read(tx, ref)
		return err
	})
	return m, err
}

// Lookup resolves a ledger number as a person typed it (see briefbot.ParseNumber).
func (s *Store) Lookup(ctx context.Context, typed string) (*briefbot.Matter, error) {
	n, err := briefbot.ParseNumber(typed)
	if err != nil {
		return nil, err
	}
	return s.Matter(ctx, briefbot.RefNumber(n))
}

// getRef decodes the matter ref names, as the writer reads it: not through the cache.
func getRef(tx kv.Tx, ref briefbot.Ref) (*briefbot.Matter, error) {
	_, rec, err := record(tx, ref)
	if err != nil {
		return nil, err
	}
	return decode(rec)
}

func getTx(tx kv.Tx, id uint64) (*briefbot.Matter, error) { return getRef(tx, briefbot.RefID(id)) }
