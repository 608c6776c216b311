package briefbot

import "time"

// AuditAction names what an audit entry records: a step of a matter's life (an
// Action's name) or one of the events below.
type AuditAction string

// Audit events other than steps.
const (
	AuditViewRestricted AuditAction = "view_restricted" // a restricted matter was opened
	AuditConfigReload   AuditAction = "config_reload"   // the org config was reloaded
	AuditDraft          AuditAction = "draft"           // a member's draft was saved
)

// AuditStep is the audit action of a step.
func AuditStep(a Action) AuditAction { return AuditAction(a) }

// AuditDispatch is the audit action of a dispatch of kind k put in the outbox.
func AuditDispatch(k DispatchKind) AuditAction { return AuditAction("dispatch_" + string(k)) }

// AuditEntry is one line of the append-only audit log, written in the same transaction
// as the change it records. Entries are hash-chained: Hash covers the entry (with Hash
// empty) and Prev, the previous entry's Hash, so editing, deleting or reordering any
// entry breaks the chain from there on.
type AuditEntry struct {
	Seq        uint64      `json:"seq"`
	At         time.Time   `json:"at"`
	Actor      MemberID    `json:"actor"`
	OnBehalfOf MemberID    `json:"on_behalf_of,omitempty"`
	Action     AuditAction `json:"action"`
	MatterID   uint64      `json:"matter_id,omitempty"`
	Number     string      `json:"number,omitempty"`
	From       Status      `json:"from,omitempty"`
	To         Status      `json:"to,omitempty"`
	Version    int         `json:"version,omitempty"`
	Detail     string      `json:"detail,omitempty"` // what else the event needs said, never matter content
	Prev       string      `json:"prev"`
	Hash       string      `json:"hash"`
}

// SystemActor is the actor of what the bot does on its own (dispatches, reloads by signal).
const SystemActor MemberID = "briefbot"
