package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/briefbot/briefbot"
	bolt "go.etcd.io/bbolt"
)

// Result is the answer to a write: the matter as stored, and whether the write was a
// repeat of an earlier delivery (same dedup key) that changed nothing this time.
type Result struct {
	Matter    *briefbot.Matter
	Duplicate bool
}

// DefaultDedupTTL is how long a delivery key is remembered when the caller gives none:
// longer than Slack's whole retry schedule and any double click.
const DefaultDedupTTL = 24 * time.Hour

// Delivery identifies the incoming delivery a write answers (a Slack event_id, a view
// submission, a button click), so a retried delivery is applied once.
type Delivery struct {
	Key string        // empty: no deduplication
	TTL time.Duration // default DefaultDedupTTL
	// Notes, if set, makes the messages the change causes (a receipt, an alert) from the
	// matter as stored; they are put in the outbox in the same transaction as the change,
	// so a stored matter never lacks them and a repeated delivery makes none again.
	Notes func(m *briefbot.Matter) []*briefbot.Dispatch
}

// Submit stores a new matter and submits it: it gets its ID and its ledger number (the
// next in its kind and year, without gaps), its submit event, and an audit entry, all in
// one transaction. The caller must have checked the intake rules (briefbot.CheckIntake);
// the store still refuses a matter breaking the vocabulary's invariants, carrying a
// classification marking, or naming a related or first report that does not exist.
// If d.Key was seen before, the matter stored then is returned with Duplicate set.
func (s *Store) Submit(ctx context.Context, m *briefbot.Matter, d Delivery) (Result, error) {
	return s.create(ctx, m, true, d)
}

// SaveDraft stores a new matter as a draft: it gets an ID but no ledger number until it
// is submitted with Apply.
func (s *Store) SaveDraft(ctx context.Context, m *briefbot.Matter, d Delivery) (Result, error) {
	return s.create(ctx, m, false, d)
}

func (s *Store) create(ctx context.Context, in *briefbot.Matter, submit bool, d Delivery) (Result, error) {
	if in.ID != 0 || in.Status != "" || len(in.History) != 0 {
		return Result{}, briefbot.Errorf(briefbot.EINVALID, "not_new", briefbot.Text{ZH: "该事项已经保存过。", EN: "The matter was already stored."})
	}
	// Checked here, in the caller's goroutine, not in the single writer: the text does
	// not change on its way to the transaction.
	if err := briefbot.CheckStorable(in); err != nil {
		return Result{}, err
	}
	now := s.now()
	var res Result
	err := s.update(ctx, func(tx *bolt.Tx) error {
		res = Result{}
		if prev, ok, err := seen(tx, d.Key, now); err != nil {
			return err
		} else if ok && prev == 0 {
			return errDeliveryClaimed
		} else if ok {
			m, err := getTx(tx, prev)
			if err != nil {
				return err
			}
			res = Result{Matter: m, Duplicate: true}
			return nil
		}
		m := in.Clone()
		m.CreatedAt, m.UpdatedAt = now, now
		if submit {
			if err := m.Apply(briefbot.Step{Action: briefbot.ActionSubmit, Actor: m.Submitter, At: now}); err != nil {
				return err
			}
		} else {
			m.Status = briefbot.StatusDraft
		}
		if err := s.prepare(tx, nil, m); err != nil {
			return err
		}
		// From here on only internal errors: the writes begin.
		seq, err := tx.Bucket(bucketMatters).NextSequence()
		if err != nil {
			return briefbot.Internal("next id", err)
		}
		m.ID = seq
		if err := s.put(tx, nil, m, m.Submitter, "", briefbot.ActionSubmit, d, now); err != nil {
			return err
		}
		if err := notes(tx, d, m, now); err != nil {
			return err
		}
		res.Matter = m
		return nil
	})
	return res, err
}

// Apply moves the matter with id by step (see briefbot.Matter.Apply), records the
// audit entry and keeps the indexes, in one transaction, returning the matter as
// stored. A step whose delivery key was seen before changes nothing and returns the
// matter as it is now, with Duplicate set.
func (s *Store) Apply(ctx context.Context, id uint64, step briefbot.Step, d Delivery) (Result, error) {
	return s.ApplyAll(ctx, id, []briefbot.Step{step}, d)
}

// ApplyAll applies steps in order as one change (an instruction and its referral):
// all of them, each with its audit entry, in one transaction, or none if any is
// refused.
func (s *Store) ApplyAll(ctx context.Context, id uint64, steps []briefbot.Step, d Delivery) (Result, error) {
	now := s.now()
	var res Result
	err := s.update(ctx, func(tx *bolt.Tx) error {
		res = Result{}
		old, err := getTx(tx, id)
		if err != nil {
			return err
		}
		if _, ok, err := seen(tx, d.Key, now); err != nil {
			return err
		} else if ok {
			res = Result{Matter: old, Duplicate: true}
			return nil
		}
		// Every step is checked before anything is written.
		states := []*briefbot.Matter{old}
		for _, step := range steps {
			m := states[len(states)-1].Clone()
			if err := m.Apply(step); err != nil {
				return err
			}
			if err := s.prepare(tx, states[len(states)-1], m); err != nil {
				return err
			}
			states = append(states, m)
		}
		for i, step := range steps {
			if err := s.put(tx, states[i], states[i+1], step.Actor, step.OnBehalfOf, step.Action, d, now); err != nil {
				return err
			}
		}
		m := states[len(states)-1]
		if err := notes(tx, d, m, now); err != nil {
			return err
		}
		res.Matter = m
		return nil
	})
	return res, err
}

// prepare readies m (replacing old, nil for a new matter) for writing, writing nothing
// itself, so that its refusals leave a shared transaction clean: it checks references, gives m the next ledger number if it now needs
// one, and checks the vocabulary's invariants.
func (s *Store) prepare(tx *bolt.Tx, old, m *briefbot.Matter) error {
	if !m.Kind.Valid() { // the rest of CheckStorable ran before the transaction
		return briefbot.CheckStorable(m)
	}
	if old == nil {
		if err := checkRefs(tx, m); err != nil {
			return err
		}
	}
	if m.Number.IsZero() && m.Status != briefbot.StatusDraft && m.Status != briefbot.StatusSigned && m.Status != briefbot.StatusWithdrawn {
		m.Number = s.peekNumber(tx, m.Kind, m.SubmittedAt)
	}
	return m.CheckInvariants()
}

// put writes m (replacing old, nil for a new matter), prepared by prepare: the number
// sequence if m took a number, the record, the indexes, the dedup key and the audit
// entry.
func (s *Store) put(tx *bolt.Tx, old, m *briefbot.Matter, actor, onBehalf briefbot.MemberID, action briefbot.Action, d Delivery, now time.Time) error {
	if !m.Number.IsZero() && (old == nil || old.Number.IsZero()) {
		if err := tx.Bucket(bucketSeq).Put([]byte(m.Number.Series()), u64(uint64(m.Number.Seq))); err != nil {
			return briefbot.Internal("put sequence", err)
		}
	}
	buf, err := json.Marshal(m)
	if err != nil {
		return briefbot.Internal("encode matter", err)
	}
	if err := tx.Bucket(bucketMatters).Put(u64(m.ID), buf); err != nil {
		return briefbot.Internal("put matter", err)
	}
	if !m.Number.IsZero() && (old == nil || old.Number.IsZero()) {
		if err := tx.Bucket(bucketNumbers).Put([]byte(m.Number.String()), u64(m.ID)); err != nil {
			return briefbot.Internal("put number", err)
		}
	}
	if err := reindex(tx, old, m); err != nil {
		return briefbot.Internal("index", err)
	}
	if err := remember(tx, d, m.ID, now); err != nil {
		return briefbot.Internal("dedup", err)
	}
	e := AuditEntry{At: now, Actor: actor, OnBehalfOf: onBehalf, Action: string(action), MatterID: m.ID, Number: m.Number.String(), To: string(m.Status), Version: m.Version}
	if old != nil {
		e.From = string(old.Status)
	}
	if err := appendAudit(tx, &e); err != nil {
		return briefbot.Internal("audit", err)
	}
	return nil
}

// peekNumber returns the next number in the kind's series for the year of at; put
// takes it.
func (s *Store) peekNumber(tx *bolt.Tx, kind briefbot.Kind, at time.Time) briefbot.Number {
	n := briefbot.Number{Kind: kind, Year: at.In(s.loc).Year()}
	var last uint64
	if v := tx.Bucket(bucketSeq).Get([]byte(n.Series())); v != nil {
		last = btou(v)
	}
	n.Seq = int(last + 1)
	return n
}

// checkRefs refuses related matters and first reports that do not exist.
func checkRefs(tx *bolt.Tx, m *briefbot.Matter) error {
	numbers := tx.Bucket(bucketNumbers)
	if !m.FollowUpOf.IsZero() {
		if numbers.Get([]byte(m.FollowUpOf.String())) == nil {
			return &briefbot.Error{Code: briefbot.EINVALID, Reason: "no_first_report", Msg: msgNoSuchNumber(m.FollowUpOf),
				Fields: []briefbot.FieldError{{Field: briefbot.FieldFollowUpOf, Msg: msgNoSuchNumber(m.FollowUpOf)}}}
		}
	}
	for _, r := range m.Related {
		if numbers.Get([]byte(r.String())) == nil {
			return &briefbot.Error{Code: briefbot.EINVALID, Reason: "no_related", Msg: msgNoSuchNumber(r),
				Fields: []briefbot.FieldError{{Field: briefbot.FieldRelated, Msg: msgNoSuchNumber(r)}}}
		}
	}
	return nil
}

// errDeliveryClaimed answers a write whose delivery key was claimed (Claim) by a
// delivery that wrote nothing: the same key cannot name two different deliveries.
var errDeliveryClaimed = briefbot.Errorf(briefbot.ECONFLICT, "delivery_claimed", briefbot.Text{
	ZH: "这次投递已经处理过。", EN: "This delivery was already handled."})

func msgNoSuchNumber(n briefbot.Number) briefbot.Text {
	return briefbot.Text{ZH: fmt.Sprintf("台账中没有 %s。", n), EN: fmt.Sprintf("There is no %s in the ledger.", n)}
}

// Get returns the matter with id, or ENOTFOUND.
func (s *Store) Get(id uint64) (*briefbot.Matter, error) {
	var m *briefbot.Matter
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		m, err = getTx(tx, id)
		return err
	})
	return m, err
}

// GetByNumber returns the matter with ledger number n, or ENOTFOUND.
func (s *Store) GetByNumber(n briefbot.Number) (*briefbot.Matter, error) {
	var m *briefbot.Matter
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketNumbers).Get([]byte(n.String()))
		if v == nil {
			return notFound(n.String())
		}
		var err error
		m, err = getTx(tx, btou(v))
		return err
	})
	return m, err
}

// Lookup resolves a ledger number as a person typed it (see briefbot.ParseNumber).
func (s *Store) Lookup(typed string) (*briefbot.Matter, error) {
	n, err := briefbot.ParseNumber(typed)
	if err != nil {
		return nil, err
	}
	return s.GetByNumber(n)
}

func notFound(what string) error {
	return &briefbot.Error{Code: briefbot.ENOTFOUND, Reason: "no_matter", Msg: briefbot.Text{
		ZH: "没有找到事项 " + what + "。", EN: "No matter " + what + " was found."}}
}

func getTx(tx *bolt.Tx, id uint64) (*briefbot.Matter, error) {
	v := tx.Bucket(bucketMatters).Get(u64(id))
	if v == nil {
		return nil, notFound(fmt.Sprintf("#%d", id))
	}
	return decode(v)
}

func decode(v []byte) (*briefbot.Matter, error) {
	var m briefbot.Matter
	if err := json.Unmarshal(v, &m); err != nil {
		return nil, briefbot.Internal("decode matter", err)
	}
	return &m, nil
}

// notes puts the dispatches d.Notes makes for m in the outbox, inside the change's
// transaction. Any failure here is internal: it aborts the change with them.
func notes(tx *bolt.Tx, d Delivery, m *briefbot.Matter, now time.Time) error {
	if d.Notes == nil {
		return nil
	}
	for _, n := range d.Notes(m) {
		if n == nil {
			continue
		}
		if _, _, err := createDispatchTx(tx, n, now); err != nil {
			if briefbot.ErrorCode(err) != briefbot.EINTERNAL {
				err = briefbot.Internal("note", err)
			}
			return err
		}
	}
	return nil
}
