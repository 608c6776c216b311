package briefbot

import (
	"encoding/json"
	"strings"
	"time"
)

// DispatchKind tells what an outbox record carries.
type DispatchKind string

// Dispatch kinds.
const (
	DispatchBriefing DispatchKind = "briefing" // a numbered briefing to a committee's channel
	DispatchAlert    DispatchKind = "alert"    // an urgent matter escalated at once
	DispatchReminder DispatchKind = "reminder" // 催办 / 督办 of a deadline
	DispatchReceipt  DispatchKind = "receipt"  // the submitter's receipt: later notices thread under it
	DispatchNotice   DispatchKind = "notice"   // instructions, reports and decisions told to those concerned
	DispatchReport   DispatchKind = "report"   // a monthly roll-up (月报) to a committee's channel
)

// DispatchState is where an outbox record stands.
type DispatchState string

// Dispatch states.
const (
	DispatchAwaitingApproval DispatchState = "awaiting_approval" // a clerk must approve it first
	DispatchPending          DispatchState = "pending"           // to be delivered (possibly partly posted)
	DispatchDelivered        DispatchState = "delivered"         // every part done
	DispatchFailed           DispatchState = "failed"            // refused for good (e.g. invalid blocks): a clerk is told
)

// Dispatch is one thing the bot says on its own, kept in the outbox: stored before
// anything is sent, then delivered part by part. Each part records the ts Slack gave
// it once posted, so a restart resumes without repeating a part.
//
// A dispatch says either rendered messages (a briefing, a monthly report: Parts carry
// their text and blocks, as composed) or a Notice: data about a matter's change,
// rendered for each part's reader, in their language, when it is delivered.
type Dispatch struct {
	ID        uint64       `json:"id"`
	Kind      DispatchKind `json:"kind"`
	Committee CommitteeID  `json:"committee"`
	Year      int          `json:"year,omitempty"`  // briefings: the issue's year
	Issue     int          `json:"issue,omitempty"` // briefings: 第N期 within the committee's year

	// SlotKey is the schedule slot this dispatch was made for ("" on demand): a slot
	// produces at most one dispatch, whatever restarts happen.
	SlotKey     string    `json:"slot_key,omitempty"`
	ScheduledAt time.Time `json:"scheduled_at,omitzero"`
	Late        bool      `json:"late,omitempty"`
	Since       time.Time `json:"since,omitzero"` // the period began here (the previous briefing)

	CreatedAt   time.Time     `json:"created_at"`
	State       DispatchState `json:"state"`
	ApprovedBy  MemberID      `json:"approved_by,omitempty"`
	DeliveredAt time.Time     `json:"delivered_at,omitzero"`
	Failure     string        `json:"failure,omitempty"`
	Attempts    int           `json:"attempts,omitempty"`

	Matters []uint64 `json:"matters,omitempty"` // what it reports on
	Notice  *Notice  `json:"notice,omitempty"`  // what it tells, when its parts are rendered on delivery
	Parts   []Part   `json:"parts"`
	// Document is the composed briefing itself (briefings.Briefing.Document: its JSON,
	// compressed when large), kept so it can be rendered again later (Markdown,
	// printable HTML) exactly as sent.
	Document json.RawMessage `json:"document,omitempty"`
}

// Done reports whether every part has been posted or skipped.
func (d *Dispatch) Done() bool {
	for _, p := range d.Parts {
		if !p.Done() {
			return false
		}
	}
	return true
}

// Part is one message of a dispatch, to one destination. The first part to a
// destination is the parent; later ones with Thread set are posted in its thread.
type Part struct {
	To       Destination     `json:"channel,omitzero"`
	Text     string          `json:"text,omitempty"`
	Blocks   json.RawMessage `json:"blocks,omitempty"`
	Thread   bool            `json:"thread,omitempty"`    // in the thread of the first part to the same destination
	ThreadTS string          `json:"thread_ts,omitempty"` // or in the thread of this message
	// InReceipt threads a notice to a matter's submitter under their receipt.
	InReceipt bool      `json:"in_receipt,omitempty"`
	TS        string    `json:"ts,omitempty"` // set once posted
	PostedAt  time.Time `json:"posted_at,omitzero"`
	// TriedAt is when the part was first about to be posted, recorded before the
	// post: a part tried but not recorded as posted (a crash in between, an answer
	// lost) may be in Slack already, and is looked for before it is posted again.
	TriedAt time.Time `json:"tried_at,omitzero"`
	Skipped bool      `json:"skipped,omitempty"` // not posted: its reader may no longer see the matter
}

// Done reports whether the part was posted or skipped.
func (p *Part) Done() bool { return p.TS != "" || p.Skipped }

// PartOutcome is what became of a part: posted with TS, or Skipped; or Tried, about
// to be posted (it records TriedAt, once).
type PartOutcome struct {
	TS      string
	Skipped bool
	Tried   bool
}

// Destination is where a part goes: a member's direct messages, a channel, or (the
// zero value) its dispatch's committee channel.
type Destination struct {
	Member  MemberID
	Channel string
}

// ToMember is the destination of member id's direct messages.
func ToMember(id MemberID) Destination { return Destination{Member: id} }

// ToChannel is the destination of a channel, by its Slack id.
func ToChannel(id string) Destination { return Destination{Channel: id} }

// ToCommittee is the destination of the dispatch's committee channel.
func ToCommittee() Destination { return Destination{} }

// IsCommittee reports whether d is the dispatch's committee channel.
func (d Destination) IsCommittee() bool { return d == Destination{} }

// String is the stored form: "" for the committee channel, "@" and a member id, or a
// channel id.
func (d Destination) String() string {
	if d.Member != "" {
		return "@" + string(d.Member)
	}
	return d.Channel
}

// MarshalText implements encoding.TextMarshaler (the stored form, see String).
func (d Destination) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Destination) UnmarshalText(b []byte) error {
	s := string(b)
	if id, ok := strings.CutPrefix(s, "@"); ok {
		*d = ToMember(MemberID(id))
	} else {
		*d = ToChannel(s)
	}
	return nil
}

// NoticeKind says what a notice tells.
type NoticeKind string

// Notice kinds: what a change to a matter causes to be told.
const (
	NoticeReceipt     NoticeKind = "receipt"     // to the submitter: received, with the ledger number
	NoticeAlert       NoticeKind = "alert"       // an urgent matter, to its committee's channel and leaders
	NoticeInstruction NoticeKind = "instruction" // a 批示 or 圈阅, to the department
	NoticeReport      NoticeKind = "report"      // a department's feedback, to those who decide
	NoticeDecision    NoticeKind = "decision"    // a decision on the follow-through, to the department
	NoticeDraft       NoticeKind = "draft"       // a member's draft, to the department's heads
	NoticeSignOff     NoticeKind = "sign_off"    // a matter to sign off (签发), to the department's principal
	NoticeSigned      NoticeKind = "signed"      // signed off, or sent back for revision, to its submitter
)

// Notice is what a dispatch made by a change tells, as data: which matter, and which
// step of its history. Everything the message says is read from the ledger when it is
// rendered, in each reader's language; nothing of the matter's content is copied here,
// and nothing is rendered inside the change's transaction.
type Notice struct {
	Kind   NoticeKind `json:"kind"`
	Matter uint64     `json:"matter,omitempty"`
	Event  int        `json:"event,omitempty"` // History seq of the step it tells
}
