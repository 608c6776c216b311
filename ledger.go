package briefbot

import (
	"context"
	"slices"
	"time"
)

// This file is the ledger's contract: what a storage engine promises. The embedded
// bbolt engine (store) implements it, and so must any other; the contract tests in
// store/storetest run against every engine. Every method takes a context: an engine
// that talks to a network gives up when it is done and answers EUNAVAIL, having
// changed nothing.

// Delivery identifies the incoming delivery a write answers (a Slack event_id, a view
// submission, a button click), so a retried delivery is applied once.
type Delivery struct {
	Key string        // empty: no deduplication
	TTL time.Duration // how long the key is remembered; zero means DefaultDedupTTL
}

// DefaultDedupTTL is how long a delivery key is remembered when the caller gives none:
// longer than Slack's whole retry schedule and any double click.
const DefaultDedupTTL = 24 * time.Hour

// Result is the answer to a write: the matter as stored, and whether the write was a
// repeat of an earlier delivery (same key) that changed nothing this time.
type Result struct {
	Matter    *Matter
	Duplicate bool
}

// A Change moves one matter along. The engine calls it inside its write transaction
// with a private copy of the matter as stored, and stores what it returns: the matter
// as it is to be, and the dispatches the change causes (its notices), which go into the
// outbox in the same transaction. A Change must be a pure function of its argument: an
// engine may call it more than once (a retried transaction). An error leaves everything
// as it was. Rules.Take makes the Change of a step.
type Change func(m *Matter) (*Matter, []*Dispatch, error)

// Filter selects matters. Empty fields select everything; set fields must all match.
type Filter struct {
	Statuses   []Status // any of these
	Kinds      []Kind   // any of these
	Department DepartmentID
	// Departments, if set, keeps the matters of any of these submitting departments
	// (and of Department too, if that is set: both must hold).
	Departments []DepartmentID
	Committee   CommitteeID // addressee or copied
	Submitter   MemberID
	Assignee    DepartmentID // lead or assisting unit of the assignment
	Year        int          // ledger year
	// Awaiting keeps requests and reports before the committee not yet read or
	// instructed.
	Awaiting bool
	// OverdueAt, if set, keeps the matters whose current deadline (Matter.DueAt) had
	// passed at that time, and lists them most overdue first.
	OverdueAt time.Time
	// SignOffPending keeps the matters waiting for their sign-off (StatusSignOff) and
	// those that went out unsigned and are still open (Matter.AwaitsSignOff).
	SignOffPending bool
	// Visible, if set, must also accept the matter: whether the member asking may see it.
	// Lists and searches call it (and Accepts) with a summary's matter
	// (Summary.Matter): it may read only the fields a Summary holds.
	Visible func(*Matter) bool

	// After, if set, is where the previous page ended (its Page.Next): this page
	// starts after it, without reading the matters before it again.
	After  Cursor
	Offset int // matches to skip (after After, if set)
	Limit  int // at most this many (default 20, at most MaxLimit)
}

// A Cursor is where a page ended: the last matter listed and, for a list ordered by
// deadline (Filter.OverdueAt), its deadline then. The zero Cursor is the start.
type Cursor struct {
	ID  uint64
	Due time.Time
}

// IsZero reports whether c is the start of a list.
func (c Cursor) IsZero() bool { return c.ID == 0 }

// MaxLimit bounds a page.
const MaxLimit = 500

// Page is one page of matters, newest first (most overdue first for OverdueAt), and
// whether more follow. A list holds what a list shows of each matter: read the
// matter itself for the rest.
type Page struct {
	Matters []*Summary
	More    bool
	// Next, when More, is where this page ended: the next page is the same filter
	// with After set to it.
	Next Cursor
	// Matched lists a search's words as they were looked for (folded; a ledger
	// number in its canonical form): every matter of the page holds them all.
	Matched []string
}

// Normalized returns f with its shorthands spelled out (Awaiting as statuses and kinds)
// and its limit in range. Engines select by the normalized filter.
func (f Filter) Normalized() Filter {
	if f.Awaiting {
		f.Statuses = slices.Clone(awaiting)
		if len(f.Kinds) == 0 {
			f.Kinds = []Kind{KindRequest, KindReport}
		}
		f.Awaiting = false
	}
	switch {
	case f.Limit <= 0:
		f.Limit = 20
	case f.Limit > MaxLimit:
		f.Limit = MaxLimit
	}
	f.Offset = max(f.Offset, 0)
	return f
}

// Accepts reports whether m meets every field of f (paging aside). Engines that use
// an index for one field still check the rest with it.
func (f *Filter) Accepts(m *Matter) bool {
	switch {
	case len(f.Statuses) > 0 && !slices.Contains(f.Statuses, m.Status),
		len(f.Kinds) > 0 && !slices.Contains(f.Kinds, m.Kind),
		f.Department != "" && m.Department != f.Department,
		len(f.Departments) > 0 && !slices.Contains(f.Departments, m.Department),
		f.Committee != "" && m.Addressee != f.Committee && !slices.Contains(m.Copied, f.Committee),
		f.Submitter != "" && m.Submitter != f.Submitter,
		f.Assignee != "" && (m.Assignment == nil || !slices.Contains(m.Assignment.Units(), f.Assignee)),
		f.Year != 0 && m.Number.Year != f.Year,
		!f.OverdueAt.IsZero() && !m.Overdue(f.OverdueAt),
		f.SignOffPending && !m.AwaitsSignOff():
		return false
	}
	return f.Visible == nil || f.Visible(m)
}

// Matters keeps the matters: it numbers them, changes them one checked change at a
// time and returns them. Writes are durable when they return: acknowledged means on
// disk (or on a quorum).
type Matters interface {
	// Submit stores m as a new matter and submits it: it gets its id, its ledger
	// number (the next of its kind and year, without gaps), its submit event and an
	// audit entry; tell goes into the outbox; all in one transaction. The caller has
	// checked the intake rules (Rules.CheckSubmission); the engine still refuses a
	// matter that breaks the vocabulary's invariants (EINVALID, ReasonKind), carries a
	// classification marking (EINVALID, ReasonClassified), or names a related matter
	// or first report that does not exist (EINVALID, ReasonNoRelated,
	// ReasonNoFirstReport). The dispatches in tell that name no matter are about m.
	// If d.Key was seen before, nothing is written and the matter stored then is
	// returned with Duplicate set.
	Submit(ctx context.Context, m *Matter, tell []*Dispatch, d Delivery) (Result, error)
	// SaveDraft stores m as a draft, as Submit does, but without a ledger number until
	// a Change submits it.
	SaveDraft(ctx context.Context, m *Matter, tell []*Dispatch, d Delivery) (Result, error)
	// AskSignOff stores m, as Submit does, waiting for its department's sign-off
	// (StatusSignOff, by the step ActionAskSignOff of its submitter): without a ledger
	// number until the signatory's ActionSign submits it.
	AskSignOff(ctx context.Context, m *Matter, tell []*Dispatch, d Delivery) (Result, error)
	// Apply reads the matter ref names once, in a write transaction, calls change with
	// it and stores the result: the record, its indexes, a ledger number if it now
	// needs one, one audit entry per new history event, and the dispatches change
	// returns. A missing matter is ENOTFOUND (ReasonNotFound); change's refusal is
	// returned as it is and nothing is written. If d.Key was seen before, change is
	// not called and the matter is returned as it is now, with Duplicate set.
	Apply(ctx context.Context, ref Ref, change Change, d Delivery) (Result, error)
	// Matter returns the matter ref names, or ENOTFOUND.
	Matter(ctx context.Context, ref Ref) (*Matter, error)
}

// MatterFinder lists and searches matters, each answer from one consistent snapshot.
type MatterFinder interface {
	// List returns a page of the matters f selects.
	List(ctx context.Context, f Filter) (Page, error)
	// Search lists the matters holding every word of query (case, width, white space
	// and punctuation ignored) in their title, body, request, 批示 or feedback texts,
	// or whose ledger number a word is, newest first, narrowed by f; Page.Matched
	// lists the words as looked for. A word is two or more characters (a single Han
	// character alone is EINVALID, ReasonShortQuery); an empty query is EINVALID
	// (ReasonEmptyQuery).
	Search(ctx context.Context, query string, f Filter) (Page, error)
	// Each calls fn for every matter f selects (paging ignored), newest first, until
	// fn returns false.
	Each(ctx context.Context, f Filter, fn func(*Matter) bool) error
	// EachDue calls fn for every matter whose current deadline is in [from, before),
	// earliest first, until fn returns false, reading only matters with such a deadline.
	EachDue(ctx context.Context, from, before time.Time, fn func(*Matter) bool) error
}

// Deliveries remembers incoming deliveries that write no matter (a query, a button
// that only opens a form), so a retried one is answered once.
type Deliveries interface {
	// Claim records key until ttl passes (zero: DefaultDedupTTL) and reports whether
	// this was its first claim. The claim is durable when Claim returns.
	Claim(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// Outbox keeps what the bot says on its own until it is delivered, exactly once.
type Outbox interface {
	// CreateDispatch puts d in the outbox, durably, before anything of it is sent. A
	// dispatch for a slot that already has one is not stored again: the existing one
	// is returned with existed set, so each slot is delivered once across restarts. A
	// briefing must carry the next issue number of its committee and year
	// (NextIssue); if another took it meanwhile the answer is ECONFLICT
	// (ReasonIssueTaken) and the caller composes again. A dispatch with no parts is
	// EINVALID (ReasonEmptyDispatch).
	CreateDispatch(ctx context.Context, d *Dispatch) (stored *Dispatch, existed bool, err error)
	// NextIssue returns the issue number (第N期) the committee's next briefing of year takes.
	NextIssue(ctx context.Context, committee CommitteeID, year int) (int, error)
	// LastBriefing returns the committee's latest briefing, or nil if it has none.
	LastBriefing(ctx context.Context, committee CommitteeID) (*Dispatch, error)
	// Dispatch returns the dispatch with id, or ENOTFOUND (ReasonNoDispatch).
	Dispatch(ctx context.Context, id uint64) (*Dispatch, error)
	// DispatchBySlot returns the dispatch made for slot key, or ENOTFOUND.
	DispatchBySlot(ctx context.Context, key string) (*Dispatch, error)
	// DispatchByTS returns the dispatch one of whose parts was posted with ts (a thread
	// reply names its parent this way), or ENOTFOUND.
	DispatchByTS(ctx context.Context, ts string) (*Dispatch, error)
	// Receipt returns the receipt dispatch of the matter with id (its submitter's
	// receipt, under which later notices to them are threaded), or nil if none.
	Receipt(ctx context.Context, matter uint64) (*Dispatch, error)
	// OpenDispatches lists the dispatches not yet delivered or failed, oldest first.
	OpenDispatches(ctx context.Context) ([]*Dispatch, error)
	// EachDispatch calls fn for every dispatch, oldest first, until fn returns false.
	EachDispatch(ctx context.Context, fn func(*Dispatch) bool) error
	// ApproveDispatch releases a dispatch awaiting a clerk's approval; any other is
	// ECONFLICT (ReasonNotAwaiting).
	ApproveDispatch(ctx context.Context, id uint64, by MemberID) (*Dispatch, error)
	// MarkPart records what became of part of dispatch id: posted with a ts, or
	// skipped (nobody may receive it any more). When every part is done the dispatch is
	// delivered. Recording a part already done changes nothing.
	MarkPart(ctx context.Context, id uint64, part int, o PartOutcome) (*Dispatch, error)
	// FailDispatch gives up on a dispatch refused for good, recording why.
	FailDispatch(ctx context.Context, id uint64, reason string) (*Dispatch, error)
	// SlotTaken reports whether a dispatch was already made for the slot key.
	SlotTaken(ctx context.Context, key string) (bool, error)
	// Changed returns a channel that receives (without blocking the writer; signals
	// may merge) after dispatches are created or released, by this process or any
	// other sharing the ledger, until ctx is done.
	Changed(ctx context.Context) <-chan struct{}
}

// AuditLog is the append-only, hash-chained record of every change.
type AuditLog interface {
	// AppendAudit records an event that changes no matter (a restricted matter viewed,
	// the config reloaded), durably.
	AppendAudit(ctx context.Context, e AuditEntry) error
	// Audit calls fn for each entry in order, until fn returns false.
	Audit(ctx context.Context, fn func(AuditEntry) bool) error
	// VerifyAudit walks the chain and checks every matter's record against the last
	// entry about it; with an anchor, also that the chain holds it. The report
	// describes the first problem ("" when the log, the records and the anchor agree).
	VerifyAudit(ctx context.Context, anchor AuditAnchor) (AuditReport, error)
	// AuditHead is the chain's head now (zero for an empty chain).
	AuditHead(ctx context.Context) (AuditAnchor, error)
}

// Ledger is everything an engine provides.
type Ledger interface {
	Matters
	MatterFinder
	Deliveries
	Outbox
	AuditLog
	Conversations
}

// Conversations keeps the DM intake conversations in progress, one per member, so
// that whichever replica of the bot receives a member's next message carries the
// conversation on. A conversation's state is the bot's (opaque here); it holds only
// answers already checked, and is no matter: nothing is numbered or briefed from it.
type Conversations interface {
	// Conversation returns member's conversation state and its version, or version 0
	// if none is kept (never saved, ended, or purged after until). Whether it has
	// expired is the caller's to judge, by its own clock.
	Conversation(ctx context.Context, member MemberID) (state []byte, version uint64, err error)
	// SaveConversation keeps state as member's conversation until until, if the one
	// kept is still at version (0: none kept); a nil state ends it. It returns the new
	// version, or ECONFLICT (ReasonConversationMoved) if another replica saved or
	// ended it since, and then nothing is written.
	SaveConversation(ctx context.Context, member MemberID, state []byte, version uint64, until time.Time) (uint64, error)
}
