package briefbot

import (
	"encoding/json"
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
	DispatchDelivered        DispatchState = "delivered"         // every part posted
	DispatchFailed           DispatchState = "failed"            // refused for good (e.g. invalid blocks): a clerk is told
)

// Dispatch is one thing the bot says on its own, kept in the outbox: composed and
// stored before anything is sent, then delivered part by part. Each part records the
// ts Slack gave it once posted, so a restart resumes without repeating a part.
type Dispatch struct {
	ID        uint64       `json:"id"`
	Kind      DispatchKind `json:"kind"`
	Committee string       `json:"committee"`
	Year      int          `json:"year,omitempty"`  // briefings: the issue's year
	Issue     int          `json:"issue,omitempty"` // briefings: 第N期 within the committee's year

	// SlotKey is the schedule slot this briefing was made for ("" on demand): a slot
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

	Matters []uint64 `json:"matters,omitempty"` // what it reported
	Parts   []Part   `json:"parts"`
	// Document is the composed briefing itself (briefings.Briefing as JSON), kept so
	// it can be rendered again later (Markdown, printable HTML) exactly as sent.
	Document json.RawMessage `json:"document,omitempty"`
}

// Part is one message of a dispatch. Parts with an empty Channel go to the dispatch's
// committee channel; the first part to a channel is the parent, later ones to the same
// channel are posted in its thread.
type Part struct {
	Channel  string          `json:"channel,omitempty"` // a Slack channel ID, or "@member" for a member's DM
	Text     string          `json:"text"`
	Blocks   json.RawMessage `json:"blocks,omitempty"`
	Thread   bool            `json:"thread,omitempty"`    // post in the thread of the first part to the same channel
	ThreadTS string          `json:"thread_ts,omitempty"` // or in the thread of this message of the same channel
	TS       string          `json:"ts,omitempty"`        // set once posted
	PostedAt time.Time       `json:"posted_at,omitzero"`
}

// Done reports whether every part has been posted.
func (d *Dispatch) Done() bool {
	for _, p := range d.Parts {
		if p.TS == "" {
			return false
		}
	}
	return true
}
